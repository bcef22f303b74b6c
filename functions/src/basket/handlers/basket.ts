import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  addBasketItem,
  getBasket,
  removeBasketItem,
  updateBasketItem,
  validateBasket,
} from '#shared/basket/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as baskets from '../basket-service.ts';
import { tableBasket } from '../table-basket.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };
const tokenOf = (event: APIGatewayProxyEventV2) => event.headers?.['basket-token'];

/** The buyer's (or visitor's) basket. */
export const handler = routes(
  [
    getBasket,
    httpHandler(
      getBasket,
      async ({ tenant, principal, event }) =>
        ok(
          await baskets.getBasket(
            tableBasket(),
            tenant,
            { principal, token: tokenOf(event) },
            { checkAvailability: false },
          ),
        ),
      options,
    ),
  ],
  [
    validateBasket,
    httpHandler(
      validateBasket,
      async ({ tenant, principal, event }) =>
        ok(
          await baskets.getBasket(
            tableBasket(),
            tenant,
            { principal, token: tokenOf(event) },
            { checkAvailability: true },
          ),
        ),
      options,
    ),
  ],
  [
    addBasketItem,
    httpHandler(
      addBasketItem,
      async ({ tenant, principal, body, event }) =>
        created(
          await baskets.addBasketItem(tableBasket(), tenant, { principal, token: tokenOf(event) }, body),
        ),
      options,
    ),
  ],
  [
    updateBasketItem,
    httpHandler(
      updateBasketItem,
      async ({ tenant, principal, params, body, event }) =>
        ok(
          await baskets.updateBasketItem(
            tableBasket(),
            tenant,
            { principal, token: tokenOf(event) },
            params.itemId,
            body,
          ),
        ),
      options,
    ),
  ],
  [
    removeBasketItem,
    httpHandler(
      removeBasketItem,
      async ({ tenant, principal, params, event }) =>
        ok(
          await baskets.removeBasketItem(
            tableBasket(),
            tenant,
            { principal, token: tokenOf(event) },
            params.itemId,
          ),
        ),
      options,
    ),
  ],
);
