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

let deps: TableCatalogDeps | undefined;

/** The catalog context of this function instance: DynamoDB adapters and one catalog cache. */
export function tableCatalog(): TableCatalogDeps {
  if (!deps) {
    const client = dynamoDocumentClient();
    const table = tableName();
    const catalog = new DynamoDbCatalogRepository(client, table);
    deps = {
      catalog,
      audit: new DynamoDbAuditLog(client, table),
      customers: new DynamoDbCustomerRepository(client, table),
      clock: systemClock,
      cache: new CatalogCache(catalog, systemClock),
    };
  }
  return deps;
}
