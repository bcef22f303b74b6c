import {
  createTenant as createTenantOperation,
  listTenants as listTenantsOperation,
  operatorLogin as operatorLoginOperation,
  operatorLogout as operatorLogoutOperation,
  updateTenant as updateTenantOperation,
} from '#shared/tenants/operator-api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { operatorLogin, operatorLogout } from '../../identity/operators.ts';
import { tableAuthenticator, tableIdentity } from '../../identity/table-identity.ts';
import { createTenant, listTenants, updateTenant } from '../tenant-admin.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

export const handler = routes(
  [
    operatorLoginOperation,
    httpHandler(
      operatorLoginOperation,
      async ({ body, event }) => {
        const { view, cookie } = await operatorLogin(tableIdentity(), body, clientOf(event));
        return { status: 200, body: view, cookies: [cookie] };
      },
      options,
    ),
  ],
  [
    operatorLogoutOperation,
    httpHandler(
      operatorLogoutOperation,
      async ({ principal }) => ({ status: 204, cookies: [await operatorLogout(tableIdentity(), principal)] }),
      options,
    ),
  ],
  [
    createTenantOperation,
    httpHandler(
      createTenantOperation,
      async ({ principal, body }) => created((await createTenant(tableIdentity(), principal, body)).tenant),
      options,
    ),
  ],
  [
    listTenantsOperation,
    httpHandler(
      listTenantsOperation,
      async ({ principal }) => ok({ items: await listTenants(tableIdentity(), principal) }),
      options,
    ),
  ],
  [
    updateTenantOperation,
    httpHandler(
      updateTenantOperation,
      async ({ principal, params, body }) =>
        ok(await updateTenant(tableIdentity(), principal, params.tenantId, body)),
      options,
    ),
  ],
);
