import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbHeartbeatRepository } from '../adapters/dynamodb-heartbeat-repository.ts';

const heartbeats = new DynamoDbHeartbeatRepository(dynamoDocumentClient(), tableName());

export const handler = sqsConsumer(BusEvent, async ({ detail }) => {
  const outcome = await heartbeats.record({ eventId: detail.id, at: new Date(detail.time) });
  logger.debug('heartbeat', { eventId: detail.id, outcome });
});
