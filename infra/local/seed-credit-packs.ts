/** The demo store's credit packs (shared/src/credits/demo-packs.ts), saved through the merchant's use case. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbBillingStore } from '#functions/billing/adapters/dynamodb-billing-store.ts';
import { DynamoDbCreditPackStore } from '#functions/credits/adapters/dynamodb-credit-pack-store.ts';
import { upsertCreditPack } from '#functions/credits/credit-pack-service.ts';
import { DEFAULT_BILLING_SETTINGS } from '#shared/billing/settings.ts';
import { demoCreditPacks } from '#shared/credits/demo-packs.ts';
import { CreditPackInput } from '#shared/credits/packs.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { systemClock } from '#shared/time/clock.ts';

const seedStaff = (tenantId: string): Principal => ({
  kind: 'staff',
  tenantId,
  userId: 'usr_seed',
  email: 'seed@nimbus.local',
  roles: [],
  permissions: ['finance:manage'],
  sessionId: 'seed',
});

/** Runs when the store has no packs yet, so a data folder from before packs existed gets them too. */
export async function seedDemoCreditPacks(
  client: DynamoDBDocumentClient,
  tableName: string,
  tenant: Tenant,
): Promise<'created' | 'existing'> {
  const packs = new DynamoDbCreditPackStore(client, tableName);
  if ((await packs.all(tenant.id)).length > 0) return 'existing';
  const billing = new DynamoDbBillingStore(client, tableName);
  const deps = {
    packs,
    billingSettings: async (tenantId: string) =>
      (await billing.settings(tenantId)) ?? DEFAULT_BILLING_SETTINGS,
    clock: systemClock,
  };
  for (const { id, ...pack } of demoCreditPacks) {
    await upsertCreditPack(deps, tenant, seedStaff(tenant.id), id, CreditPackInput.parse(pack));
  }
  return 'created';
}
