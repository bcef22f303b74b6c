/**
 * The provisioning context wired on the table: connectors, the payments context's data keys
 * (reused, not copied: one key ring seals every merchant secret), the catalog to check products.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deadLetterQueueName, queueUrlEnvName } from '#infra/topology/types.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient, eventBridge, sqs } from '../aws/clients.ts';
import { eventBusName, requiredEnv, tableName } from '../aws/environment.ts';
import { tableBilling } from '../billing/table-billing.ts';
import { DynamoDbCatalogRepository } from '../catalog/adapters/dynamodb-catalog-repository.ts';
import { EventBridgePublisher } from '../events/adapters/event-bridge-publisher.ts';
import { dataKeys } from '../payments/data-keys.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { DynamoDbTenantRepository } from '../tenants/adapters/dynamodb-tenant-repository.ts';
import { DynamoDbConnectorStore } from './adapters/dynamodb-connector-store.ts';
import { DynamoDbCallbackLog, DynamoDbDeliveryStore } from './adapters/dynamodb-delivery-store.ts';
import { applyActivationAnswer, type CallbackDeps } from './callbacks.ts';
import type { ConnectorDeps } from './connectors.ts';
import type { DeliveryDeps } from './deliveries.ts';
import { postJson } from './outbound-http.ts';
import { type RetryPolicy, retryPolicyFromEnv } from './retry-policy.ts';

export function buildConnectorDeps(
  client: DynamoDBDocumentClient,
  table: string,
  options: { clock?: Clock; secrets?: ConnectorDeps['secrets'] } = {},
): ConnectorDeps {
  const catalog = new DynamoDbCatalogRepository(client, table);
  return {
    connectors: new DynamoDbConnectorStore(client, table),
    secrets: options.secrets ?? dataKeys,
    productExists: async (tenantId, productId) =>
      (await catalog.getProduct(tenantId, productId)) !== undefined,
    clock: options.clock ?? systemClock,
  };
}

let deps: ConnectorDeps | undefined;

/** The connectors of this function instance. */
export function tableConnectors(): ConnectorDeps {
  deps ??= buildConnectorDeps(dynamoDocumentClient(), tableName());
  return deps;
}

/** The queue of webhook attempts (and of the subscription events that start them). */
export const WEBHOOK_DELIVERY_QUEUE = 'webhook-deliveries';
/** How long a platform has to answer a webhook. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export type ProvisioningWiring = {
  clock?: Clock;
  events: EventPublisher;
  services: SubscriptionDeps;
  queue: DeliveryDeps['queue'];
  secrets?: ConnectorDeps['secrets'];
  retry?: RetryPolicy;
};

/** Deliveries and callbacks on the table, with the subscriptions context they act on. */
export function buildProvisioningDeps(
  client: DynamoDBDocumentClient,
  table: string,
  wiring: ProvisioningWiring,
): { deliveries: DeliveryDeps; callbacks: CallbackDeps } {
  const connectors = new DynamoDbConnectorStore(client, table);
  const tenants = new DynamoDbTenantRepository(client, table);
  const slugs = new Map<string, string>();
  const secrets = wiring.secrets ?? dataKeys;
  const callbacks: CallbackDeps = {
    services: wiring.services,
    connectors,
    secrets,
    callbackLog: new DynamoDbCallbackLog(client, table),
  };
  const deliveries: DeliveryDeps = {
    deliveries: new DynamoDbDeliveryStore(client, table),
    connectors,
    secrets,
    clock: wiring.clock ?? systemClock,
    retry: wiring.retry ?? retryPolicyFromEnv(),
    storeSlug: async (tenantId) => {
      const known = slugs.get(tenantId);
      if (known) return known;
      const slug = (await tenants.get(tenantId))?.slug;
      if (slug) slugs.set(tenantId, slug);
      return slug;
    },
    publicUrl: () => (process.env.PUBLIC_URL ?? '').replace(/\/$/, ''),
    post: (url, body, headers) =>
      postJson(url, body, headers, {
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        // Only the one-machine runtime talks to a platform on localhost (the reference platform).
        allowLoopback: process.env.NIMBUS_LOOPBACK_WEBHOOKS === 'allow',
      }),
    queue: wiring.queue,
    events: wiring.events,
    activationAnswered: async (tenantId, delivery, answer) => {
      const tenant = await tenants.get(tenantId);
      if (tenant) await applyActivationAnswer(callbacks, tenant, delivery, answer);
    },
  };
  return { deliveries, callbacks };
}

let provisioning: ReturnType<typeof buildProvisioningDeps> | undefined;

/** Deliveries and callbacks of this function instance. */
export function tableProvisioning(): ReturnType<typeof buildProvisioningDeps> {
  provisioning ??= buildProvisioningDeps(dynamoDocumentClient(), tableName(), {
    events: new EventBridgePublisher(eventBridge(), eventBusName()),
    services: tableBilling(),
    queue: {
      send: async (message, delaySeconds) => {
        await sqs().send(
          new SendMessageCommand({
            QueueUrl: requiredEnv(queueUrlEnvName(WEBHOOK_DELIVERY_QUEUE)),
            MessageBody: JSON.stringify(message),
            DelaySeconds: delaySeconds,
          }),
        );
      },
      deadLetter: async (message) => {
        await sqs().send(
          new SendMessageCommand({
            QueueUrl: requiredEnv(queueUrlEnvName(deadLetterQueueName(WEBHOOK_DELIVERY_QUEUE))),
            MessageBody: JSON.stringify(message),
          }),
        );
      },
    },
  });
  return provisioning;
}
