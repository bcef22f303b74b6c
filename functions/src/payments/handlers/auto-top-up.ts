import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { topUp } from '../auto-top-up.ts';
import { tableMoney } from '../table-payments.ts';

let tenants: DynamoDbTenantRepository | undefined;

/** credits.top_up_due (through the auto-top-ups queue) → the pack, bought with the saved card. */
export const handler = sqsConsumer(BusEvent, async ({ detail }) => {
  tenants ??= new DynamoDbTenantRepository(dynamoDocumentClient(), tableName());
  const tenant = await tenants.get(detail.tenant);
  if (!tenant) return;
  const purchase = await topUp(tableMoney().purchases, tenant, detail);
  logger.info('auto top-up', { eventId: detail.id, purchase: purchase?.id, status: purchase?.status });
});
