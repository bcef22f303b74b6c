import { getStorefront as getStorefrontOperation } from '#shared/tenants/api.ts';
import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { DynamoDbTenantRepository } from '../adapters/dynamodb-tenant-repository.ts';
import { getStorefront } from '../storefronts.ts';

const tenants = new DynamoDbTenantRepository(dynamoDocumentClient(), tableName());

export const handler = httpHandler(getStorefrontOperation, async ({ params }) =>
  ok(await getStorefront(tenants, params.store)),
);
