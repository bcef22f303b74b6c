import { dynamoDocumentClient } from '../../aws/clients.ts';
import { requiredEnv, tableName } from '../../aws/environment.ts';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { DynamoDbUserRepository } from '../../identity/adapters/dynamodb-user-repository.ts';
import type { User } from '../../identity/model.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { DynamoDbNoticeLog } from '../adapters/dynamodb-notice-log.ts';
import { emailSender } from '../adapters/ses-email-sender.ts';
import { type CustomerNoticeDeps, sendCustomerNotice } from '../customer-notices.ts';

let deps: CustomerNoticeDeps | undefined;
function noticeDeps(): CustomerNoticeDeps {
  if (deps) return deps;
  const client = dynamoDocumentClient();
  const users = new DynamoDbUserRepository(client, tableName());
  const tenants = new DynamoDbTenantRepository(client, tableName());
  deps = {
    tenant: (tenantId) => tenants.get(tenantId),
    members: async (tenantId, customerId) => {
      const ids = await users.customerMemberIds(tenantId, customerId);
      const found = await Promise.all(ids.map((id) => users.get(tenantId, id)));
      return found.filter((user): user is User => user !== undefined);
    },
    email: emailSender(),
    notices: new DynamoDbNoticeLog(client, tableName()),
    publicUrl: requiredEnv('PUBLIC_URL'),
  };
  return deps;
}

/** credits.low, credits.exhausted, order.failed from the bus (through the customer-notices queue) → emails. */
export const handler = sqsConsumer(BusEvent, async ({ detail }) => {
  const sent = await sendCustomerNotice(noticeDeps(), detail);
  logger.info('customer notice', { eventId: detail.id, type: detail.type, sent });
});
