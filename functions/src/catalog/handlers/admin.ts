import { listBasketRules, testBasketRule, upsertBasketRule } from '#shared/basket/api.ts';
import {
  createProduct,
  getCatalogSettings,
  listProducts,
  listZeroResultSearches,
  publishProduct,
  retireProduct,
  updateCatalogSettings,
  updateProduct,
  upsertCategory,
} from '#shared/catalog/api.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import * as rules from '../../basket/basket-rules-admin.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as admin from '../catalog-admin.ts';
import { listZeroResultSearches as zeroResults } from '../storefront-catalog.ts';
import { tableCatalog } from '../table-catalog.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** A change made here shows on this instance's storefront reads at once (others within a second). */
function changed<T>(tenant: Tenant, result: T): T {
  tableCatalog().cache.invalidate(tenant.id);
  return result;
}

/** The merchant console's catalog: products, categories, settings, basket rules, search statistics. */
export const handler = routes(
  [
    createProduct,
    httpHandler(
      createProduct,
      async ({ tenant, principal, body }) =>
        created(changed(tenant, await admin.createProduct(tableCatalog(), tenant, principal, body))),
      options,
    ),
  ],
  [
    updateProduct,
    httpHandler(
      updateProduct,
      async ({ tenant, principal, params, body }) =>
        ok(
          changed(
            tenant,
            await admin.updateProduct(tableCatalog(), tenant, principal, params.productId, body),
          ),
        ),
      options,
    ),
  ],
  ...[publishProduct, retireProduct].map(
    (operation) =>
      [
        operation,
        httpHandler(
          operation,
          async ({ tenant, principal, params, body }) =>
            ok(
              changed(
                tenant,
                await admin.changeProductStatus(
                  tableCatalog(),
                  tenant,
                  principal,
                  params.productId,
                  operation === publishProduct ? 'published' : 'retired',
                  body.expectedRevision,
                ),
              ),
            ),
          options,
        ),
      ] as const,
  ),
  [
    listProducts,
    httpHandler(
      listProducts,
      async ({ tenant, query }) => ok(await tableCatalog().catalog.listProducts(tenant.id, query)),
      options,
    ),
  ],
  [
    upsertCategory,
    httpHandler(
      upsertCategory,
      async ({ tenant, principal, params, body }) =>
        ok(
          changed(
            tenant,
            await admin.upsertCategory(tableCatalog(), tenant, principal, { ...body, id: params.categoryId }),
          ),
        ),
      options,
    ),
  ],
  [
    getCatalogSettings,
    httpHandler(
      getCatalogSettings,
      async ({ tenant }) => ok(await admin.catalogSettings(tableCatalog(), tenant)),
      options,
    ),
  ],
  [
    updateCatalogSettings,
    httpHandler(
      updateCatalogSettings,
      async ({ tenant, principal, body }) =>
        ok(changed(tenant, await admin.updateCatalogSettings(tableCatalog(), tenant, principal, body))),
      options,
    ),
  ],
  [
    listZeroResultSearches,
    httpHandler(
      listZeroResultSearches,
      async ({ tenant, query }) => ok(await zeroResults(tableCatalog(), tenant, query.limit)),
      options,
    ),
  ],
  [
    listBasketRules,
    httpHandler(
      listBasketRules,
      async ({ tenant }) => ok({ items: await tableCatalog().catalog.rules(tenant.id) }),
      options,
    ),
  ],
  [
    upsertBasketRule,
    httpHandler(
      upsertBasketRule,
      async ({ tenant, principal, params, body }) =>
        ok(
          changed(
            tenant,
            await rules.upsertBasketRule(tableCatalog(), tenant, principal, { ...body, id: params.ruleId }),
          ),
        ),
      options,
    ),
  ],
  [
    testBasketRule,
    httpHandler(
      testBasketRule,
      async ({ tenant, principal, body }) =>
        ok(await rules.testBasketRule(tableCatalog(), tenant, principal, body)),
      options,
    ),
  ],
);
