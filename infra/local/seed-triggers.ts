/**
 * The demo store's capacity-trigger policies, seeded with the reference platform (whose load
 * spikes make them fire): a buyer turns one on for a service on its page. Saved through the
 * merchant's use case, so they are checked like anything a merchant saves. Runs while the store
 * has no policies, so a data folder from before triggers existed gets them too.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCatalogRepository } from '#functions/catalog/adapters/dynamodb-catalog-repository.ts';
import { DynamoDbTriggerStore } from '#functions/triggers/adapters/dynamodb-trigger-store.ts';
import { upsertTriggerPolicy } from '#functions/triggers/policies.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { systemClock } from '#shared/time/clock.ts';
import { UpsertTriggerPolicyRequest } from '#shared/triggers/trigger.ts';

/** Scale up on load, by product slug and dimension (the reference platform's spikes reach 85–98 %). */
const DEMO_POLICIES = [
  { product: 'virtual-server', name: 'More vCPU under load', dimension: 'vcpu', step: 1, min: 1, max: 8 },
  {
    product: 'managed-postgresql',
    name: 'More vCPU under load',
    dimension: 'vcpu',
    step: 1,
    min: 1,
    max: 16,
  },
];

export async function seedDemoTriggerPolicies(
  client: DynamoDBDocumentClient,
  tableName: string,
  tenant: Tenant,
): Promise<'created' | 'existing'> {
  const triggers = new DynamoDbTriggerStore(client, tableName);
  if ((await triggers.listPolicies(tenant.id)).length > 0) return 'existing';
  const catalog = new DynamoDbCatalogRepository(client, tableName);
  const deps = {
    triggers,
    product: (tenantId: string, productId: string) => catalog.getProduct(tenantId, productId),
    clock: systemClock,
  };
  for (const policy of DEMO_POLICIES) {
    const productId = await catalog.productIdBySlug(tenant.id, policy.product);
    if (!productId) continue;
    await upsertTriggerPolicy(
      deps,
      tenant,
      UpsertTriggerPolicyRequest.parse({
        productId,
        name: policy.name,
        metric: 'cpu_pct',
        aggregation: 'avg',
        windowMinutes: 5,
        operator: '>',
        threshold: 80,
        durationMinutes: 0,
        action: {
          kind: 'scale',
          direction: 'up',
          dimension: policy.dimension,
          step: policy.step,
          min: policy.min,
          max: policy.max,
        },
        cooldownMinutes: 30,
        hysteresis: 20,
      }),
    );
  }
  return 'created';
}
