import {
  createApiKey as createApiKeyOperation,
  listApiKeys as listApiKeysOperation,
  revokeApiKey as revokeApiKeyOperation,
} from '#shared/identity/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../api-keys.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

export const handler = routes(
  [
    createApiKeyOperation,
    httpHandler(
      createApiKeyOperation,
      async ({ principal, body, event }) =>
        created(await createApiKey(tableIdentity(), principal, body, clientOf(event))),
      options,
    ),
  ],
  [
    listApiKeysOperation,
    httpHandler(
      listApiKeysOperation,
      async ({ principal }) => ok({ items: await listApiKeys(tableIdentity(), principal) }),
      options,
    ),
  ],
  [
    revokeApiKeyOperation,
    httpHandler(
      revokeApiKeyOperation,
      async ({ principal, params, event }) => {
        await revokeApiKey(tableIdentity(), principal, params.keyId, clientOf(event));
        return { status: 204 };
      },
      options,
    ),
  ],
);
