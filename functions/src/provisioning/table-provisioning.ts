/**
 * The provisioning context wired on the table: connectors, the payments context's data keys
 * (reused, not copied: one key ring seals every merchant secret), the catalog to check products.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient } from '../aws/clients.ts';
import { tableName } from '../aws/environment.ts';
import { DynamoDbCatalogRepository } from '../catalog/adapters/dynamodb-catalog-repository.ts';
import { dataKeys } from '../payments/data-keys.ts';
import { DynamoDbConnectorStore } from './adapters/dynamodb-connector-store.ts';
import type { ConnectorDeps } from './connectors.ts';

export function buildConnectorDeps(
  client: DynamoDBDocumentClient,
  table: string,
  options: { clock?: Clock; secrets?: ConnectorDeps['secrets'] } = {},
): ConnectorDeps {
  const catalog = new DynamoDbCatalogRepository(client, table);
  return {
    connectors: new DynamoDbConnectorStore(client, table),
    secrets: options.secrets ?? dataKeys,
    productExists: async (tenantId, productId) =>
      (await catalog.getProduct(tenantId, productId)) !== undefined,
    clock: options.clock ?? systemClock,
  };
}

let deps: ConnectorDeps | undefined;

/** The connectors of this function instance. */
export function tableConnectors(): ConnectorDeps {
  deps ??= buildConnectorDeps(dynamoDocumentClient(), tableName());
  return deps;
}
