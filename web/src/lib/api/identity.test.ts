import { describe, expect, it } from 'vitest';
import {
  allowedScopes,
  canManageApiKeys,
  createApiKey,
  parseApiKey,
  parseCreatedApiKey,
  scopeLabel,
  sortApiKeys,
} from './api-keys.ts';
import { requestJson, send } from './http.ts';
import { newIdempotencyKey } from './idempotency.ts';
import {
  fetchSessions,
  isInvalidToken,
  login,
  parseRegistrationResult,
  parseSessionView,
  register,
  revokeSession,
} from './identity.ts';
import { parseTenant, sortTenants, type Tenant, updateTenant } from './operator.ts';
import { header, json, recorder } from './testing.ts';

const buyer = {
  principal: 'buyer',
  tenantId: 'ten_01',
  userId: 'usr_01',
  email: 'buyer@demo.test',
  name: 'Ben Buyer',
  customerId: 'cus_01',
  permissions: ['orders:create', 'services:manage', 'finance:view', 'users:manage', 'apikeys:manage'],
  expiresAt: '2026-11-30T15:16:49.101Z',
};

const key = {
  id: 'key_01',
  prefix: 'nmb_ten_key',
  name: 'CI',
  owner: { kind: 'customer', customerId: 'cus_01' },
  scopes: ['orders:create'],
  createdAt: '2026-11-23T15:16:49.443Z',
  createdBy: 'usr_01',
};

describe('requestJson and send', () => {
  it('sends JSON with the method and headers asked for', async () => {
    const { calls, fetch } = recorder(() => json(201, { ok: 1 }));
    const result = await requestJson('/api/x', (body) => body, {
      fetch,
      method: 'POST',
      body: { a: 1 },
      headers: { 'Idempotency-Key': 'k' },
      okStatuses: [201],
    });
    expect(result).toEqual({ ok: true, status: 201, data: { ok: 1 } });
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe('{"a":1}');
    expect(header(calls[0], 'content-type')).toBe('application/json');
    expect(header(calls[0], 'Idempotency-Key')).toBe('k');
  });

  it('send accepts an empty 204 and maps errors to problems', async () => {
    const ok = await send('/api/x', {
      fetch: recorder(() => new Response(null, { status: 204 })).fetch,
      okStatuses: [204],
    });
    expect(ok).toEqual({ ok: true, status: 204, data: null });
    const body = { error: { code: 'session_not_found', message: 'You have no such session' } };
    const missing = await send('/api/x', { fetch: recorder(() => json(404, body)).fetch, okStatuses: [204] });
    expect(missing).toEqual({ ok: false, problem: { kind: 'http', status: 404, ...body.error } });
    const html = await send('/api/x', {
      fetch: recorder(
        () => new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      ).fetch,
      okStatuses: [204],
    });
    expect(html).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
  });
});

describe('identity calls', () => {
  it('login posts the credentials to the store and reads the session', async () => {
    const { calls, fetch } = recorder(() => json(200, buyer));
    const result = await login('demo', { email: 'buyer@demo.test', password: 'pw' }, { fetch });
    expect(result).toEqual({ ok: true, status: 200, data: buyer });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/auth/login');
  });

  it('login reports a wrong password as the API says it', async () => {
    const body = { error: { code: 'invalid_login', message: 'The email or the password is wrong' } };
    const result = await login(
      'demo',
      { email: 'a@b.c', password: 'x' },
      { fetch: recorder(() => json(401, body)).fetch },
    );
    expect(result).toMatchObject({ ok: false, problem: { status: 401, code: 'invalid_login' } });
  });

  it('register sends a fresh Idempotency-Key per submit and accepts 201 and 202', async () => {
    const answer = { customerId: 'cus_1', status: 'pending_approval', next: 'await_approval' };
    const { calls, fetch } = recorder(() => json(202, answer));
    const registration = {
      type: 'person',
      name: 'P',
      email: 'p@example.com',
      password: 'x'.repeat(12),
      country: 'DE',
    } as const;
    expect(await register('demo', registration, { fetch })).toEqual({ ok: true, status: 202, data: answer });
    await register('demo', registration, { fetch });
    const keys = calls.map((call) => header(call, 'Idempotency-Key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/customers');
  });

  it('session ids and store slugs are encoded into paths', async () => {
    const { calls, fetch } = recorder(() => new Response(null, { status: 204 }));
    await revokeSession('demo', 'a/b', { fetch });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/auth/sessions/a%2Fb');
    expect(calls[0]?.init.method).toBe('DELETE');
  });

  it('fetchSessions rejects a list with a malformed item', async () => {
    const good = {
      id: 's1',
      current: true,
      createdAt: buyer.expiresAt,
      lastSeenAt: buyer.expiresAt,
      expiresAt: buyer.expiresAt,
    };
    const ok = await fetchSessions('demo', { fetch: recorder(() => json(200, { items: [good] })).fetch });
    expect(ok).toEqual({ ok: true, status: 200, data: [good] });
    const bad = await fetchSessions('demo', {
      fetch: recorder(() => json(200, { items: [good, { ...good, current: 'yes' }] })).fetch,
    });
    expect(bad).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
  });

  it('isInvalidToken knows both ways a link can be bad', () => {
    expect(isInvalidToken({ kind: 'http', status: 400, code: 'invalid_token', message: 'm' })).toBe(true);
    expect(
      isInvalidToken({
        kind: 'http',
        status: 400,
        code: 'validation_failed',
        message: 'm',
        details: [{ path: 'body.token', message: 'too big', code: 'too_big' }],
      }),
    ).toBe(true);
    expect(
      isInvalidToken({ kind: 'http', status: 400, code: 'validation_failed', message: 'm', details: [] }),
    ).toBe(false);
    expect(isInvalidToken({ kind: 'unreachable', message: 'm' })).toBe(false);
  });
});

describe('parsers', () => {
  it('parseSessionView keeps known fields and the impersonator', () => {
    expect(parseSessionView({ ...buyer, extra: 1 })).toEqual(buyer);
    const acting = { ...buyer, impersonatedBy: { userId: 'usr_staff', email: 'support@demo.test' } };
    expect(parseSessionView(acting)).toEqual(acting);
    const staff = { ...buyer, principal: 'staff', customerId: undefined, roles: ['owner'] };
    expect(parseSessionView(staff)).toMatchObject({ principal: 'staff', roles: ['owner'] });
  });

  it('parseSessionView rejects bad shapes', () => {
    expect(parseSessionView({ ...buyer, principal: 'admin' })).toBeUndefined();
    expect(parseSessionView({ ...buyer, permissions: 'all' })).toBeUndefined();
    expect(parseSessionView({ ...buyer, expiresAt: 'soon' })).toBeUndefined();
    expect(parseSessionView({ ...buyer, impersonatedBy: { email: 'x' } })).toBeUndefined();
  });

  it('parseRegistrationResult knows the two next steps', () => {
    const created = { customerId: 'cus_1', status: 'active', next: 'verify_email' };
    expect(parseRegistrationResult(created)).toEqual(created);
    expect(parseRegistrationResult({ ...created, next: 'party' })).toBeUndefined();
  });

  it('parseApiKey and parseCreatedApiKey', () => {
    expect(parseApiKey(key)).toEqual(key);
    expect(parseApiKey({ ...key, owner: { kind: 'merchant' }, revokedAt: key.createdAt })).toMatchObject({
      owner: { kind: 'merchant' },
      revokedAt: key.createdAt,
    });
    expect(parseApiKey({ ...key, owner: { kind: 'customer' } })).toBeUndefined();
    expect(parseCreatedApiKey({ key, secret: 'nmb_secret' })).toEqual({ key, secret: 'nmb_secret' });
    expect(parseCreatedApiKey({ key, secret: '' })).toBeUndefined();
    expect(parseCreatedApiKey({ key: { ...key, scopes: [1] }, secret: 's' })).toBeUndefined();
  });

  it('parseTenant', () => {
    const tenant: Tenant = {
      id: 'ten_01',
      slug: 'demo',
      name: 'Demo Cloud',
      status: 'active',
      defaultCurrency: 'EUR',
      defaultLanguage: 'en',
      signupMode: 'open',
      createdAt: '2026-11-23T15:16:29.391Z',
    };
    expect(parseTenant(tenant)).toEqual(tenant);
    expect(parseTenant({ ...tenant, customDomain: 'shop.example.com' })).toMatchObject({
      customDomain: 'shop.example.com',
    });
    expect(parseTenant({ ...tenant, status: 'deleted' })).toBeUndefined();
    expect(parseTenant({ ...tenant, signupMode: 'closed' })).toBeUndefined();
    const older = { ...tenant, id: 'ten_00', slug: 'old', createdAt: '2025-01-01T00:00:00.000Z' };
    expect(sortTenants([older, tenant]).map((t) => t.slug)).toEqual(['demo', 'old']);
  });
});

describe('API keys', () => {
  it('a buyer may give a key only the ordering scopes they hold', () => {
    expect(allowedScopes(buyer as never).map((info) => info.scope)).toEqual([
      'orders:create',
      'services:manage',
      'finance:view',
    ]);
    const member = { principal: 'buyer', permissions: ['orders:create', 'apikeys:manage'] } as const;
    expect(allowedScopes(member).map((info) => info.scope)).toEqual(['orders:create']);
  });

  it('staff get the merchant scopes; nobody without apikeys:manage gets any', () => {
    const owner = { principal: 'staff', permissions: ['apikeys:manage', 'catalog:read'] } as const;
    expect(allowedScopes(owner).map((info) => info.scope)).toEqual([
      'provisioning',
      'usage:write',
      'catalog:read',
      'orders:read',
      'customers:read',
    ]);
    const member = { principal: 'buyer', permissions: ['orders:create', 'services:manage'] } as const;
    expect(canManageApiKeys(member)).toBe(false);
    expect(allowedScopes(member)).toEqual([]);
    expect(canManageApiKeys({ principal: 'operator', permissions: ['apikeys:manage'] })).toBe(false);
  });

  it('labels scopes and sorts active keys first, newest first', () => {
    expect(scopeLabel('orders:create')).toBe('Place orders');
    expect(scopeLabel('provisioning')).toBe('Provisioning');
    expect(scopeLabel('unknown:scope')).toBe('unknown:scope');
    const older = { ...key, id: 'key_00', createdAt: '2026-01-01T00:00:00.000Z' };
    const revoked = {
      ...key,
      id: 'key_02',
      createdAt: '2026-12-01T00:00:00.000Z',
      revokedAt: '2026-12-02T00:00:00.000Z',
    };
    expect(sortApiKeys([older, revoked, key] as never).map((k) => k.id)).toEqual([
      'key_01',
      'key_00',
      'key_02',
    ]);
  });

  it('createApiKey sends the Idempotency-Key header and reads the secret', async () => {
    const { calls, fetch } = recorder(() => json(201, { key, secret: 'nmb_s' }));
    const result = await createApiKey('demo', { name: 'CI', scopes: ['orders:create'] }, { fetch });
    expect(result).toEqual({ ok: true, status: 201, data: { key, secret: 'nmb_s' } });
    expect(header(calls[0], 'Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('operator calls', () => {
  it('updateTenant patches the tenant', async () => {
    const tenant = {
      id: 'ten_01',
      slug: 'demo',
      name: 'Demo Cloud',
      status: 'suspended',
      defaultCurrency: 'EUR',
      defaultLanguage: 'en',
      signupMode: 'open',
      createdAt: '2026-11-23T15:16:29.391Z',
    };
    const { calls, fetch } = recorder(() => json(200, tenant));
    expect(await updateTenant('ten_01', { status: 'suspended' }, { fetch })).toEqual({
      ok: true,
      status: 200,
      data: tenant,
    });
    expect(calls[0]).toMatchObject({
      url: '/api/v1/operator/tenants/ten_01',
      init: { method: 'PATCH', body: '{"status":"suspended"}' },
    });
  });
});

describe('newIdempotencyKey', () => {
  it('makes a v4 UUID with or without crypto.randomUUID', () => {
    expect(newIdempotencyKey()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const withoutRandomUuid = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) =>
        crypto.getRandomValues(array as never) as T,
    };
    expect(newIdempotencyKey(withoutRandomUuid)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
