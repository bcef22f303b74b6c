import { getUsageSeries, ingestUsage } from '#shared/usage/api.ts';
import { accepted, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { tableUsage } from '../table-usage.ts';
import * as usage from '../usage-service.ts';

const options = { authenticator: tableAuthenticator };

/** Usage: platforms report it, buyers and staff read it as series. */
export const handler = routes(
  [
    ingestUsage,
    httpHandler(
      ingestUsage,
      async ({ tenant, principal, body }) =>
        accepted(await usage.ingestUsage(tableUsage(), tenant, principal, body.events)),
      options,
    ),
  ],
  [
    getUsageSeries,
    httpHandler(
      getUsageSeries,
      async ({ tenant, principal, params, query }) =>
        ok(await usage.getUsageSeries(tableUsage(), tenant, principal, params.subscriptionId, query)),
      options,
    ),
  ],
);
