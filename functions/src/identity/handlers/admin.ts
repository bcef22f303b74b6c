import { inviteUser, listAuditLog } from '#shared/identity/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { inviteStaff } from '../invitations.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

export const handler = routes(
  [
    inviteUser,
    httpHandler(
      inviteUser,
      async ({ tenant, principal, body, event }) =>
        created(await inviteStaff(tableIdentity(), tenant, principal, body, clientOf(event))),
      options,
    ),
  ],
  [
    listAuditLog,
    httpHandler(
      listAuditLog,
      async ({ tenant, query }) =>
        ok(
          await tableIdentity().audit.list(
            { kind: 'tenant', tenantId: tenant.id },
            query.limit,
            query.cursor,
          ),
        ),
      options,
    ),
  ],
);
