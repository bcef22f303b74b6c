import { dynamoDocumentClient } from '../aws/clients.ts';
import { tableName } from '../aws/environment.ts';
import { tableCatalog } from '../catalog/table-catalog.ts';
import { DynamoDbUserRepository } from '../identity/adapters/dynamodb-user-repository.ts';
import { DynamoDbBasketRepository } from './adapters/dynamodb-basket-repository.ts';
import { HttpRegistrar } from './adapters/http-registrar.ts';
import type { BasketDeps } from './basket-service.ts';

let deps: BasketDeps | undefined;

/** The basket context of this function instance, sharing the catalog cache. */
export function tableBasket(): BasketDeps {
  if (!deps) {
    const client = dynamoDocumentClient();
    const table = tableName();
    const users = new DynamoDbUserRepository(client, table);
    const catalog = tableCatalog();
    const registrarUrl = process.env.REGISTRAR_URL;
    deps = {
      baskets: new DynamoDbBasketRepository(client, table),
      cache: catalog.cache,
      customers: catalog.customers,
      accountUsers: async (tenantId, customerId) =>
        (await users.customerMemberIds(tenantId, customerId)).length,
      // Domains a customer holds arrive with services (subscriptions); until then, none.
      ownedDomains: async () => [],
      registrar: registrarUrl ? new HttpRegistrar(registrarUrl) : undefined,
      clock: catalog.clock,
    };
  }
  return deps;
}
