/**
 * Demo data for `npm start`: the demo store. Idempotent, so a second start finds it and leaves it.
 * Later issues add the demo catalog, users and their logins here.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTenantRepository } from '#functions/tenants/adapters/dynamodb-tenant-repository.ts';
import { newId } from '#shared/ids/ids.ts';
import { systemClock } from '#shared/time/clock.ts';

export const DEMO_STORE = {
  slug: 'demo',
  name: 'Demo Cloud',
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
} as const;

/** Logins printed at start: none until identity exists (issue 3 adds operator, merchant and buyers). */
export const demoLogins: Array<{ role: string; email: string; password: string }> = [];

export async function seedDemoData(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<'created' | 'existing'> {
  const tenants = new DynamoDbTenantRepository(client, tableName);
  if (await tenants.findBySlug(DEMO_STORE.slug)) return 'existing';
  await tenants.create({
    id: newId('ten', systemClock),
    ...DEMO_STORE,
    status: 'active',
    createdAt: systemClock.now().toISOString(),
  });
  return 'created';
}
