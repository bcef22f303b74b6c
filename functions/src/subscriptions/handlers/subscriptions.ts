import {
  cancelSubscription,
  getSubscription,
  listSubscriptions,
  previewResize,
  resizeSubscription,
  resumeSubscription,
  startSubscription,
  stopSubscription,
  suspendSubscription,
} from '#shared/subscriptions/api.ts';
import { tableBilling } from '../../billing/table-billing.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as services from '../subscription-service.ts';

const options = { authenticator: tableAuthenticator };

const action = (operation: typeof startSubscription, verb: 'start' | 'stop' | 'suspend' | 'resume') =>
  [
    operation,
    httpHandler(
      operation,
      async ({ tenant, principal, params, body }) =>
        ok(await services.act(tableBilling(), tenant, principal, params.subscriptionId, verb, body?.reason)),
      options,
    ),
  ] as const;

/** A buyer's services (and, for staff, every customer's): look, start, stop, resize, cancel. */
export const handler = routes(
  [
    listSubscriptions,
    httpHandler(
      listSubscriptions,
      async ({ tenant, principal, query }) =>
        ok(await services.listSubscriptions(tableBilling(), tenant, principal, query)),
      options,
    ),
  ],
  [
    getSubscription,
    httpHandler(
      getSubscription,
      async ({ tenant, principal, params }) =>
        ok(await services.getSubscription(tableBilling(), tenant, principal, params.subscriptionId)),
      options,
    ),
  ],
  action(startSubscription, 'start'),
  action(stopSubscription, 'stop'),
  action(suspendSubscription, 'suspend'),
  action(resumeSubscription, 'resume'),
  [
    previewResize,
    httpHandler(
      previewResize,
      async ({ tenant, principal, params, body }) =>
        ok(
          await services.previewResize(
            tableBilling(),
            tenant,
            principal,
            params.subscriptionId,
            body.configuration,
          ),
        ),
      options,
    ),
  ],
  [
    resizeSubscription,
    httpHandler(
      resizeSubscription,
      async ({ tenant, principal, params, body }) =>
        ok(await services.resizeSubscription(tableBilling(), tenant, principal, params.subscriptionId, body)),
      options,
    ),
  ],
  [
    cancelSubscription,
    httpHandler(
      cancelSubscription,
      async ({ tenant, principal, params, body }) =>
        ok(
          await services.cancelSubscription(tableBilling(), tenant, principal, params.subscriptionId, {
            when: body?.when ?? 'now',
            reason: body?.reason,
          }),
        ),
      options,
    ),
  ],
);
