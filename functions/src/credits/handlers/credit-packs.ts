import { DEFAULT_BILLING_SETTINGS } from '#shared/billing/settings.ts';
import { listCreditPacks, upsertCreditPack } from '#shared/credits/api.ts';
import { systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { DynamoDbBillingStore } from '../../billing/adapters/dynamodb-billing-store.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { DynamoDbCreditPackStore } from '../adapters/dynamodb-credit-pack-store.ts';
import * as packs from '../credit-pack-service.ts';

const options = { authenticator: tableAuthenticator };

let deps: packs.CreditPackDeps | undefined;
function tablePacks(): packs.CreditPackDeps {
  if (deps) return deps;
  const billing = new DynamoDbBillingStore(dynamoDocumentClient(), tableName());
  deps = {
    packs: new DynamoDbCreditPackStore(dynamoDocumentClient(), tableName()),
    // Read on every save: a merchant saving packs right after changing the credit prices sees them.
    billingSettings: async (tenantId) => (await billing.settings(tenantId)) ?? DEFAULT_BILLING_SETTINGS,
    clock: systemClock,
  };
  return deps;
}

/** Credit packs: the storefront's list, the merchant's definitions. */
export const handler = routes(
  [
    listCreditPacks,
    httpHandler(
      listCreditPacks,
      async ({ tenant, principal, query }) =>
        ok(await packs.listCreditPacks(tablePacks(), tenant, principal, query)),
      options,
    ),
  ],
  [
    upsertCreditPack,
    httpHandler(
      upsertCreditPack,
      async ({ tenant, principal, params, body }) =>
        ok(await packs.upsertCreditPack(tablePacks(), tenant, principal, params.packId, body)),
      options,
    ),
  ],
);
