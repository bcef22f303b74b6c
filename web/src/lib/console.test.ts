import { describe, expect, it } from 'vitest';
import type { Customer, StaffMember } from './api/admin.ts';
import {
  CONSOLE_SECTIONS,
  can,
  checkCustomerId,
  consoleSections,
  curlExample,
  formatExpiry,
  grantableRoles,
  isStaff,
  rolesPhrase,
  SIGNUP_MODE_WORDS,
  SIGNUP_MODES,
  sortApplications,
  sortRoles,
  sortStaff,
} from './console.ts';

const ALL = [
  'store:manage',
  'staff:manage',
  'roles:manage',
  'catalog:manage',
  'catalog:read',
  'customers:manage',
  'customers:read',
  'customers:impersonate',
  'orders:manage',
  'orders:read',
  'finance:manage',
  'finance:read',
  'apikeys:manage',
  'audit:read',
];
const owner = { principal: 'staff' as const, permissions: ALL };
const support = {
  principal: 'staff' as const,
  permissions: ['customers:read', 'customers:impersonate', 'orders:read', 'catalog:read'],
};
const catalog = { principal: 'staff' as const, permissions: ['catalog:manage', 'catalog:read'] };
const buyer = { principal: 'buyer' as const, permissions: ['users:manage', 'apikeys:manage'] };

describe('console sections', () => {
  it('opens every section with every ability for the owner', () => {
    const sections = consoleSections(owner);
    expect(sections.map((section) => section.id)).toEqual([
      'team',
      'customers',
      'catalog',
      'provisioning',
      'billing',
      'payments',
      'creditPacks',
      'incidents',
      'audit',
    ]);
    expect(sections.map((section) => section.abilities.length)).toEqual(
      CONSOLE_SECTIONS.map((section) => section.abilities.length),
    );
  });

  it('shows only what a narrower role allows', () => {
    const sections = consoleSections(support);
    expect(sections.map((section) => section.id)).toEqual(['customers', 'catalog', 'provisioning']);
    expect(sections[0]?.abilities.map((ability) => ability.permission)).toEqual([
      'customers:read',
      'customers:impersonate',
    ]);
    // Support sees the catalog but may not change it.
    expect(sections[1]?.abilities.map((ability) => ability.permission)).toEqual(['catalog:read']);
    expect(consoleSections(catalog).map((section) => section.id)).toEqual(['catalog', 'provisioning']);
    // Finance reads and changes billing, but may not move the test clock (store:manage).
    const finance = { principal: 'staff' as const, permissions: ['finance:read', 'finance:manage'] };
    expect(consoleSections(finance)[0]?.abilities.map((ability) => ability.permission)).toEqual([
      'finance:read',
      'finance:manage',
    ]);
    expect(consoleSections(finance).map((section) => section.id)).toEqual([
      'billing',
      'payments',
      'creditPacks',
      'incidents',
    ]);
  });

  it('is never for buyers, whatever their permissions are called', () => {
    expect(isStaff(buyer)).toBe(false);
    expect(can(buyer, 'apikeys:manage')).toBe(false);
    expect(consoleSections({ principal: 'buyer', permissions: ALL })).toEqual([]);
    expect(consoleSections(undefined)).toEqual([]);
  });
});

describe('roles and staff', () => {
  const roles = [
    { name: 'support', permissions: ['customers:read', 'customers:impersonate'] },
    { name: 'owner', permissions: ALL },
    { name: 'catalog', permissions: ['catalog:manage', 'catalog:read'] },
    { name: 'admin', permissions: ALL.slice(1) },
  ];

  it('offers only roles within your own permissions', () => {
    const { grantable, beyond } = grantableRoles(roles, support.permissions);
    expect(grantable.map((role) => role.name)).toEqual(['support']);
    expect(beyond.map((role) => role.name)).toEqual(['owner', 'catalog', 'admin']);
    expect(grantableRoles(roles, ALL).beyond).toEqual([]);
  });

  it('sorts owner and admin first', () => {
    expect(sortRoles(roles).map((role) => role.name)).toEqual(['owner', 'admin', 'catalog', 'support']);
  });

  it('lists active staff before invitations, by email', () => {
    const member = (email: string, status: StaffMember['status']): StaffMember => ({
      id: email,
      email,
      name: email,
      status,
      roles: [],
      createdAt: '2026-11-23T00:00:00.000Z',
    });
    const sorted = sortStaff([
      member('z@x.test', 'invited'),
      member('b@x.test', 'active'),
      member('c@x.test', 'disabled'),
      member('a@x.test', 'active'),
    ]);
    expect(sorted.map((m) => m.email)).toEqual(['a@x.test', 'b@x.test', 'z@x.test', 'c@x.test']);
  });

  it('names roles in a sentence', () => {
    expect(rolesPhrase(['catalog'])).toBe('Catalog role');
    expect(rolesPhrase(['catalog', 'finance'])).toBe('Catalog and Finance roles');
    expect(rolesPhrase(['catalog', 'finance', 'support-lead'])).toBe(
      'Catalog, Finance and Support lead roles',
    );
    expect(rolesPhrase([])).toBe('no role');
  });
});

describe('customers', () => {
  it('explains every sign-up mode', () => {
    for (const mode of SIGNUP_MODES) {
      expect(SIGNUP_MODE_WORDS[mode].label).not.toBe('');
      expect(SIGNUP_MODE_WORDS[mode].description.length).toBeGreaterThan(40);
    }
  });

  it('puts the oldest application first', () => {
    const customer = (id: string, createdAt: string): Customer => ({
      id,
      type: 'company',
      name: id,
      country: 'DE',
      status: 'pending_approval',
      createdAt,
    });
    const sorted = sortApplications([
      customer('cus_b', '2026-11-23T10:00:00.000Z'),
      customer('cus_a', '2026-11-22T10:00:00.000Z'),
    ]);
    expect(sorted.map((c) => c.id)).toEqual(['cus_a', 'cus_b']);
  });

  it('checks a typed customer id before asking for a token', () => {
    expect(checkCustomerId('')).toBe('Enter the customer’s id.');
    expect(checkCustomerId('usr_01m84hgf3a13pmy7v98kc6f7nq')).toMatch(/cus_/);
    expect(checkCustomerId(' cus_01m84hwbmmn0wjgqb241cp482a ')).toBeUndefined();
  });

  it('says how long a token has left and how to try it', () => {
    const now = new Date('2026-11-23T15:00:00.000Z');
    expect(formatExpiry('2026-11-23T16:00:00.000Z', now)).toBe('in 1 hour');
    expect(formatExpiry('2026-11-23T15:59:58.000Z', now)).toBe('in 1 hour');
    expect(formatExpiry('2026-11-23T15:15:00.000Z', now)).toBe('in 15 minutes');
    expect(formatExpiry('2026-11-23T15:00:20.000Z', now)).toBe('in 1 minute');
    expect(formatExpiry('2026-11-23T18:00:00.000Z', now)).toBe('in 3 hours');
    expect(formatExpiry('2026-11-23T14:00:00.000Z', now)).toBe('expired');
    expect(curlExample('http://localhost:3000', 'demo', 'ten_1.usr_1.secret')).toBe(
      'curl -H "Authorization: Bearer ten_1.usr_1.secret" http://localhost:3000/api/v1/stores/demo/account',
    );
  });
});
