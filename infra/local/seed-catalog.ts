/**
 * The demo store's catalog (shared/src/catalog/demo-catalog.ts), written through the merchant's
 * use cases so it is validated like anything a merchant saves. Runs when the demo store's catalog
 * is empty, so a data folder from before the catalog existed gets it too.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { upsertBasketRule } from '#functions/basket/basket-rules-admin.ts';
import {
  changeProductStatus,
  createProduct,
  updateCatalogSettings,
  upsertCategory,
} from '#functions/catalog/catalog-admin.ts';
import { buildCatalogDeps } from '#functions/catalog/table-catalog.ts';
import { BasketRule } from '#shared/basket/basket.ts';
import { ProductDraft } from '#shared/catalog/catalog.ts';
import {
  demoBasketRules,
  demoCatalogSettings,
  demoCategories,
  demoProducts,
} from '#shared/catalog/demo-catalog.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';

/** Who the seed's audit entries name. */
const SEED_PRINCIPAL: Principal = { kind: 'anonymous' };

export async function seedDemoCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  tenant: Tenant,
): Promise<'created' | 'existing'> {
  // No caching: each rule saved below is checked against the products just written.
  const deps = buildCatalogDeps(client, tableName, 0);
  if ((await deps.catalog.version(tenant.id)) > 0) return 'existing';
  await updateCatalogSettings(deps, tenant, SEED_PRINCIPAL, demoCatalogSettings);
  // Parents before children: the list is ordered top-down.
  for (const category of demoCategories) await upsertCategory(deps, tenant, SEED_PRINCIPAL, category);
  for (const draft of demoProducts) {
    const product = await createProduct(deps, tenant, SEED_PRINCIPAL, ProductDraft.parse(draft));
    await changeProductStatus(deps, tenant, SEED_PRINCIPAL, product.id, 'published');
  }
  for (const rule of demoBasketRules)
    await upsertBasketRule(deps, tenant, SEED_PRINCIPAL, BasketRule.parse(rule));
  return 'created';
}
