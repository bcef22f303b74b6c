/**
 * The hourly billing sweep on the local runtime: services charged per second, from the schedule
 * firing to the last posting (schedule → billing-stores → billing-items → billItem, DynamoDB
 * Local, fauxqs), as a ratio to raw TransactWriteItems per second of the same shape (wallet
 * update, entry, idempotency key, service) at the same concurrency against the same database.
 * The bench's customers have two services each: the sweep posts both in one transaction (as it
 * would for any customer with several), the raw side writes one transaction per service.
 * Target (issue 5): ratio ≥ 0.7.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { hourOf } from '#shared/billing/accrual.ts';
import { newId } from '#shared/ids/ids.ts';
import { systemClock } from '#shared/time/clock.ts';
import { buildBillingDeps } from '../functions/src/billing/table-billing.ts';
import { creditWallet } from '../functions/src/credits/ledger-service.ts';
import { dueShardPks, tenantPk } from '../functions/src/data/keys.ts';
import { transact } from '../functions/src/data/transactions.ts';
import { logger } from '../functions/src/observability/logger.ts';
import { createService } from '../functions/src/subscriptions/subscription-service.ts';
import { DynamoDbTenantRepository } from '../functions/src/tenants/adapters/dynamodb-tenant-repository.ts';
import { SUSTAINED_LOAD_JVM } from '../infra/local/backing-services.ts';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { nimbus } from '../infra/topology/nimbus.ts';
import type { Benchmark, Figure } from './harness.ts';

const SERVICES = 600;
const SERVICES_PER_CUSTOMER = 2;
/** Postings in flight: batches of 10 (worked on at once), times the batches the mapping runs at once. */
const CONCURRENCY =
  10 * (nimbus.queues.find((queue) => queue.name === 'billing-items')?.consumer.maxConcurrency ?? 1);
const system = { kind: 'system', id: 'bench' } as const;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export const billingBenchmark: Benchmark = {
  name: 'billing',
  run: async (): Promise<Figure[]> => {
    const jvm = process.env.JAVA_TOOL_OPTIONS;
    process.env.JAVA_TOOL_OPTIONS = jvm ?? SUSTAINED_LOAD_JVM;
    const runtime = await startLocalRuntime({ port: 0, webRoot: null, runSchedules: false, quiet: true });
    if (jvm === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = jvm;
    logger.setLogLevel('ERROR');
    try {
      const client = runtime.documentClient;
      const table = runtime.tableName;
      const tenantId = newId('ten', systemClock);
      await new DynamoDbTenantRepository(client, table).create({
        id: tenantId,
        slug: 'bench-billing',
        name: 'Billing bench',
        status: 'active',
        defaultCurrency: 'EUR',
        defaultLanguage: 'en',
        signupMode: 'open',
        createdAt: new Date().toISOString(),
      });
      const deps = buildBillingDeps(client, table, {
        events: { publish: async () => undefined },
        cache: { view: () => Promise.reject(new Error('not used')) },
        checkedBasket: () => Promise.reject(new Error('not used')),
        startWalk: async () => undefined,
      });
      // Services started 30 minutes before the last hour boundary: one (partial) hour each is due,
      // one debit each, so a posting writes what the raw transaction below writes.
      const started = new Date(Date.parse(hourOf(new Date().toISOString())) - 30 * 60_000).toISOString();
      const customers = Array.from(
        { length: SERVICES / SERVICES_PER_CUSTOMER },
        (_, index) => `cus_bench_${index}`,
      );
      await pool(customers, CONCURRENCY, (customerId) =>
        creditWallet(
          deps.ledger,
          { tenantId, customerId, currency: 'EUR' },
          {
            type: 'purchase',
            amount: 1_000_000,
            reason: 'bench',
            actor: system,
            idempotencyKey: `bench-${customerId}`,
            at: started,
          },
        ),
      );
      await pool(
        Array.from({ length: SERVICES }, (_, index) => index),
        CONCURRENCY,
        (index) =>
          createService(
            deps,
            tenantId,
            {
              id: newId('sub', systemClock),
              customerId: customers[index % customers.length] as string,
              orderId: 'ord_bench',
              product: { id: 'prd_bench', slug: 'bench', name: 'Bench server', kind: 'iaas' },
              configuration: { dimensions: {}, options: {} },
              inputs: {},
              paymentMethod: 'credits',
              price: {
                currency: 'EUR',
                hourly: '0.0766',
                stoppedHourly: '0',
                monthlyEstimate: '55.92',
                setup: '0',
                credits: { hourly: '0.0766', stoppedHourly: '0' },
              },
            },
            started,
          ),
      );

      const dueCount = async (until: string) => {
        let count = 0;
        for (const partition of dueShardPks(tenantId)) {
          const page = await client.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'dueWork',
              KeyConditionExpression: 'duePk = :due AND dueAt <= :until',
              ExpressionAttributeValues: { ':due': partition, ':until': until },
              Select: 'COUNT',
            }),
          );
          count += page.Count ?? 0;
        }
        return count;
      };
      const now = new Date();
      const until = now.toISOString();
      if ((await dueCount(until)) !== SERVICES) throw new Error('the services are not due as planned');
      // Done when both sweep queues are empty, nothing in flight included (deleted after work).
      const queued = async () => {
        let count = 0;
        for (const name of ['billing-stores', 'billing-items']) {
          const { Attributes } = await runtime.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: runtime.queues.get(name)?.url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          count +=
            Number(Attributes?.ApproximateNumberOfMessages) +
            Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
        }
        return count;
      };
      const sweepStart = performance.now();
      await runtime.scheduler.fire('hourlyBilling', now);
      while ((await queued()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const left = await dueCount(until);
      if (left > 0) throw new Error(`${left} services were not charged`);
      const sweepSeconds = (performance.now() - sweepStart) / 1000;
      const charged = SERVICES / sweepSeconds;

      // The same transaction shape, straight to DynamoDB Local at the same concurrency.
      const pk = tenantPk('ten_raw');
      const rawStart = performance.now();
      await pool(
        Array.from({ length: SERVICES }, (_, index) => index),
        CONCURRENCY,
        async (index) => {
          const wallet = `RAW_WALLET#${index % (SERVICES / SERVICES_PER_CUSTOMER)}`;
          const outcome = await transact(client, [
            {
              Update: {
                TableName: table,
                Key: { pk, sk: wallet },
                UpdateExpression: 'ADD version :one SET balance = :balance',
                ExpressionAttributeValues: { ':one': 1, ':balance': 1000 },
              },
            },
            { Put: { TableName: table, Item: { pk, sk: `${wallet}#ENTRY#${index}`, amount: -15 } } },
            {
              Put: {
                TableName: table,
                Item: { pk, sk: `${wallet}#KEY#${index}`, entryId: index },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: table, Item: { pk, sk: `RAW_SERVICE#${index}`, revision: 2 } } },
          ]);
          if (!outcome.ok) throw new Error('raw transaction failed');
        },
      );
      const raw = SERVICES / ((performance.now() - rawStart) / 1000);
      return [
        {
          benchmark: 'billing sweep',
          metric: 'services charged per second',
          value: charged,
          unit: '/s',
          note: `${SERVICES} services, ${sweepSeconds.toFixed(1)} s from the schedule`,
        },
        {
          benchmark: 'billing sweep',
          metric: 'raw TransactWriteItems per second',
          value: raw,
          unit: '/s',
          note: `4 items, ${CONCURRENCY} at a time`,
        },
        {
          benchmark: 'billing sweep',
          metric: 'charged / raw',
          value: charged / raw,
          unit: '×',
          target: 0.7,
          atLeast: true,
        },
      ];
    } finally {
      await runtime.stop();
    }
  },
};
