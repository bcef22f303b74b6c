import { listConnectors, rotateConnectorSecret, upsertConnector } from '#shared/provisioning/api.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as connectors from '../connectors.ts';
import { tableConnectors } from '../table-provisioning.ts';

const options = { authenticator: tableAuthenticator };

/** Provisioning connectors in the merchant console: list, create or change, rotate the secret. */
export const handler = routes(
  [
    listConnectors,
    httpHandler(
      listConnectors,
      async ({ tenant }) => ok(await connectors.listConnectors(tableConnectors(), tenant)),
      options,
    ),
  ],
  [
    upsertConnector,
    httpHandler(
      upsertConnector,
      async ({ tenant, body }) => {
        const outcome = await connectors.upsertConnector(tableConnectors(), tenant, body);
        return outcome.created ? created(outcome.connector) : ok(outcome.connector);
      },
      options,
    ),
  ],
  [
    rotateConnectorSecret,
    httpHandler(
      rotateConnectorSecret,
      async ({ tenant, params, body }) =>
        ok(await connectors.rotateConnectorSecret(tableConnectors(), tenant, params.connectorId, body)),
      options,
    ),
  ],
);
