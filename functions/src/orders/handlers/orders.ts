import { checkout, getOrder, listOrders } from '#shared/orders/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { tableMoney } from '../../payments/table-payments.ts';
import * as orders from '../checkout.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** Checkout and the orders it makes (card and invoice payment through the payments context). */
export const handler = routes(
  [
    checkout,
    httpHandler(
      checkout,
      async ({ tenant, principal, body }) =>
        created(await orders.checkout(tableMoney().orders, tenant, principal, body)),
      options,
    ),
  ],
  [
    getOrder,
    httpHandler(
      getOrder,
      async ({ tenant, principal, params }) =>
        ok(await orders.getOrder(tableMoney().orders, tenant, principal, params.orderId)),
      options,
    ),
  ],
  [
    listOrders,
    httpHandler(
      listOrders,
      async ({ tenant, principal, query }) =>
        ok(await orders.listOrders(tableMoney().orders, tenant, principal, query)),
      options,
    ),
  ],
);
