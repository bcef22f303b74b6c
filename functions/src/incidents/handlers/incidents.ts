import { getIncident, listIncidents, recordIncident } from '#shared/incidents/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as incidents from '../incident-service.ts';
import { tableIncidents } from '../table-incidents.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** Merchant staff record SLA incidents and follow their credits. */
export const handler = routes(
  [
    recordIncident,
    httpHandler(
      recordIncident,
      async ({ tenant, principal, body }) => {
        const result = await incidents.recordIncident(tableIncidents(), tenant, principal, body);
        return result.created ? created(result.incident) : ok(result.incident);
      },
      options,
    ),
  ],
  [
    listIncidents,
    httpHandler(
      listIncidents,
      async ({ tenant, query }) => ok(await incidents.listIncidents(tableIncidents(), tenant, query)),
      options,
    ),
  ],
  [
    getIncident,
    httpHandler(
      getIncident,
      async ({ tenant, params }) =>
        ok(await incidents.getIncident(tableIncidents(), tenant, params.incidentId)),
      options,
    ),
  ],
);
