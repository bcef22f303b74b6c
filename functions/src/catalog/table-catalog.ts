import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient } from '../aws/clients.ts';
import { tableName } from '../aws/environment.ts';
import { DynamoDbAuditLog } from '../identity/adapters/dynamodb-audit-log.ts';
import { DynamoDbCustomerRepository } from '../identity/adapters/dynamodb-customer-repository.ts';
import { DynamoDbCatalogRepository } from './adapters/dynamodb-catalog-repository.ts';
import type { CatalogDeps } from './catalog-admin.ts';
import { CatalogCache } from './catalog-view.ts';
import type { StorefrontCatalogDeps } from './storefront-catalog.ts';

export type TableCatalogDeps = CatalogDeps & StorefrontCatalogDeps;

/** The catalog context on a table: DynamoDB adapters, the system clock, one catalog cache. */
export function buildCatalogDeps(
  client: DynamoDBDocumentClient,
  table: string,
  cacheFreshnessMs?: number,
): TableCatalogDeps {
  const catalog = new DynamoDbCatalogRepository(client, table);
  return {
    catalog,
    audit: new DynamoDbAuditLog(client, table),
    customers: new DynamoDbCustomerRepository(client, table),
    clock: systemClock,
    cache: new CatalogCache(catalog, systemClock, cacheFreshnessMs),
  };
}

let deps: TableCatalogDeps | undefined;

/** The catalog context of this function instance. */
export function tableCatalog(): TableCatalogDeps {
  deps ??= buildCatalogDeps(dynamoDocumentClient(), tableName());
  return deps;
}
