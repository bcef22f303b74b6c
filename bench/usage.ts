/**
 * Usage ingestion on the local runtime, end to end: records per second from the first call until
 * every record is stored — the ingest use case (checks, the batch queued on `usage-records`) or
 * the HTTP API (API key, parsing, the same use case), then the runtime's `recordUsage` consumer
 * (bucket writes merged across up to 10 batches, `usage.recorded` events to the bus) — each as a
 * ratio to raw BatchWriteItem items per second of same-sized items against the same DynamoDB
 * Local in the same run, at the same concurrency.
 * Every service reports its four metrics every 10 s. Workloads:
 * - `moment` (the realistic platform, and the reference platform's way): one call per moment
 *   with every service's four metrics, grouped by service — 125 services × 4 = 500 records, one
 *   bucket write per service;
 * - `buffered`: a platform that sends once a minute, each service's minute in one call — 24
 *   records per bucket write.
 * Target (issue 6): ratio ≥ 0.7.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startAccrual } from '#shared/billing/accrual.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { systemClock } from '#shared/time/clock.ts';
import type { UsageEvent } from '#shared/usage/api.ts';
import { METRIC_NAMES, stepStart } from '#shared/usage/metrics.ts';
import { dynamoDocumentClient, sqs } from '../functions/src/aws/clients.ts';
import { transact } from '../functions/src/data/transactions.ts';
import { EventBridgePublisher } from '../functions/src/events/adapters/event-bridge-publisher.ts';
import { createApiKey } from '../functions/src/identity/api-keys.ts';
import { buildIdentityDeps } from '../functions/src/identity/table-identity.ts';
import { logger } from '../functions/src/observability/logger.ts';
import { DynamoDbSubscriptionStore } from '../functions/src/subscriptions/adapters/dynamodb-subscription-store.ts';
import { DynamoDbTenantRepository } from '../functions/src/tenants/adapters/dynamodb-tenant-repository.ts';
import { SqsUsageQueue } from '../functions/src/usage/adapters/sqs-usage-queue.ts';
import { buildUsageDeps, WRITE_CONCURRENCY } from '../functions/src/usage/table-usage.ts';
import { USAGE_RECORDS_QUEUE } from '../functions/src/usage/usage-batch.ts';
import { ingestUsage } from '../functions/src/usage/usage-service.ts';
import { SUSTAINED_LOAD_JVM } from '../infra/local/backing-services.ts';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import type { Benchmark, Figure } from './harness.ts';

/** A moment of every service's four metrics is one full call: 125 × 4 = 500 records. */
const SERVICES = 125;
const EVENTS = 20_000;
const BATCH = 500;
/** Platforms calling at once, each one batch after another. */
const CALLERS = 4;
const SAMPLE_EVERY_MS = 10_000;

type Workload = 'moment' | 'buffered';

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/**
 * Every service's four metrics every 10 s, ending a minute ago: EVENTS records in calls of at
 * most 500, a service's records never split between calls.
 * - `moment`: each call one moment across all services, grouped by service.
 * - `buffered`: each call the minute of as many services as fit (20 × 24 records).
 */
function records(services: string[], run: string, workload: Workload, hoursBack: number): UsageEvent[][] {
  const perMoment = services.length * METRIC_NAMES.length;
  const moments = Math.ceil(EVENTS / perMoment);
  const start = stepStart(Date.now() - hoursBack * 3_600_000 - 60_000 - moments * SAMPLE_EVERY_MS);
  const record = (moment: number, subject: string, metric: (typeof METRIC_NAMES)[number]): UsageEvent => ({
    specversion: '1.0',
    id: `${run}-${moment}-${subject}-${metric}`,
    source: 'bench.platform',
    type: 'nimbus.usage.v1',
    subject,
    time: new Date(start + moment * SAMPLE_EVERY_MS).toISOString(),
    data: { metric, value: metric === 'egress_gb' ? 0.0125 : 20 + ((moment * 7) % 60) },
  });
  // Groups of one service's records, in the order a platform would send them.
  const groups: UsageEvent[][] = [];
  const perMinute = 60_000 / SAMPLE_EVERY_MS;
  for (let minute = 0; minute * perMinute < moments; minute++) {
    const inMinute = Array.from({ length: perMinute }, (_, index) => minute * perMinute + index).filter(
      (moment) => moment < moments,
    );
    if (workload === 'moment') {
      for (const moment of inMinute)
        for (const subject of services)
          groups.push(METRIC_NAMES.map((metric) => record(moment, subject, metric)));
    } else {
      for (const subject of services)
        groups.push(
          METRIC_NAMES.flatMap((metric) => inMinute.map((moment) => record(moment, subject, metric))),
        );
    }
  }
  const batches: UsageEvent[][] = [];
  let batch: UsageEvent[] = [];
  for (const group of groups) {
    if (batch.length + group.length > BATCH) {
      batches.push(batch);
      batch = [];
    }
    batch.push(...group);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

const count = (batches: UsageEvent[][]) => batches.reduce((total, batch) => total + batch.length, 0);

/** Raw: the same number of items, as BatchWriteItem of 25, a batch's 20 requests side by side. */
async function rawItemsPerSecond(client: DynamoDBDocumentClient, table: string, services: string[]) {
  const now = stepStart(Date.now());
  const batches = records(services, 'raw', 'moment', 0);
  const started = performance.now();
  await pool(batches, CALLERS, async (batch) => {
    const items = batch.map((event, index) => ({
      // Same key lengths and one sample: the size of a bucket item holding one record.
      pk: `T#ten_raw#USAGE#${event.subject}`,
      sk: `USAGE#${new Date(now - index * 300_000).toISOString()}`,
      entity: 'usageBucket',
      subscriptionId: event.subject,
      expiresAt: Math.floor(now / 1000),
      'c#abcdefghijkl': [Date.parse(event.time), event.data.value],
    }));
    const requests: (typeof items)[] = [];
    for (let offset = 0; offset < items.length; offset += 25) requests.push(items.slice(offset, offset + 25));
    await pool(requests, WRITE_CONCURRENCY, async (chunk) => {
      let unprocessed = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (unprocessed.length > 0) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: unprocessed } }));
        unprocessed = (result.UnprocessedItems?.[table] ?? []) as typeof unprocessed;
      }
    });
  });
  return count(batches) / ((performance.now() - started) / 1000);
}

export const usageBenchmark: Benchmark = {
  name: 'usage',
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
      const at = new Date().toISOString();
      const tenant: Tenant = {
        id: newId('ten', systemClock),
        slug: 'bench-usage',
        name: 'Usage bench',
        status: 'active',
        defaultCurrency: 'EUR',
        defaultLanguage: 'en',
        signupMode: 'open',
        createdAt: at,
      };
      await new DynamoDbTenantRepository(client, table).create(tenant);
      const subscriptions = new DynamoDbSubscriptionStore(client, table);
      const services = Array.from({ length: SERVICES }, () => newId('sub', systemClock));
      await pool(services, 16, async (id) => {
        const outcome = await transact(
          client,
          subscriptions.createItems(
            tenant.id,
            {
              id,
              customerId: `cus_bench_${id.slice(-2)}`,
              orderId: 'ord_bench',
              product: { id: 'prd_bench', slug: 'bench', name: 'Bench server', kind: 'iaas' },
              configuration: { dimensions: {}, options: {} },
              inputs: {},
              state: 'active',
              stateSince: at,
              paymentMethod: 'invoice',
              price: {
                currency: 'EUR',
                hourly: '0.1',
                stoppedHourly: '0',
                monthlyEstimate: '73',
                setup: '0',
              },
              accrual: startAccrual(at, '0'),
              createdAt: at,
              revision: 1,
            },
            [],
          ),
        );
        if (!outcome.ok) throw new Error('bench service not created');
      });
      const principal: Principal = {
        kind: 'apiKey',
        tenantId: tenant.id,
        keyId: 'key_bench',
        owner: { kind: 'merchant' },
        scopes: ['usage:write'],
      };
      // The runtime's bus, as the function reaches it (AWS_ENDPOINT_URL_EVENTBRIDGE).
      const bus = new EventBridgePublisher(new EventBridgeClient({}), process.env.EVENT_BUS_NAME as string);
      // The client a function uses (one socket pool for its writes and the trigger evaluations'
      // reads, as in the HTTP case), not the runtime's own.
      const functionClient = dynamoDocumentClient();
      const recordsQueue = runtime.queues.get(USAGE_RECORDS_QUEUE)?.url as string;
      const deps = buildUsageDeps(functionClient, table, {
        events: bus,
        queue: new SqsUsageQueue(sqs(), () => recordsQueue),
      });
      /** Waits until a queue is empty (nothing waiting, nothing in flight); the seconds it took. */
      const drained = async (queueUrl: string | undefined): Promise<number> => {
        const started = performance.now();
        for (let waited = 0; queueUrl && waited < 300_000; waited += 50) {
          const { Attributes } = await runtime.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queueUrl,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          if (
            Attributes?.ApproximateNumberOfMessages === '0' &&
            Attributes.ApproximateNumberOfMessagesNotVisible === '0'
          )
            break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return (performance.now() - started) / 1000;
      };
      /**
       * Each `usage.recorded` queues a trigger evaluation (bus rule → queue → evaluateTriggers):
       * wait for that queue too, so one workload's evaluations do not slow the next one down.
       */
      const evaluated = () => drained(runtime.queues.get('trigger-evaluations')?.url);
      /**
       * Records/s of a workload: accepted (calls answered) and recorded (the records queue empty
       * again: every record stored), and the seconds its trigger evaluations went on after it.
       */
      const measure = async (batches: UsageEvent[][], send: (batch: UsageEvent[]) => Promise<unknown>) => {
        const started = performance.now();
        await pool(batches, CALLERS, send);
        const accepted = count(batches) / ((performance.now() - started) / 1000);
        await drained(recordsQueue);
        const rate = count(batches) / ((performance.now() - started) / 1000);
        return { rate, accepted, drain: await evaluated() };
      };
      // 2a. A platform's key for the HTTP API, through the runtime's API Gateway adapter.
      const identity = buildIdentityDeps(client, table, runtime.url);
      const { secret } = await createApiKey(
        identity,
        {
          kind: 'staff',
          tenantId: tenant.id,
          userId: 'usr_bench',
          email: 'bench@test',
          roles: ['owner'],
          permissions: ['apikeys:manage'],
          sessionId: 'bench',
        },
        { name: 'bench platform', scopes: ['usage:write'] },
        {},
      );
      const post = async (batch: UsageEvent[]) => {
        const response = await fetch(`${runtime.url}/api/v1/stores/${tenant.slug}/usage`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch }),
        });
        if (response.status !== 202)
          throw new Error(`ingestUsage: ${response.status} ${await response.text()}`);
      };
      // DynamoDB Local's JIT takes tens of seconds to warm up (the first pass of anything runs at
      // half speed): a full pass of raw writes and of the use case, and some HTTP, before measuring.
      await rawItemsPerSecond(functionClient, table, services);
      await pool(records(services, 'warm', 'moment', 6), CALLERS, (batch) =>
        ingestUsage(deps, tenant, principal, batch),
      );
      for (const batch of records(services, 'http-warm', 'moment', 5).slice(0, 8)) await post(batch);
      await drained(recordsQueue);
      await evaluated();
      const rawBefore = await rawItemsPerSecond(functionClient, table, services);

      // 1. The use case, CALLERS calls at a time, both workloads.
      const throughUseCase = (workload: Workload, hoursBack: number) =>
        measure(records(services, `use-case-${workload}-${hoursBack}`, workload, hoursBack), (batch) =>
          ingestUsage(deps, tenant, principal, batch),
        );
      const useCase = await throughUseCase('moment', 1);
      const useCaseBuffered = await throughUseCase('buffered', 2);

      // 2. The HTTP API, with the platform's key (2a).
      const throughHttp = (workload: Workload, hoursBack: number) =>
        measure(records(services, `http-${workload}`, workload, hoursBack), post);
      const http = await throughHttp('moment', 3);
      const httpBuffered = await throughHttp('buffered', 4);

      // Raw before and after the others: the mean, so neither side gets the warmer database.
      const raw = (rawBefore + (await rawItemsPerSecond(functionClient, table, services))) / 2;
      const note = `${EVENTS} records, ${SERVICES} services × 4 metrics every 10 s, ${CALLERS} callers`;
      const figure = (metric: string, value: number, extra: Partial<Figure> = {}): Figure => ({
        benchmark: 'usage ingestion',
        metric,
        value,
        unit: '/s',
        ...extra,
      });
      const ratio = (metric: string, value: number, target?: number): Figure =>
        figure(metric, value / raw, { unit: '×', ...(target ? { target, atLeast: true } : {}) });
      const drained_ = (measured: { drain: number }) =>
        `trigger evaluations went on ${measured.drain.toFixed(1)} s after`;
      return [
        figure('raw BatchWriteItem items/s', raw, {
          note: `25 items a request, ${WRITE_CONCURRENCY} per caller; ${note}`,
        }),
        figure('(a) use case records/s, a moment per call', useCase.rate, {
          note: `500 records = 125 services × 4 metrics a call, recorded 10 calls at a time; accepted ${Math.round(useCase.accepted)}/s; ${drained_(useCase)}`,
        }),
        figure('(b) use case records/s, a minute buffered', useCaseBuffered.rate, {
          note: `20 services × 24 records a call; accepted ${Math.round(useCaseBuffered.accepted)}/s; ${drained_(useCaseBuffered)}`,
        }),
        figure('(c) HTTP API records/s, a moment per call', http.rate, {
          note: `API Gateway adapter, API key, parsing, the same use case; accepted ${Math.round(http.accepted)}/s; ${drained_(http)}`,
        }),
        figure('HTTP API records/s, a minute buffered', httpBuffered.rate, { note: drained_(httpBuffered) }),
        ratio('(a) use case / raw, a moment per call', useCase.rate, 0.7),
        ratio('(b) use case / raw, a minute buffered', useCaseBuffered.rate, 0.7),
        ratio('(c) HTTP / raw, a moment per call', http.rate, 0.7),
        ratio('HTTP / raw, a minute buffered', httpBuffered.rate),
      ];
    } finally {
      await runtime.stop();
    }
  },
};
