/**
 * Demo data for `npm start`: an operator and the demo store with a merchant owner, a company
 * buyer (owner) and a member without `finance:view`. Idempotent: a second start finds the store
 * and leaves everything as it is. Refuses to run against anything but local emulators.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createOperator } from '#functions/identity/operators.ts';
import { hashPassword } from '#functions/identity/secrets.ts';
import { buildIdentityDeps } from '#functions/identity/table-identity.ts';
import { BUYER_MEMBER_DEFAULT_PERMISSIONS, BUYER_OWNER_PERMISSIONS } from '#shared/identity/permissions.ts';
import { newId } from '#shared/ids/ids.ts';
import { systemClock } from '#shared/time/clock.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoCreditPacks } from './seed-credit-packs.ts';

export const DEMO_STORE = {
  slug: 'demo',
  name: 'Demo Cloud',
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
  sandbox: true,
} as const;

/** Demo only: these passwords are printed at start and written in the README. */
export const DEMO_PASSWORD = 'nimbus-demo-password';

export const demoLogins = [
  { role: 'operator', email: 'operator@nimbus.test', password: DEMO_PASSWORD, where: '/operator' },
  { role: 'merchant', email: 'merchant@demo.test', password: DEMO_PASSWORD, where: '/stores/demo/login' },
  { role: 'buyer', email: 'buyer@demo.test', password: DEMO_PASSWORD, where: '/stores/demo/login' },
  { role: 'member', email: 'member@demo.test', password: DEMO_PASSWORD, where: '/stores/demo/login' },
] as const;

/** The seed writes demo passwords: only ever into emulators on this machine. */
export function requireLocalEndpoint(endpoint: string | undefined): void {
  const host = endpoint ? new URL(endpoint).hostname : '';
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`The demo seed runs only against local emulators, not ${endpoint ?? 'AWS'}`);
  }
}

export async function seedDemoData(
  client: DynamoDBDocumentClient,
  tableName: string,
  dynamoDbEndpoint: string,
): Promise<'created' | 'existing'> {
  requireLocalEndpoint(dynamoDbEndpoint);
  const deps = buildIdentityDeps(client, tableName, 'http://localhost');
  const existing = await deps.tenants.findBySlug(DEMO_STORE.slug);
  if (existing) {
    await seedDemoCatalog(client, tableName, existing);
    await seedDemoCreditPacks(client, tableName, existing);
    return 'existing';
  }

  const now = systemClock.now().toISOString();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await createOperator(deps, {
    email: 'operator@nimbus.test',
    name: 'Olivia Operator',
    password: DEMO_PASSWORD,
  });

  const tenantId = newId('ten', systemClock);
  await deps.tenants.create({
    id: tenantId,
    ...DEMO_STORE,
    status: 'active',
    signupMode: 'open',
    createdAt: now,
  });
  await deps.roles.createDefaults(tenantId);
  await deps.users.create({
    id: newId('usr', systemClock),
    tenantId,
    kind: 'staff',
    email: 'merchant@demo.test',
    name: 'Mia Merchant',
    passwordHash,
    emailVerifiedAt: now,
    status: 'active',
    roles: ['owner'],
    createdAt: now,
  });

  const customerId = newId('cus', systemClock);
  const buyerId = newId('usr', systemClock);
  await deps.customers.createWithOwner(
    {
      id: customerId,
      tenantId,
      type: 'company',
      name: 'Acme Robotics GmbH',
      country: 'DE',
      vatId: 'DE123456789',
      status: 'active',
      ownerUserId: buyerId,
      createdAt: now,
    },
    {
      id: buyerId,
      tenantId,
      kind: 'buyer',
      email: 'buyer@demo.test',
      name: 'Ben Buyer',
      passwordHash,
      emailVerifiedAt: now,
      status: 'active',
      customerId,
      permissions: [...BUYER_OWNER_PERMISSIONS],
      createdAt: now,
    },
  );
  await deps.users.create({
    id: newId('usr', systemClock),
    tenantId,
    kind: 'buyer',
    email: 'member@demo.test',
    name: 'Max Member',
    passwordHash,
    emailVerifiedAt: now,
    status: 'active',
    customerId,
    permissions: [...BUYER_MEMBER_DEFAULT_PERMISSIONS],
    createdAt: now,
  });
  const tenant = await deps.tenants.get(tenantId);
  if (tenant) {
    await seedDemoCatalog(client, tableName, tenant);
    await seedDemoCreditPacks(client, tableName, tenant);
  }
  return 'created';
}
