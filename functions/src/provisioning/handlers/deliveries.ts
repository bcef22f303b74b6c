import { listDeliveries, provisioningCallback, replayDelivery } from '#shared/provisioning/api.ts';
import { accepted, httpHandler, ok, rawBody } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as callbacks from '../callbacks.ts';
import * as deliveries from '../deliveries.ts';
import { tableProvisioning } from '../table-provisioning.ts';

const options = { authenticator: tableAuthenticator };

/** The merchant's delivery log and replays; the platforms' callbacks. */
export const handler = routes(
  [
    listDeliveries,
    httpHandler(
      listDeliveries,
      async ({ tenant, query }) =>
        ok(await deliveries.listDeliveries(tableProvisioning().deliveries, tenant, query)),
      options,
    ),
  ],
  [
    replayDelivery,
    httpHandler(
      replayDelivery,
      async ({ tenant, params }) =>
        accepted(await deliveries.replayDelivery(tableProvisioning().deliveries, tenant, params.deliveryId)),
      options,
    ),
  ],
  [
    provisioningCallback,
    httpHandler(
      provisioningCallback,
      async ({ tenant, principal, event, headers, body }) =>
        ok(
          await callbacks.provisioningCallback(tableProvisioning().callbacks, tenant, {
            principal,
            rawBody: rawBody(event),
            headers,
            body,
          }),
        ),
      options,
    ),
  ],
);
