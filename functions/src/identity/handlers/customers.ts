import { registerCustomer as registerCustomerOperation } from '#shared/identity/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { httpHandler } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { registerCustomer } from '../registration.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';

export const handler = routes([
  registerCustomerOperation,
  httpHandler(
    registerCustomerOperation,
    async ({ tenant, body, event }) => {
      const result = await registerCustomer(tableIdentity(), tenant, body, clientOf(event));
      return { status: result.status === 'pending_approval' ? 202 : 201, body: result };
    },
    { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore },
  ),
]);
