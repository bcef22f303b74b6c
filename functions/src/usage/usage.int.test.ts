/**
 * Usage against DynamoDB Local: a batch sent twice counts once; one bad record rejects the whole
 * batch and writes nothing; another store's service is unknown; buyers read only their own
 * services' series; series, totals and trigger windows add up; events say what was recorded.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccrual } from '#shared/billing/accrual.ts';
import { ValidationError } from '#shared/errors.ts';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { ManualClock, systemClock } from '#shared/time/clock.ts';
import type { UsageEvent } from '#shared/usage/api.ts';
import { freshTable } from '../../../test/support/services.ts';
import { type FreshUsageQueue, freshUsageQueue, usageRecord } from '../../../test/support/usage-queue.ts';
import { usagePk } from '../data/keys.ts';
import { transact } from '../data/transactions.ts';
import { DynamoDbSubscriptionStore } from '../subscriptions/adapters/dynamodb-subscription-store.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { buildUsageDeps } from './table-usage.ts';
import { getUsageSeries, ingestUsage, type UsageDeps } from './usage-service.ts';
import { type BucketWrite, windowAggregate } from './usage-store.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: UsageDeps;
const published: EventEnvelope[] = [];
const NOW = '2026-12-04T21:00:00.000Z';
const clock = new ManualClock(NOW);

const tenant = (id: string): Tenant => ({
  id,
  slug: id.replace('_', '-'),
  name: id,
  status: 'active',
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
  signupMode: 'open',
  createdAt: NOW,
});
const storeA = tenant('ten_usage_a');
const storeB = tenant('ten_usage_b');
const platformOf = (store: Tenant): Principal => ({
  kind: 'apiKey',
  tenantId: store.id,
  keyId: 'key_platform',
  owner: { kind: 'merchant' },
  scopes: ['usage:write'],
});
const buyer = (store: Tenant, customerId: string): Principal => ({
  kind: 'buyer',
  tenantId: store.id,
  customerId,
  userId: `usr_${customerId}`,
  email: `${customerId}@test`,
  permissions: ['services:manage'],
  sessionId: 's',
});
const staff: Principal = {
  kind: 'staff',
  tenantId: storeA.id,
  userId: 'usr_staff',
  email: 'staff@test',
  roles: ['support'],
  permissions: ['customers:read'],
  sessionId: 's',
};

async function service(store: Tenant, customerId: string): Promise<string> {
  const id = newId('sub', systemClock);
  const subscription: StoredSubscription = {
    id,
    customerId,
    orderId: 'ord_usage',
    product: { id: 'prd_usage', slug: 'usage', name: 'Usage server', kind: 'iaas' },
    configuration: { dimensions: {}, options: {} },
    inputs: {},
    state: 'active',
    stateSince: NOW,
    paymentMethod: 'invoice',
    price: { currency: 'EUR', hourly: '0.1', stoppedHourly: '0', monthlyEstimate: '73', setup: '0' },
    accrual: startAccrual(NOW, '0'),
    createdAt: NOW,
    revision: 1,
  };
  const store_ = new DynamoDbSubscriptionStore(table.documentClient, table.tableName);
  const outcome = await transact(table.documentClient, store_.createItems(store.id, subscription, []));
  expect(outcome.ok).toBe(true);
  return id;
}

let sequence = 0;
const record = (subject: string, metric: string, value: number, time: string, id = `u-${++sequence}`) =>
  usageRecord(subject, metric, value, time, id);

/** The deps with each bucket write noted (as `describe` names it) before it is made. */
function countingWrites(describe: (write: BucketWrite) => string): { deps: UsageDeps; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    deps: {
      ...deps,
      usage: {
        buckets: deps.usage.buckets.bind(deps.usage),
        services: deps.usage.services.bind(deps.usage),
        record: (tenantId, write) => {
          writes.push(describe(write));
          return deps.usage.record(tenantId, write);
        },
      },
    },
  };
}

async function storedBuckets(store: Tenant, subscriptionId: string) {
  const { Items } = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': usagePk(store.id, subscriptionId) },
    }),
  );
  return Items ?? [];
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

let usageQueue: FreshUsageQueue;

/** Accepts a batch and records it, as the API and the queue's consumer do (`duplicates`: already stored). */
async function ingest(store: Tenant, records: UsageEvent[], wired: UsageDeps = deps) {
  const accepted = await ingestUsage(wired, store, platformOf(store), records);
  const { duplicates } = await usageQueue.drain(wired);
  return { ...accepted, duplicates };
}

beforeAll(async () => {
  table = await freshTable();
  usageQueue = await freshUsageQueue();
  deps = buildUsageDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async (_source, events) => void published.push(...events) },
    queue: usageQueue.queue,
  });
});
afterAll(async () => {
  await usageQueue.drop();
  await table.drop();
});

describe('ingesting usage', () => {
  it('counts a batch sent twice once, and a record repeated within a batch once', async () => {
    const [one, two] = [await service(storeA, 'cus_a1'), await service(storeA, 'cus_a1')];
    const batch = [
      record(one, 'cpu_pct', 40, '2026-12-04T20:35:10Z'),
      record(one, 'cpu_pct', 60, '2026-12-04T20:36:10Z'),
      record(one, 'cpu_pct', 80, '2026-12-04T20:41:00Z'),
      record(one, 'egress_gb', 1.5, '2026-12-04T20:36:00Z'),
      record(two, 'memory_pct', 10, '2026-12-04T20:50:00Z'),
    ];
    const first = await ingest(storeA, batch);
    expect(first).toEqual({ accepted: 5, duplicates: 0, late: 0 });
    // The retry, with a changed value: the first value stands (same id and source, same record).
    const retry = batch.map((event, index) =>
      index === 0 ? { ...event, data: { ...event.data, value: 99 } } : event,
    );
    expect(await ingest(storeA, retry)).toEqual({
      accepted: 5,
      duplicates: 5,
      late: 0,
    });
    const again = record(one, 'cpu_pct', 70, '2026-12-04T20:37:00Z', 'u-same');
    expect(await ingest(storeA, [again, again])).toEqual({
      accepted: 2,
      duplicates: 1,
      late: 0,
    });

    const cpu = await getUsageSeries(deps, storeA, staff, one, {
      metric: 'cpu_pct',
      from: '2026-12-04T20:30:00Z',
      step: '5m',
    });
    expect(cpu.points).toEqual([
      { at: '2026-12-04T20:35:00.000Z', count: 3, min: 40, max: 70, avg: 56.666667, sum: 170, last: 70 },
      { at: '2026-12-04T20:40:00.000Z', count: 1, min: 80, max: 80, avg: 80, sum: 80, last: 80 },
    ]);
    const items = await storedBuckets(storeA, one);
    expect(items).toHaveLength(2);
    // Kept for 90 days after the bucket ends, then the table's TTL removes it.
    expect(items[0]?.expiresAt).toBe(Date.parse('2026-12-04T20:40:00Z') / 1000 + 90 * 86_400);

    // One usage.recorded per call, naming each service with its metrics and time range.
    const events = published.filter((event) => JSON.stringify(event.data).includes(one));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      type: 'usage.recorded',
      tenant: storeA.id,
      data: {
        services: expect.arrayContaining([
          {
            subscriptionId: one,
            metrics: ['cpu_pct', 'egress_gb'],
            from: '2026-12-04T20:35:10.000Z',
            to: '2026-12-04T20:41:00.000Z',
          },
        ]),
      },
    });
  });

  it('writes a service’s metrics of one 5-minute bucket as one item, in one write per call', async () => {
    const [one, two] = [await service(storeA, 'cus_a1'), await service(storeA, 'cus_a1')];
    const { deps: counting, writes } = countingWrites(
      (write) => `${write.subscriptionId}@${new Date(write.start).toISOString()}`,
    );
    // A platform's moment: both services, four metrics each, plus one record in the next bucket.
    const moment = '2026-12-04T20:46:40Z';
    const metrics = ['cpu_pct', 'memory_pct', 'storage_used_gb', 'egress_gb'] as const;
    const batch = [one, two].flatMap((id) =>
      metrics.map((metric, index) => record(id, metric, index + 1, moment)),
    );
    batch.push(record(one, 'cpu_pct', 9, '2026-12-04T20:50:00Z'));
    expect(await ingest(storeA, batch, counting)).toEqual({
      accepted: 9,
      duplicates: 0,
      late: 0,
    });
    expect(writes.sort()).toEqual([
      `${one}@2026-12-04T20:45:00.000Z`,
      `${one}@2026-12-04T20:50:00.000Z`,
      `${two}@2026-12-04T20:45:00.000Z`,
    ]);
    const items = await storedBuckets(storeA, one);
    expect(items).toHaveLength(2);
    // Four metrics in the first item, one sample each, named by metric code and record key.
    expect(Object.keys(items[0] ?? {}).filter((name) => /^[a-z]#/.test(name))).toHaveLength(4);

    // Each metric reads back on its own, and totals see only their metric.
    for (const [index, metric] of metrics.entries()) {
      const read = await getUsageSeries(deps, storeA, staff, one, {
        metric,
        from: '2026-12-04T20:45:00Z',
        to: '2026-12-04T20:50:00Z',
        step: '5m',
      });
      expect(read.points).toEqual([expect.objectContaining({ count: 1, sum: index + 1 })]);
    }
    const cpu = await getUsageSeries(deps, storeA, staff, one, {
      metric: 'cpu_pct',
      from: '2026-12-04T20:00:00Z',
      to: '2026-12-04T21:00:00Z',
      step: '1h',
    });
    expect(cpu.points).toEqual([expect.objectContaining({ count: 2, max: 9, min: 1 })]);

    // A record's identity includes its metric: the same id for another metric is another record;
    // for the same metric it is the same record, counted once.
    const reused = [
      record(one, 'memory_pct', 50, '2026-12-04T20:47:00Z', 'u-reused'),
      record(one, 'egress_gb', 0.5, '2026-12-04T20:47:00Z', 'u-reused'),
    ];
    expect(await ingest(storeA, reused)).toEqual({
      accepted: 2,
      duplicates: 0,
      late: 0,
    });
    expect(await ingest(storeA, reused)).toEqual({
      accepted: 2,
      duplicates: 2,
      late: 0,
    });
    // A retry with a new record in the same bucket: the new one is stored, the others counted once.
    const fresh = record(one, 'memory_pct', 70, '2026-12-04T20:48:00Z');
    expect(await ingest(storeA, [...reused, fresh])).toEqual({
      accepted: 3,
      duplicates: 2,
      late: 0,
    });
    const memory = await getUsageSeries(deps, storeA, staff, one, {
      metric: 'memory_pct',
      from: '2026-12-04T20:45:00Z',
      to: '2026-12-04T20:50:00Z',
      step: '5m',
    });
    expect(memory.points).toEqual([expect.objectContaining({ count: 3, sum: 122, max: 70 })]);
  });

  it('merges the queued batches of several calls: one write per service and bucket', async () => {
    const id = await service(storeA, 'cus_a1');
    const { deps: counting, writes } = countingWrites((write) => write.subscriptionId);
    // Three calls, a moment of two metrics each, all in the 20:50 bucket.
    for (const second of [0, 10, 20]) {
      const time = `2026-12-04T20:51:${String(second).padStart(2, '0')}Z`;
      await ingestUsage(counting, storeA, platformOf(storeA), [
        record(id, 'cpu_pct', second, time),
        record(id, 'memory_pct', second + 1, time),
      ]);
    }
    expect(await usageQueue.drain(counting)).toEqual({ batches: 3, duplicates: 0 });
    expect(writes).toEqual([id]);
    const cpu = await getUsageSeries(deps, storeA, staff, id, {
      metric: 'cpu_pct',
      from: '2026-12-04T20:50:00Z',
      step: '5m',
    });
    expect(cpu.points).toEqual([expect.objectContaining({ count: 3, sum: 30, last: 20 })]);
  });

  it('rejects the whole batch when one record is wrong, naming each, and writes nothing', async () => {
    const id = await service(storeA, 'cus_a1');
    const error = await rejection(
      ingestUsage(deps, storeA, platformOf(storeA), [
        record(id, 'cpu_pct', 1, '2026-12-04T20:55:00Z'),
        record(id, 'cpu_pct', 2, '2026-12-04T21:06:00Z'), // 6 minutes ahead
        record(id, 'cpu_pct', 3, '2026-12-04T21:04:00Z'), // 4: a drifting clock is fine
        record(id, 'egress_gb', 4, '2026-08-01T00:00:00Z'), // beyond the retention
        record('sub_01jd2x0000000000000000000z', 'cpu_pct', 5, '2026-12-04T20:55:00Z'),
      ]),
    );
    expect(error.details).toEqual([
      expect.objectContaining({ path: 'body.events[1].time', code: 'time_in_future' }),
      expect.objectContaining({ path: 'body.events[3].time', code: 'time_too_old' }),
      expect.objectContaining({ path: 'body.events[4].subject', code: 'unknown_service' }),
    ]);
    expect(await usageQueue.drain(deps)).toEqual({ batches: 0, duplicates: 0 });
    expect(await storedBuckets(storeA, id)).toEqual([]);
    expect(published.filter((event) => JSON.stringify(event.data).includes(id))).toEqual([]);
  });

  it('treats another store’s service as unknown', async () => {
    const theirs = await service(storeB, 'cus_b1');
    const error = await rejection(
      ingestUsage(deps, storeA, platformOf(storeA), [record(theirs, 'cpu_pct', 1, '2026-12-04T20:55:00Z')]),
    );
    expect(error.details).toEqual([expect.objectContaining({ path: 'body.events[0].subject' })]);
    expect(await storedBuckets(storeA, theirs)).toEqual([]);
    expect(await storedBuckets(storeB, theirs)).toEqual([]);
    // Its own store takes it.
    await ingest(storeB, [record(theirs, 'cpu_pct', 1, '2026-12-04T20:55:00Z')]);
    expect(await storedBuckets(storeB, theirs)).toHaveLength(1);
  });

  it('records the batch even when its events cannot be published', async () => {
    const id = await service(storeA, 'cus_a1');
    const failing = { ...deps, events: { publish: () => Promise.reject(new Error('bus down')) } };
    expect(await ingest(storeA, [record(id, 'cpu_pct', 5, '2026-12-04T20:55:00Z')], failing)).toEqual({
      accepted: 1,
      duplicates: 0,
      late: 0,
    });
    expect(await storedBuckets(storeA, id)).toHaveLength(1);
  });
});

describe('reading usage', () => {
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    mine = await service(storeA, 'cus_reader');
    theirs = await service(storeA, 'cus_other');
    // cpu every 10 minutes from 18:00 to 20:50 with values 0, 1, 2, …; egress 0.25 GB each time.
    const records = Array.from({ length: 18 }, (_, index) => {
      const time = new Date(Date.parse('2026-12-04T18:00:00Z') + index * 600_000).toISOString();
      return [record(mine, 'cpu_pct', index, time), record(mine, 'egress_gb', 0.25, time)];
    }).flat();
    await ingest(storeA, [...records, record(theirs, 'cpu_pct', 50, '2026-12-04T20:00:00Z')]);
  });

  it('aggregates by 5 minutes and by the hour, leaving empty steps out', async () => {
    const fiveMinutes = await getUsageSeries(deps, storeA, buyer(storeA, 'cus_reader'), mine, {
      metric: 'cpu_pct',
      step: '5m',
    });
    expect(fiveMinutes).toMatchObject({ kind: 'gauge', unit: '%', step: '5m', to: NOW });
    expect(fiveMinutes.from).toBe('2026-12-03T21:00:00.000Z');
    expect(fiveMinutes.points).toHaveLength(18);
    expect(fiveMinutes.points[1]).toEqual({
      at: '2026-12-04T18:10:00.000Z',
      count: 1,
      min: 1,
      max: 1,
      avg: 1,
      sum: 1,
      last: 1,
    });
    const hourly = await getUsageSeries(deps, storeA, buyer(storeA, 'cus_reader'), mine, {
      metric: 'cpu_pct',
      from: '2026-12-04T18:30:00Z',
      step: '1h',
    });
    // 18:30 rounds down to 18:00: the whole hour.
    expect(hourly.points).toEqual([
      { at: '2026-12-04T18:00:00.000Z', count: 6, min: 0, max: 5, avg: 2.5, sum: 15, last: 5 },
      { at: '2026-12-04T19:00:00.000Z', count: 6, min: 6, max: 11, avg: 8.5, sum: 51, last: 11 },
      { at: '2026-12-04T20:00:00.000Z', count: 6, min: 12, max: 17, avg: 14.5, sum: 87, last: 17 },
    ]);
    const egress = await getUsageSeries(deps, storeA, staff, mine, {
      metric: 'egress_gb',
      from: '2026-12-04T19:00:00Z',
      to: '2026-12-04T20:00:00Z',
      step: '1h',
    });
    expect(egress).toMatchObject({ kind: 'counter', unit: 'GB' });
    expect(egress.points.map((point) => point.sum)).toEqual([1.5]);
  });

  it('shows a buyer only their own services: another customer’s is not found', async () => {
    await expect(
      getUsageSeries(deps, storeA, buyer(storeA, 'cus_reader'), theirs, { metric: 'cpu_pct', step: '5m' }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'subscription_not_found' });
    // Staff see every customer's.
    const seen = await getUsageSeries(deps, storeA, staff, theirs, { metric: 'cpu_pct', step: '5m' });
    expect(seen.points.map((point) => point.max)).toEqual([50]);
    // And no store sees another's.
    await expect(
      getUsageSeries(deps, storeB, staff, mine, { metric: 'cpu_pct', step: '5m' }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses more than 2,000 points or a range that ends before it starts', async () => {
    const tooMany = await rejection(
      getUsageSeries(deps, storeA, staff, mine, {
        metric: 'cpu_pct',
        from: '2026-11-20T00:00:00Z',
        step: '5m',
      }),
    );
    expect(tooMany.code).toBe('too_many_points');
    const backwards = await rejection(
      getUsageSeries(deps, storeA, staff, mine, {
        metric: 'cpu_pct',
        from: '2026-12-04T20:00:00Z',
        to: '2026-12-04T19:00:00Z',
        step: '5m',
      }),
    );
    expect(backwards.code).toBe('invalid_range');
  });

  it('averages a trigger window by the samples’ own times', async () => {
    const window = await windowAggregate(
      deps.usage,
      storeA.id,
      mine,
      'cpu_pct',
      30,
      new Date('2026-12-04T20:50:00Z'),
    );
    // 20:20, 20:30, 20:40, 20:50 → 14, 15, 16, 17.
    expect(window).toEqual({
      from: '2026-12-04T20:20:00.000Z',
      to: '2026-12-04T20:50:00.000Z',
      count: 4,
      avg: 15.5,
      max: 17,
    });
    const quiet = await windowAggregate(deps.usage, storeA.id, theirs, 'memory_pct', 15, new Date(NOW));
    expect(quiet).toMatchObject({ count: 0, avg: null, max: null });
  });
});
