import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './api/admin.ts';
import {
  actionLabel,
  describeDetails,
  describeEntry,
  describeTarget,
  humanize,
  partyKind,
  permissionChanges,
} from './audit.ts';

const staff = { kind: 'staff', id: 'usr_staff', email: 'merchant@demo.test' };
const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  id: 'aud_1',
  at: '2026-11-23T15:48:50.443Z',
  action: 'login.succeeded',
  actor: staff,
  ...overrides,
});

describe('audit wording', () => {
  it('names the actions of the identity context in plain words', () => {
    expect(actionLabel('login.succeeded')).toBe('Signed in');
    expect(actionLabel('apikey.created')).toBe('Created an API key');
    expect(actionLabel('impersonation.started')).toBe('Started acting as a customer');
    expect(actionLabel('staff.invited')).toBe('Invited a member of staff');
    expect(actionLabel('customer.approved')).toBe('Approved a customer application');
    expect(actionLabel('logout')).toBe('Signed out');
  });

  it('reads the details where they change the meaning', () => {
    expect(actionLabel('customer.registered', { type: 'company', status: 'pending_approval' })).toBe(
      'Applied for a customer account',
    );
    expect(actionLabel('customer.registered', { type: 'person', status: 'active' })).toBe(
      'Signed up as a customer',
    );
    expect(actionLabel('tenant.updated', { signupMode: 'application' })).toBe('Changed who can sign up');
    expect(actionLabel('tenant.updated', { signupMode: 'open', status: 'active' })).toBe(
      'Changed the store’s settings',
    );
  });

  it('still reads an action it has no words for', () => {
    expect(actionLabel('order.refunded_partially')).toBe('Order refunded partially');
    expect(humanize('')).toBe('');
    expect(partyKind('robot')).toBe('Robot');
    expect(partyKind('apiKey')).toBe('API key');
  });

  it('says who did it, and on whose behalf when staff acted as a customer', () => {
    const acting = describeEntry(
      entry({
        action: 'apikey.created',
        actor: { kind: 'staff', id: 'usr_support', email: 'support@demo.test' },
        onBehalfOf: { kind: 'buyer', id: 'usr_buyer', email: 'buyer@demo.test' },
        target: 'key_1',
        details: { name: 'CI', scopes: ['orders:create'], owner: { kind: 'customer' } },
        ip: '127.0.0.1',
      }),
    );
    expect(acting).toMatchObject({
      what: 'Created an API key',
      who: 'support@demo.test',
      whoKind: 'Staff',
      onBehalfOf: 'buyer@demo.test',
      about: 'key “CI”',
      details: ['Permissions: Place orders'],
      ip: '127.0.0.1',
    });
    const anonymous = describeEntry(
      entry({ action: 'login.failed', actor: { kind: 'anonymous', id: 'anonymous' }, target: 'x@y.test' }),
    );
    expect(anonymous).toMatchObject({ who: 'Someone not signed in', whoKind: '', about: 'x@y.test' });
    expect(anonymous.onBehalfOf).toBeUndefined();
    expect(describeEntry(entry({ actor: { kind: 'apiKey', id: 'key_9' } })).who).toBe('API key key_9');
  });

  it('names targets: people by the names it was given, roles, customers, nothing for sessions', () => {
    const names = new Map([['usr_new', 'new@demo.test']]);
    expect(describeTarget(entry({ action: 'staff.roles_changed', target: 'usr_new' }), names)).toBe(
      'new@demo.test',
    );
    expect(describeTarget(entry({ action: 'staff.roles_changed', target: 'usr_other' }), names)).toBe(
      'usr_other',
    );
    expect(describeTarget(entry({ action: 'role.changed', target: 'role:support-lead' }))).toBe(
      'role “Support lead”',
    );
    expect(describeTarget(entry({ action: 'customer.approved', target: 'cus_1' }))).toBe('customer cus_1');
    expect(describeTarget(entry({ action: 'session.revoked', target: 'abcdef0123' }))).toBeUndefined();
    expect(describeTarget(entry({ action: 'tenant.updated', target: 'ten_1' }))).toBeUndefined();
    expect(
      describeTarget(
        entry({ action: 'staff.invited', target: 'usr_2', details: { email: 'anna@demo.test', roles: [] } }),
      ),
    ).toBe('anna@demo.test');
    expect(describeTarget(entry({ action: 'logout' }))).toBeUndefined();
  });

  it('spells out role and permission changes', () => {
    expect(
      describeDetails(
        entry({ action: 'staff.roles_changed', details: { from: ['catalog'], to: ['finance', 'support'] } }),
      ),
    ).toEqual(['Roles: Catalog → Finance, Support']);
    expect(
      describeDetails(
        entry({
          action: 'role.changed',
          details: { from: ['catalog:read'], to: ['audit:read', 'customers:read'] },
        }),
      ),
    ).toEqual(['Added: Read the audit log, See customers', 'Removed: See the catalog']);
    expect(describeDetails(entry({ action: 'staff.invited', details: { roles: ['catalog'] } }))).toEqual([
      'Role: Catalog',
    ]);
    expect(
      describeDetails(entry({ action: 'user.invited', details: { permissions: ['finance:view'] } })),
    ).toEqual(['Permissions: See prices, invoices and credit balances']);
    expect(permissionChanges(['a'], ['a'], (p) => p)).toEqual(['No change']);
    expect(permissionChanges([], ['a'], (p) => p.toUpperCase())).toEqual(['Added: A']);
  });

  it('keeps reasons, sign-up modes and unknown plain details', () => {
    expect(
      describeDetails(
        entry({
          action: 'impersonation.started',
          details: { reason: ' ticket 4711 ', actingAsUserId: 'usr_1' },
        }),
      ),
    ).toEqual(['Reason: ticket 4711']);
    expect(describeDetails(entry({ action: 'customer.rejected', details: { reason: '   ' } }))).toEqual([]);
    expect(
      describeDetails(entry({ action: 'tenant.updated', details: { signupMode: 'invite_only' } })),
    ).toEqual(['Sign-up: Invitation only']);
    expect(
      describeDetails(
        entry({ action: 'tenant.updated', details: { status: 'suspended', nested: { a: 1 } } }),
      ),
    ).toEqual(['Status: suspended']);
    expect(
      describeDetails(entry({ action: 'something.new', details: { count: 3, reason: 'why', list: [1] } })),
    ).toEqual(['Count: 3', 'Reason: why']);
    expect(describeDetails(entry({ action: 'customer.registered', details: { type: 'company' } }))).toEqual([
      'A company account',
    ]);
    expect(describeDetails(entry({}))).toEqual([]);
  });
});
