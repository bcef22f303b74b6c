import { getWallet, grantCredits, listWalletEntries } from '#shared/credits/api.ts';
import { tableBilling } from '../../billing/table-billing.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as wallets from '../wallet-service.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** Wallets, their ledgers, and staff grants. */
export const handler = routes(
  [
    getWallet,
    httpHandler(
      getWallet,
      async ({ tenant, principal, query }) =>
        ok(await wallets.getWallet(tableBilling().walletUseCases, tenant, principal, query)),
      options,
    ),
  ],
  [
    listWalletEntries,
    httpHandler(
      listWalletEntries,
      async ({ tenant, principal, query }) =>
        ok(await wallets.listWalletEntries(tableBilling().walletUseCases, tenant, principal, query)),
      options,
    ),
  ],
  [
    grantCredits,
    httpHandler(
      grantCredits,
      async ({ tenant, principal, params, body, headers }) =>
        created(
          await wallets.grantCredits(
            tableBilling().walletUseCases,
            tenant,
            principal,
            params.customerId,
            body,
            headers['idempotency-key'],
          ),
        ),
      options,
    ),
  ],
);
