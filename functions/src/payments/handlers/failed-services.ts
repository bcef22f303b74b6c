import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { refundFailedService } from '../refund.ts';
import { tableMoney } from '../table-payments.ts';

let tenants: DynamoDbTenantRepository | undefined;

/** subscription.failed (through the failed-services queue) → the order refunded, the buyer told. */
export const handler = sqsConsumer(BusEvent, async ({ detail }) => {
  tenants ??= new DynamoDbTenantRepository(dynamoDocumentClient(), tableName());
  const tenant = await tenants.get(detail.tenant);
  const orderId = detail.data.orderId;
  if (!tenant || typeof orderId !== 'string') return;
  const outcome = await refundFailedService(tableMoney(), tenant, {
    subscriptionId: detail.subject,
    orderId,
    reason:
      typeof detail.data.reason === 'string' ? detail.data.reason : 'The service could not be provisioned',
  });
  logger.info('failed service', { subscriptionId: detail.subject, orderId, refunded: outcome?.refunded });
});
