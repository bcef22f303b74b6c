/** The usage context wired on the table: its store, the services, the bus, the store clocks. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queueUrlEnvName } from '#infra/topology/types.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { DEFAULT_RETENTION_DAYS } from '#shared/usage/metrics.ts';
import { dynamoDocumentClient, eventBridge, sqs } from '../aws/clients.ts';
import { eventBusName, requiredEnv, tableName } from '../aws/environment.ts';
import { DynamoDbBillingStore } from '../billing/adapters/dynamodb-billing-store.ts';
import { tenantClock } from '../billing/tenant-clock.ts';
import { EventBridgePublisher } from '../events/adapters/event-bridge-publisher.ts';
import { DynamoDbSubscriptionStore } from '../subscriptions/adapters/dynamodb-subscription-store.ts';
import { DynamoDbUsageStore } from './adapters/dynamodb-usage-store.ts';
import { SqsUsageQueue } from './adapters/sqs-usage-queue.ts';
import { USAGE_RECORDS_QUEUE, type UsageQueue } from './usage-batch.ts';
import type { UsageDeps } from './usage-service.ts';

/**
 * Bucket writes in flight per batch of messages: 10 batches of 500 records touch up to 5,000
 * buckets, and one round trip each, one after another, would take seconds.
 */
export const WRITE_CONCURRENCY = 32;

export function buildUsageDeps(
  client: DynamoDBDocumentClient,
  table: string,
  wiring: {
    events: EventPublisher;
    queue: UsageQueue;
    clock?: Clock;
    retentionDays?: number;
    writeConcurrency?: number;
  },
): UsageDeps {
  const clock = wiring.clock ?? systemClock;
  return {
    usage: new DynamoDbUsageStore(client, table),
    subscriptions: new DynamoDbSubscriptionStore(client, table),
    events: wiring.events,
    queue: wiring.queue,
    clock,
    time: tenantClock(new DynamoDbBillingStore(client, table), clock),
    retentionDays: wiring.retentionDays ?? DEFAULT_RETENTION_DAYS,
    writeConcurrency: wiring.writeConcurrency ?? WRITE_CONCURRENCY,
  };
}

let deps: UsageDeps | undefined;

/** The usage context of this function instance. */
export function tableUsage(): UsageDeps {
  deps ??= buildUsageDeps(dynamoDocumentClient(), tableName(), {
    events: new EventBridgePublisher(eventBridge(), eventBusName()),
    queue: new SqsUsageQueue(sqs(), () => requiredEnv(queueUrlEnvName(USAGE_RECORDS_QUEUE))),
  });
  return deps;
}
