import {
  getAccount as getAccountOperation,
  inviteCustomerUser as inviteCustomerUserOperation,
  listCustomerUsers as listCustomerUsersOperation,
  updateCustomerUser,
} from '#shared/identity/admin-api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';
import { getAccount, inviteCustomerUser, listCustomerUsers, setCustomerUserPermissions } from '../team.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** A buyer's own account and its users. */
export const handler = routes(
  [
    getAccountOperation,
    httpHandler(
      getAccountOperation,
      async ({ principal }) => ok(await getAccount(tableIdentity(), principal)),
      options,
    ),
  ],
  [
    listCustomerUsersOperation,
    httpHandler(
      listCustomerUsersOperation,
      async ({ principal }) => ok({ items: await listCustomerUsers(tableIdentity(), principal) }),
      options,
    ),
  ],
  [
    inviteCustomerUserOperation,
    httpHandler(
      inviteCustomerUserOperation,
      async ({ tenant, principal, body, event }) =>
        created(await inviteCustomerUser(tableIdentity(), tenant, principal, body, clientOf(event))),
      options,
    ),
  ],
  [
    updateCustomerUser,
    httpHandler(
      updateCustomerUser,
      async ({ tenant, principal, params, body, event }) =>
        ok(
          await setCustomerUserPermissions(
            tableIdentity(),
            tenant,
            principal,
            params.userId,
            body.permissions,
            clientOf(event),
          ),
        ),
      options,
    ),
  ],
);
