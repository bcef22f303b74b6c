import { describe, expect, it } from 'vitest';
import {
  actAsCustomer,
  decideApplication,
  fetchAuditLog,
  fetchRoles,
  fetchStaff,
  inviteStaff,
  isForbidden,
  parseAuditEntry,
  parseAuditPage,
  parseCustomer,
  parseImpersonation,
  parseRolesList,
  parseSignupMode,
  parseStaffMember,
  requiredPermissions,
  saveRole,
  setSignupMode,
  setStaffRoles,
} from './admin.ts';
import { header, json, recorder } from './testing.ts';

const at = '2026-11-23T15:48:50.443Z';
const member = {
  id: 'usr_01m84hgf3a13pmy7v98kc6f7nq',
  email: 'merchant@demo.test',
  name: 'Mia Merchant',
  status: 'active',
  roles: ['owner'],
  createdAt: at,
};
const customer = {
  id: 'cus_01m84hwbmmn0wjgqb241cp482a',
  type: 'company',
  name: 'Orbital Widgets',
  country: 'DE',
  status: 'pending_approval',
  applicationMessage: 'Hello',
  createdAt: at,
};
const auditEntry = {
  id: 'aud_1',
  at,
  action: 'login.succeeded',
  actor: { kind: 'staff', id: 'usr_1', email: 'merchant@demo.test' },
  ip: '127.0.0.1',
};

describe('admin parsers', () => {
  it('reads staff members and refuses unknown statuses', () => {
    expect(parseStaffMember({ ...member, extra: true })).toEqual(member);
    expect(parseStaffMember({ ...member, status: 'invited', roles: ['catalog'] })).toMatchObject({
      status: 'invited',
    });
    expect(parseStaffMember({ ...member, status: 'gone' })).toBeUndefined();
    expect(parseStaffMember({ ...member, roles: 'owner' })).toBeUndefined();
  });

  it('reads roles with the list of every permission', () => {
    const body = {
      items: [{ name: 'catalog', permissions: ['catalog:read'] }],
      permissions: ['catalog:read'],
    };
    expect(parseRolesList(body)).toEqual(body);
    expect(parseRolesList({ items: body.items })).toBeUndefined();
    expect(parseRolesList({ ...body, items: [{ name: 'x' }] })).toBeUndefined();
  });

  it('reads customers, impersonations and the sign-up mode', () => {
    expect(parseCustomer(customer)).toEqual(customer);
    expect(parseCustomer({ ...customer, type: 'robot' })).toBeUndefined();
    const token = { token: 't', customerId: customer.id, userId: 'usr_1', expiresAt: at };
    expect(parseImpersonation(token)).toEqual(token);
    expect(parseImpersonation({ ...token, token: '' })).toBeUndefined();
    expect(parseSignupMode({ signupMode: 'application' })).toEqual({ signupMode: 'application' });
    expect(parseSignupMode({ signupMode: 'closed' })).toBeUndefined();
  });

  it('reads audit entries and pages', () => {
    const acting = {
      ...auditEntry,
      onBehalfOf: { kind: 'buyer', id: 'usr_2' },
      target: 'cus_1',
      details: { reason: 'r' },
    };
    expect(parseAuditEntry(acting)).toEqual(acting);
    expect(parseAuditEntry({ ...auditEntry, actor: { kind: 'staff' } })).toBeUndefined();
    expect(parseAuditEntry({ ...auditEntry, onBehalfOf: 'someone' })).toBeUndefined();
    expect(parseAuditEntry({ ...auditEntry, details: ['x'] })).toBeUndefined();
    expect(parseAuditPage({ items: [auditEntry], nextCursor: 'c1' })).toEqual({
      items: [auditEntry],
      nextCursor: 'c1',
    });
    expect(parseAuditPage({ items: [auditEntry] })).toEqual({ items: [auditEntry] });
    expect(parseAuditPage({ items: [auditEntry], nextCursor: 3 })).toBeUndefined();
  });

  it('finds the missing permission of a 403', () => {
    const denied = {
      kind: 'http' as const,
      status: 403,
      code: 'permission_required',
      message: 'This needs the permission audit:read',
      details: { required: ['audit:read'] },
    };
    expect(isForbidden(denied)).toBe(true);
    expect(requiredPermissions(denied)).toEqual(['audit:read']);
    expect(requiredPermissions({ ...denied, code: 'not_allowed', details: undefined })).toEqual([]);
    expect(requiredPermissions({ ...denied, status: 401 })).toEqual([]);
    expect(isForbidden({ kind: 'unreachable', message: 'm' })).toBe(false);
    expect(isForbidden(undefined)).toBe(false);
  });
});

describe('admin calls', () => {
  it('lists staff and roles of the store', async () => {
    const staff = recorder(() => json(200, { items: [member] }));
    expect(await fetchStaff('demo', { fetch: staff.fetch })).toEqual({
      ok: true,
      status: 200,
      data: [member],
    });
    expect(staff.calls[0]?.url).toBe('/api/v1/stores/demo/admin/staff');
    const roles = recorder(() => json(200, { items: [], permissions: [] }));
    await fetchRoles('demo', { fetch: roles.fetch });
    expect(roles.calls[0]?.url).toBe('/api/v1/stores/demo/admin/roles');
  });

  it('invites with a fresh Idempotency-Key per submit, or the one given', async () => {
    const answer = { invitationId: 'inv_1', email: 'new@demo.test', expiresAt: at };
    const { calls, fetch } = recorder(() => json(201, answer));
    const input = { email: 'new@demo.test', roles: ['catalog'] };
    expect(await inviteStaff('demo', input, { fetch })).toEqual({ ok: true, status: 201, data: answer });
    await inviteStaff('demo', input, { fetch });
    await inviteStaff('demo', input, { fetch, idempotencyKey: 'kept' });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/admin/staff/invitations');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe(JSON.stringify(input));
    const keys = calls.map((call) => header(call, 'Idempotency-Key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe('kept');
  });

  it('puts roles and role permissions, and reports the API’s refusals', async () => {
    const refused = {
      error: { code: 'own_roles', message: 'Ask another administrator to change your roles' },
    };
    const roles = recorder(() => json(403, refused));
    const result = await setStaffRoles('demo', 'usr_1', ['catalog'], { fetch: roles.fetch });
    expect(result).toMatchObject({ ok: false, problem: { status: 403, code: 'own_roles' } });
    expect(roles.calls[0]?.url).toBe('/api/v1/stores/demo/admin/staff/usr_1/roles');
    expect(roles.calls[0]?.init.method).toBe('PUT');
    expect(roles.calls[0]?.init.body).toBe('{"roles":["catalog"]}');

    const role = recorder(() => json(200, { name: 'support-lead', permissions: ['audit:read'] }));
    expect(await saveRole('demo', 'support-lead', ['audit:read'], { fetch: role.fetch })).toMatchObject({
      ok: true,
      data: { name: 'support-lead' },
    });
    expect(role.calls[0]?.url).toBe('/api/v1/stores/demo/admin/roles/support-lead');
    expect(role.calls[0]?.init.body).toBe('{"permissions":["audit:read"]}');
  });

  it('decides applications, with or without a reason', async () => {
    const { calls, fetch } = recorder(() => json(200, { ...customer, status: 'active' }));
    await decideApplication('demo', customer.id, 'approve', 'checked', { fetch });
    await decideApplication('demo', customer.id, 'reject', undefined, { fetch });
    expect(calls[0]?.url).toBe(`/api/v1/stores/demo/admin/customers/${customer.id}/approve`);
    expect(calls[0]?.init.body).toBe('{"reason":"checked"}');
    expect(calls[1]?.url).toBe(`/api/v1/stores/demo/admin/customers/${customer.id}/reject`);
    expect(calls[1]?.init.body).toBe('{}');
  });

  it('patches the sign-up mode and asks for an impersonation token (201)', async () => {
    const settings = recorder(() => json(200, { signupMode: 'invite_only' }));
    expect(await setSignupMode('demo', 'invite_only', { fetch: settings.fetch })).toMatchObject({
      ok: true,
      data: { signupMode: 'invite_only' },
    });
    expect(settings.calls[0]?.init.method).toBe('PATCH');
    expect(settings.calls[0]?.url).toBe('/api/v1/stores/demo/admin/settings');

    const token = { token: 'ten.usr.secret', customerId: customer.id, userId: 'usr_1', expiresAt: at };
    const act = recorder(() => json(201, token));
    expect(await actAsCustomer('demo', customer.id, 'ticket 1', { fetch: act.fetch })).toEqual({
      ok: true,
      status: 201,
      data: token,
    });
    expect(act.calls[0]?.url).toBe(`/api/v1/stores/demo/admin/customers/${customer.id}/impersonation`);
    expect(act.calls[0]?.init.body).toBe('{"reason":"ticket 1"}');
  });

  it('pages through the audit log with the cursor', async () => {
    const { calls, fetch } = recorder(() => json(200, { items: [auditEntry], nextCursor: 'next/1' }));
    expect(await fetchAuditLog('demo', {}, { fetch })).toMatchObject({
      ok: true,
      data: { nextCursor: 'next/1' },
    });
    await fetchAuditLog('demo', { limit: 10, cursor: 'next/1' }, { fetch });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/admin/audit?limit=50');
    expect(calls[1]?.url).toBe('/api/v1/stores/demo/admin/audit?limit=10&cursor=next%2F1');
  });
});
