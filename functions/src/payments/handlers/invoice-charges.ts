import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { chargeIssuedInvoice } from '../invoice-charges.ts';
import { tableMoney } from '../table-payments.ts';

let tenants: DynamoDbTenantRepository | undefined;

/** invoice.issued (through the invoice-charges queue) → an open card invoice charged to the saved card. */
export const handler = sqsConsumer(BusEvent, async ({ detail }) => {
  tenants ??= new DynamoDbTenantRepository(dynamoDocumentClient(), tableName());
  const tenant = await tenants.get(detail.tenant);
  if (!tenant) return;
  const outcome = await chargeIssuedInvoice(tableMoney(), tenant, detail);
  logger.info('invoice charge', { eventId: detail.id, outcome });
});
