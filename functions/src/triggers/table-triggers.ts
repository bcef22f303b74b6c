/**
 * The triggers context wired on the table: its store, the catalog (products' dimensions), the
 * subscriptions context it resizes through, the usage it reads, the bus and the store clocks.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queueUrlEnvName } from '#infra/topology/types.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient, eventBridge, sqs } from '../aws/clients.ts';
import { eventBusName, requiredEnv, tableName } from '../aws/environment.ts';
import { tableBilling } from '../billing/table-billing.ts';
import { DynamoDbCatalogRepository } from '../catalog/adapters/dynamodb-catalog-repository.ts';
import { EventBridgePublisher } from '../events/adapters/event-bridge-publisher.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { DynamoDbTenantRepository } from '../tenants/adapters/dynamodb-tenant-repository.ts';
import { DynamoDbUsageStore } from '../usage/adapters/dynamodb-usage-store.ts';
import { DynamoDbTriggerStore } from './adapters/dynamodb-trigger-store.ts';
import type { EvaluationDeps } from './evaluation.ts';
import type { PolicyDeps } from './policies.ts';
import type { ServiceTriggerDeps } from './service-triggers.ts';

/** The queue of evaluations: `usage.recorded` events and the schedule's messages. */
export const TRIGGER_EVALUATION_QUEUE = 'trigger-evaluations';

export type TriggerDeps = {
  policies: PolicyDeps;
  serviceTriggers: ServiceTriggerDeps;
  evaluation: EvaluationDeps;
  tenants: { get(tenantId: string): Promise<Tenant | undefined>; list(): Promise<Tenant[]> };
};

export function buildTriggerDeps(
  client: DynamoDBDocumentClient,
  table: string,
  wiring: { services: SubscriptionDeps; events: EventPublisher; clock?: Clock },
): TriggerDeps {
  const clock = wiring.clock ?? systemClock;
  const triggers = new DynamoDbTriggerStore(client, table);
  const catalog = new DynamoDbCatalogRepository(client, table);
  const product = (tenantId: string, productId: string) => catalog.getProduct(tenantId, productId);
  return {
    policies: { triggers, product, clock },
    serviceTriggers: { triggers, subscriptions: wiring.services.subscriptions, product, clock },
    evaluation: {
      triggers,
      services: wiring.services,
      usage: new DynamoDbUsageStore(client, table),
      events: wiring.events,
      clock,
    },
    tenants: new DynamoDbTenantRepository(client, table),
  };
}

let deps: TriggerDeps | undefined;

/** The triggers context of this function instance. */
export function tableTriggers(): TriggerDeps {
  deps ??= buildTriggerDeps(dynamoDocumentClient(), tableName(), {
    services: tableBilling(),
    events: new EventBridgePublisher(eventBridge(), eventBusName()),
  });
  return deps;
}

/** Sends evaluation messages, 10 a call (the SQS maximum). */
export async function sendEvaluations(messages: Array<{ tenantId: string; subscriptionId: string }>) {
  const url = requiredEnv(queueUrlEnvName(TRIGGER_EVALUATION_QUEUE));
  for (let offset = 0; offset < messages.length; offset += 10) {
    const batch = messages.slice(offset, offset + 10);
    const result = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
      }),
    );
    if (result.Failed?.length) throw new Error(`${result.Failed.length} evaluation message(s) not sent`);
  }
}
