/**
 * The billing sweep's three stages, and the test-clock walker:
 *   hourlySweep (schedule)     → one message per store        → billing-stores queue
 *   sweepStore (billing-stores) → a message per due item, a customer's services together → billing-items
 *   billItem (billing-items)   → posts the hours (a customer's in one transaction), ends services,
 *                                looks at wallets
 * Every stage is idempotent: a message delivered twice, or a sweep run twice, changes nothing
 * more (each (service, hour) is posted once by its key).
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrlEnvName } from '#infra/topology/types.ts';
import { dynamoDocumentClient, sqs } from '../../aws/clients.ts';
import { requiredEnv, tableName } from '../../aws/environment.ts';
import { scheduledHandler } from '../../events/scheduled-handler.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import type { StoredSubscription } from '../../subscriptions/subscription.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { groupDueItems, MAX_ITEMS_PER_GROUP, processDueItems } from '../sweep.ts';
import { tableBilling } from '../table-billing.ts';
import { isSandbox, timeOn } from '../tenant-clock.ts';
import { walkTestClock } from '../test-clock.ts';

export const BILLING_STORES_QUEUE = 'billing-stores';
export const BILLING_ITEMS_QUEUE = 'billing-items';

/** Sends in batches of 10 (the SQS maximum), several batches in flight at once. */
async function sendAll(queue: string, bodies: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  const url = requiredEnv(queueUrlEnvName(queue));
  const inFlight = new Set<Promise<void>>();
  const send = (batch: unknown[]) => {
    const sending = sqs()
      .send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((body, index) => ({ Id: String(index), MessageBody: JSON.stringify(body) })),
        }),
      )
      .then((result) => {
        if (result.Failed?.length) throw new Error(`${result.Failed.length} message(s) not sent to ${queue}`);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };
  let batch: unknown[] = [];
  for await (const body of bodies) {
    batch.push(body);
    if (batch.length < 10) continue;
    send(batch);
    batch = [];
    if (inFlight.size >= MAX_SENDS_IN_FLIGHT) await Promise.race(inFlight);
  }
  if (batch.length > 0) send(batch);
  await Promise.all(inFlight);
}

const MAX_SENDS_IN_FLIGHT = 8;

let tenants: DynamoDbTenantRepository | undefined;
const tenantRepository = () =>
  (tenants ??= new DynamoDbTenantRepository(dynamoDocumentClient(), tableName()));

/** Every hour: one message per active store. */
export const hourlySweep = scheduledHandler(async ({ scheduledTime }) => {
  const stores = (await tenantRepository().list()).filter((tenant) => tenant.status === 'active');
  await sendAll(
    BILLING_STORES_QUEUE,
    stores.map((tenant) => ({ tenantId: tenant.id, scheduledTime: scheduledTime.toISOString() })),
  );
  logger.info('billing sweep fanned out', { stores: stores.length });
});

const StoreMessage = z.object({ tenantId: z.string().min(1), scheduledTime: z.iso.datetime() });

/** One store: every item with work due by the store's time now. */
export const sweepStore = sqsConsumer(StoreMessage, async ({ tenantId }) => {
  const deps = tableBilling();
  const tenant = await tenantRepository().get(tenantId);
  if (!tenant) return;
  const clock = isSandbox(tenant) ? await deps.billing.clock(tenantId) : undefined;
  // A store whose test clock is moving is swept by the walk, hour by hour.
  if (clock?.status === 'advancing') return;
  const until = timeOn(clock, deps.clock.now()).toISOString();
  // Streamed: the first items are being billed while the index is still being read. A
  // customer's services travel together, to be posted in one transaction.
  async function* messages() {
    for await (const items of groupDueItems(deps.dueItems(tenantId, until))) yield { tenantId, items, until };
  }
  await sendAll(BILLING_ITEMS_QUEUE, messages());
});

const ItemsMessage = z.object({
  tenantId: z.string().min(1),
  until: z.iso.datetime(),
  items: z
    .array(
      z.object({
        kind: z.enum(['subscription', 'wallet']),
        sk: z.string().min(1),
        dueAt: z.string(),
        // Our own copy of the service from the index; its revision guards every write made from it.
        subscription: z.looseObject({ id: z.string(), revision: z.number().int() }).optional(),
      }),
    )
    .min(1)
    .max(MAX_ITEMS_PER_GROUP),
});

/** Due work of one item, or of a customer's services together. */
export const billItem = sqsConsumer(ItemsMessage, async ({ tenantId, items, until }) => {
  await processDueItems(
    tableBilling(),
    { id: tenantId },
    items.map(({ subscription, ...rest }) =>
      subscription ? { ...rest, subscription: subscription as unknown as StoredSubscription } : rest,
    ),
    until,
  );
});

const WalkMessage = z.object({ tenantId: z.string().min(1) });

/** Walks an advancing test clock; sends itself a new message to go on when its time runs low. */
export const walkTestClocks = sqsConsumer(WalkMessage, async ({ tenantId }, record) => {
  const deps = tableBilling();
  const started = Date.now();
  // The consumer's own timeout bounds a walk; the topology gives it 900 s.
  const done = await walkTestClock(
    { ...deps.testClock, sweep: deps },
    { id: tenantId },
    () => 840_000 - (Date.now() - started),
  );
  if (!done) await deps.testClock.startWalk(tenantId);
  logger.info('test clock walked', { tenantId, done, messageId: record.messageId });
});
