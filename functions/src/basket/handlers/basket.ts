import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  addBasketItem,
  getBasket,
  removeBasketItem,
  updateBasketItem,
  validateBasket,
} from '#shared/basket/api.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as baskets from '../basket-service.ts';
import { tableBasket } from '../table-basket.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** Who asks, with the visitor basket token they sent (see basket-service.ts). */
const callerOf = ({ principal, event }: { principal: Principal; event: APIGatewayProxyEventV2 }) => ({
  principal,
  token: event.headers?.['basket-token'],
});

/** The buyer's (or visitor's) basket. */
export const handler = routes(
  [
    getBasket,
    httpHandler(
      getBasket,
      async (request) =>
        ok(
          await baskets.getBasket(tableBasket(), request.tenant, callerOf(request), {
            checkAvailability: false,
          }),
        ),
      options,
    ),
  ],
  [
    validateBasket,
    httpHandler(
      validateBasket,
      async (request) =>
        ok(
          await baskets.getBasket(tableBasket(), request.tenant, callerOf(request), {
            checkAvailability: true,
          }),
        ),
      options,
    ),
  ],
  [
    addBasketItem,
    httpHandler(
      addBasketItem,
      async (request) =>
        created(await baskets.addBasketItem(tableBasket(), request.tenant, callerOf(request), request.body)),
      options,
    ),
  ],
  [
    updateBasketItem,
    httpHandler(
      updateBasketItem,
      async (request) =>
        ok(
          await baskets.updateBasketItem(
            tableBasket(),
            request.tenant,
            callerOf(request),
            request.params.itemId,
            request.body,
          ),
        ),
      options,
    ),
  ],
  [
    removeBasketItem,
    httpHandler(
      removeBasketItem,
      async (request) =>
        ok(
          await baskets.removeBasketItem(
            tableBasket(),
            request.tenant,
            callerOf(request),
            request.params.itemId,
          ),
        ),
      options,
    ),
  ],
);
