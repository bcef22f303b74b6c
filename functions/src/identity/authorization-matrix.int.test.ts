/**
 * Every route of the topology against every kind of caller: the grants each operation declares
 * are what the running API enforces. Expectations are derived here from the declared grants and
 * the seeded principals' permissions, independently of the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '#shared/http/operation.ts';
import type { Grant } from '#shared/identity/access.ts';
import { isPublic } from '#shared/identity/access.ts';
import { DEFAULT_STAFF_ROLES } from '#shared/identity/permissions.ts';
import { newId } from '#shared/ids/ids.ts';
import { systemClock } from '#shared/time/clock.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../../../infra/local/seed.ts';
import { nimbus } from '../../../infra/topology/nimbus.ts';
import { ApiClient } from '../../../test/support/http-client.ts';
import { serviceEndpoints, uniqueName } from '../../../test/support/services.ts';
import { createTenant } from '../tenants/tenant-admin.ts';
import { hashPassword } from './secrets.ts';
import { buildIdentityDeps } from './table-identity.ts';

type Caller = {
  name: string;
  client: ApiClient;
  /** Who the caller is, for the expectation: kind, tenant and what they may do. */
  as:
    | { kind: 'anonymous' | 'revoked' }
    | { kind: 'operator' }
    | { kind: 'staff' | 'buyer'; tenant: 'A' | 'B'; permissions: readonly string[] }
    | { kind: 'apiKey'; tenant: 'A'; scopes: readonly string[] };
  relogin?: () => Promise<void>;
};

let runtime: LocalRuntime;
const callers: Caller[] = [];
const AUTH_CODES = [
  'authentication_required',
  'invalid_credentials',
  'wrong_store',
  'permission_required',
  'not_allowed',
];

async function signIn(client: ApiClient, store: string, email: string, password = DEMO_PASSWORD) {
  const path = store === 'operator' ? '/api/v1/operator/auth/login' : `/api/v1/stores/${store}/auth/login`;
  const response = await client.post(path, { email, password });
  if (response.status !== 200)
    throw new Error(`${email} could not sign in: ${JSON.stringify(response.body)}`);
}

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    services: serviceEndpoints(),
    namePrefix: uniqueName('matrix'),
    webRoot: null,
    seed: true,
    runSchedules: false,
    quiet: true,
  });
  const deps = buildIdentityDeps(runtime.documentClient, runtime.tableName, runtime.url);
  const now = systemClock.now().toISOString();
  const tenantA = await deps.tenants.findBySlug('demo');
  if (!tenantA) throw new Error('no demo store');

  // A second store, B, with its own owner and buyer.
  const operatorPrincipal = {
    kind: 'operator' as const,
    operatorId: 'opr_test',
    email: 'o@test',
    sessionId: 's',
  };
  const { tenant: tenantB, ownerUserId } = await createTenant(deps, operatorPrincipal, {
    name: 'Store B',
    slug: uniqueName('store-b'),
    defaultCurrency: 'EUR',
    defaultLanguage: 'en',
    signupMode: 'open',
    ownerEmail: 'owner@b.test',
  });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await deps.users.completeInvitation(tenantB.id, ownerUserId, 'B Owner', passwordHash, new Date());
  const customerB = newId('cus', systemClock);
  const buyerB = newId('usr', systemClock);
  await deps.customers.createWithOwner(
    {
      id: customerB,
      tenantId: tenantB.id,
      type: 'person',
      name: 'B Buyer',
      country: 'FR',
      status: 'active',
      ownerUserId: buyerB,
      createdAt: now,
    },
    {
      id: buyerB,
      tenantId: tenantB.id,
      kind: 'buyer',
      email: 'buyer@b.test',
      name: 'B Buyer',
      passwordHash,
      emailVerifiedAt: now,
      status: 'active',
      customerId: customerB,
      permissions: ['orders:create', 'services:manage', 'finance:view', 'users:manage', 'apikeys:manage'],
      createdAt: now,
    },
  );
  // Store A: a member of staff with the narrow "catalog" role.
  await deps.users.create({
    id: newId('usr', systemClock),
    tenantId: tenantA.id,
    kind: 'staff',
    email: 'catalog@demo.test',
    name: 'Cat',
    passwordHash,
    emailVerifiedAt: now,
    status: 'active',
    roles: ['catalog'],
    createdAt: now,
  });

  const client = () => new ApiClient(runtime.url);
  const login = async (name: string, store: string, email: string, as: Caller['as']) => {
    const c = client();
    await signIn(c, store, email);
    callers.push({ name, client: c, as, relogin: () => signIn(c, store, email) });
  };
  callers.push({ name: 'anonymous', client: client(), as: { kind: 'anonymous' } });
  await login('operator', 'operator', 'operator@nimbus.test', { kind: 'operator' });
  await login('A owner', 'demo', 'merchant@demo.test', {
    kind: 'staff',
    tenant: 'A',
    permissions: DEFAULT_STAFF_ROLES.owner ?? [],
  });
  await login('A catalog staff', 'demo', 'catalog@demo.test', {
    kind: 'staff',
    tenant: 'A',
    permissions: DEFAULT_STAFF_ROLES.catalog ?? [],
  });
  await login('A buyer owner', 'demo', 'buyer@demo.test', {
    kind: 'buyer',
    tenant: 'A',
    permissions: ['orders:create', 'services:manage', 'finance:view', 'users:manage', 'apikeys:manage'],
  });
  await login('A member', 'demo', 'member@demo.test', {
    kind: 'buyer',
    tenant: 'A',
    permissions: ['orders:create', 'services:manage'],
  });
  await login('B owner', tenantB.slug, 'owner@b.test', {
    kind: 'staff',
    tenant: 'B',
    permissions: DEFAULT_STAFF_ROLES.owner ?? [],
  });
  await login('B buyer', tenantB.slug, 'buyer@b.test', {
    kind: 'buyer',
    tenant: 'B',
    permissions: ['apikeys:manage'],
  });

  const owner = callers.find((c) => c.name === 'A owner')?.client as ApiClient;
  const merchantScopes = ['provisioning', 'usage:write', 'catalog:read', 'orders:read', 'customers:read'];
  const merchantKey = (
    await owner.post('/api/v1/stores/demo/api-keys', { name: 'all', scopes: merchantScopes })
  ).body;
  callers.push({
    name: 'A merchant key',
    client: new ApiClient(runtime.url, { headers: { authorization: `Bearer ${merchantKey.secret}` } }),
    as: { kind: 'apiKey', tenant: 'A', scopes: merchantScopes },
  });
  const revokedKey = (
    await owner.post('/api/v1/stores/demo/api-keys', { name: 'old', scopes: ['catalog:read'] })
  ).body;
  await owner.delete(`/api/v1/stores/demo/api-keys/${revokedKey.key.id}`);
  callers.push({
    name: 'revoked key',
    client: new ApiClient(runtime.url, { headers: { authorization: `Bearer ${revokedKey.secret}` } }),
    as: { kind: 'revoked' },
  });
  const ended = client();
  await signIn(ended, 'demo', 'buyer@demo.test');
  const cookie = ended.cookies.get('nimbus_session') as string;
  await ended.post('/api/v1/stores/demo/auth/logout');
  const revokedSession = client();
  revokedSession.cookies.set('nimbus_session', cookie);
  callers.push({ name: 'revoked session', client: revokedSession, as: { kind: 'revoked' } });
}, 120_000);
afterAll(() => runtime?.stop());

function admits(grants: readonly Grant[], as: Caller['as'], storeRoute: boolean): boolean {
  return grants.some((grant) => {
    switch (grant.kind) {
      case 'anonymous':
        return true;
      case 'operator':
        return as.kind === 'operator';
      case 'staff':
      case 'buyer':
        return (
          as.kind === grant.kind &&
          as.tenant === 'A' &&
          storeRoute &&
          (!grant.permission || as.permissions.includes(grant.permission))
        );
      case 'apiKey':
        return as.kind === 'apiKey' && storeRoute && as.scopes.includes(grant.scope);
      default:
        return false;
    }
  });
}

const fakeParams: Record<string, string> = {
  store: 'demo',
  sessionId: 'S'.repeat(43),
  keyId: `key_${'0'.repeat(26)}`,
  tenantId: `ten_${'0'.repeat(26)}`,
};

function requestOf(operation: Operation) {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => fakeParams[name] ?? 'x');
  return {
    method: operation.method,
    path,
    body: ['POST', 'PUT', 'PATCH'].includes(operation.method) ? {} : undefined,
  };
}

describe('authorization matrix', () => {
  it('covers every route of the topology', () => {
    expect(nimbus.routes.length).toBeGreaterThan(20);
  });

  for (const { operation } of nimbus.routes) {
    it(`${operation.operationId}: ${operation.method} ${operation.path}`, async () => {
      const storeRoute = operation.path.includes('{store}');
      const { method, path, body } = requestOf(operation);
      const outcomes: string[] = [];
      for (const caller of callers) {
        const response = await caller.client.request(method, path, body === undefined ? {} : { body });
        const code: string | undefined = response.body?.error?.code;
        // Whatever the route and caller: no password hash or key digest ever leaves the API.
        if (/scrypt\$|passwordHash|secretDigest/.test(JSON.stringify(response.body ?? ''))) {
          outcomes.push(`${caller.name}: the response carries a secret's hash`);
        }
        const admitted = admits(operation.access, caller.as, storeRoute);
        let expected: string;
        if (isPublic(operation.access)) expected = 'not 401/403 from authorization';
        else if (caller.as.kind === 'anonymous' || caller.as.kind === 'revoked') expected = '401';
        else expected = admitted ? 'past authorization' : '401 or 403';
        const ok =
          expected === '401'
            ? response.status === 401
            : expected === '401 or 403'
              ? (response.status === 401 || response.status === 403) && AUTH_CODES.includes(code ?? '')
              : !AUTH_CODES.includes(code ?? '') && response.status < 500;
        if (!ok) outcomes.push(`${caller.name}: expected ${expected}, got ${response.status} ${code ?? ''}`);
        if (response.status < 300 && /logout$/.test(path)) await caller.relogin?.();
      }
      expect(outcomes).toEqual([]);
    });
  }
});

describe('ownership inside a store', () => {
  it("gives a buyer a 404 for another customer's API key, and staff a 404 for a buyer's", async () => {
    const deps = buildIdentityDeps(runtime.documentClient, runtime.tableName, runtime.url);
    const tenantA = await deps.tenants.findBySlug('demo');
    const now = systemClock.now().toISOString();
    const otherCustomer = newId('cus', systemClock);
    const otherUser = newId('usr', systemClock);
    await deps.customers.createWithOwner(
      {
        id: otherCustomer,
        tenantId: tenantA?.id as string,
        type: 'person',
        name: 'Y',
        country: 'DE',
        status: 'active',
        ownerUserId: otherUser,
        createdAt: now,
      },
      {
        id: otherUser,
        tenantId: tenantA?.id as string,
        kind: 'buyer',
        email: 'y@demo.test',
        name: 'Y',
        passwordHash: await hashPassword(DEMO_PASSWORD),
        emailVerifiedAt: now,
        status: 'active',
        customerId: otherCustomer,
        permissions: ['orders:create', 'apikeys:manage'],
        createdAt: now,
      },
    );
    const y = new ApiClient(runtime.url);
    await signIn(y, 'demo', 'y@demo.test');
    const yKey = (await y.post('/api/v1/stores/demo/api-keys', { name: 'y', scopes: ['orders:create'] })).body
      .key;
    const x = callers.find((c) => c.name === 'A buyer owner')?.client as ApiClient;
    const staff = callers.find((c) => c.name === 'A owner')?.client as ApiClient;
    expect((await x.delete(`/api/v1/stores/demo/api-keys/${yKey.id}`)).status).toBe(404);
    expect((await staff.delete(`/api/v1/stores/demo/api-keys/${yKey.id}`)).status).toBe(404);
    expect((await y.get('/api/v1/stores/demo/api-keys')).body.items.map((k: { id: string }) => k.id)).toEqual(
      [yKey.id],
    );
  });
});
