/**
 * Usage through the API on the local runtime: a platform's key (scope `usage:write`) reports a
 * batch, retries it, gets clear 400s; the buyer charts their own service, not another customer's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startAccrual } from '#shared/billing/accrual.ts';
import { newId } from '#shared/ids/ids.ts';
import { systemClock } from '#shared/time/clock.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { ApiClient } from '../../../test/support/http-client.ts';
import { transact } from '../data/transactions.ts';
import { buildIdentityDeps } from '../identity/table-identity.ts';
import { DynamoDbSubscriptionStore } from '../subscriptions/adapters/dynamodb-subscription-store.ts';

const demo = demoRuntime('usage-http');

let tenantId: string;
let platform: ApiClient;
let mine: string;
let theirs: string;

async function service(customerId: string): Promise<string> {
  const { documentClient, tableName } = demo.runtime();
  const at = new Date().toISOString();
  const id = newId('sub', systemClock);
  const items = new DynamoDbSubscriptionStore(documentClient, tableName).createItems(
    tenantId,
    {
      id,
      customerId,
      orderId: 'ord_usage',
      product: { id: 'prd_usage', slug: 'usage', name: 'Usage server', kind: 'iaas' },
      configuration: { dimensions: {}, options: {} },
      inputs: {},
      state: 'active',
      stateSince: at,
      paymentMethod: 'invoice',
      price: { currency: 'EUR', hourly: '0.1', stoppedHourly: '0', monthlyEstimate: '73', setup: '0' },
      accrual: startAccrual(at, '0'),
      createdAt: at,
      revision: 1,
    },
    [],
  );
  expect((await transact(documentClient, items)).ok).toBe(true);
  return id;
}

const record = (subject: string, metric: string, value: number, id: string, time = new Date()) => ({
  specversion: '1.0',
  id,
  source: 'platform.test',
  type: 'nimbus.usage.v1',
  subject,
  time: time.toISOString(),
  data: { metric, value },
});

beforeAll(async () => {
  const { documentClient, tableName, url } = demo.runtime();
  tenantId = (await buildIdentityDeps(documentClient, tableName, url).tenants.findBySlug('demo'))
    ?.id as string;
  const merchant = await demo.signedIn('merchant@demo.test');
  const key = await merchant.post(`${store}/api-keys`, { name: 'platform', scopes: ['usage:write'] });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  platform = new ApiClient(url, { headers: { authorization: `Bearer ${key.body.secret}` } });
  const buyer = await demo.signedIn('buyer@demo.test');
  mine = await service((await buyer.get(`${store}/account`)).body.id as string);
  theirs = await service('cus_someone_else');
}, 60_000);

describe('usage over HTTP', () => {
  it('takes a batch from a platform key once, however often it is sent', async () => {
    const at = new Date(Date.now() - 60_000);
    const body = {
      events: [
        record(mine, 'cpu_pct', 42, 'h-1', at),
        record(mine, 'egress_gb', 0.5, 'h-2', at),
        record(theirs, 'cpu_pct', 7, 'h-3', at),
      ],
    };
    const first = await platform.post(`${store}/usage`, body);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toEqual({ accepted: 3, late: 0 });
    const again = await platform.post(`${store}/usage`, body);
    expect(again.status).toBe(202);

    // Recorded a moment later (the usage-records queue), once.
    const buyer = await demo.signedIn('buyer@demo.test');
    const series = await eventually(
      () => buyer.get(`${store}/subscriptions/${mine}/usage?metric=cpu_pct`),
      (response) => response.status === 200 && response.body.points.length > 0,
      'the batch to be recorded',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(series.body).toMatchObject({
      subscriptionId: mine,
      metric: 'cpu_pct',
      kind: 'gauge',
      unit: '%',
      step: '5m',
    });
    expect(series.body.points).toEqual([expect.objectContaining({ count: 1, avg: 42, last: 42 })]);
    const settled = await buyer.get(`${store}/subscriptions/${mine}/usage?metric=cpu_pct`);
    expect(settled.body.points).toEqual([expect.objectContaining({ count: 1, avg: 42, last: 42 })]);
    const hourly = await buyer.get(`${store}/subscriptions/${mine}/usage?metric=egress_gb&step=1h`);
    expect(hourly.body.points.map((point: { sum: number }) => point.sum)).toEqual([0.5]);
  });

  it('names each wrong record and records none of the batch', async () => {
    const response = await platform.post(`${store}/usage`, {
      events: [
        record(mine, 'cpu_pct', 1, 'bad-1'),
        record(mine, 'gpu_pct', 1, 'bad-2'),
        record(mine, 'egress_gb', -1, 'bad-3'),
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((issue: { path: string }) => issue.path)).toEqual([
      'body.events[1].data.metric',
      'body.events[2].data.value',
    ]);
    const unknown = await platform.post(`${store}/usage`, {
      events: [
        record(mine, 'cpu_pct', 1, 'bad-4'),
        record('sub_01jd2x0000000000000000000z', 'cpu_pct', 1, 'bad-5'),
      ],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'body.events[1].subject' })]);
    const merchant = await demo.signedIn('merchant@demo.test');
    const series = await merchant.get(`${store}/subscriptions/${mine}/usage?metric=cpu_pct`);
    // Only the first test's record: nothing from the rejected batches.
    expect(series.body.points.map((point: { count: number }) => point.count)).toEqual([1]);
  });

  it('lets only keys with usage:write report, and buyers chart only their own services', async () => {
    const anonymous = await demo
      .client()
      .post(`${store}/usage`, { events: [record(mine, 'cpu_pct', 1, 'x-1')] });
    expect(anonymous.status).toBe(401);
    const buyer = await demo.signedIn('buyer@demo.test');
    expect((await buyer.post(`${store}/usage`, { events: [record(mine, 'cpu_pct', 1, 'x-2')] })).status).toBe(
      403,
    );
    expect((await buyer.get(`${store}/subscriptions/${theirs}/usage?metric=cpu_pct`)).status).toBe(404);
    // A platform key reports; it does not read.
    expect((await platform.get(`${store}/subscriptions/${mine}/usage?metric=cpu_pct`)).status).toBe(403);
    const tooLong = await buyer.get(
      `${store}/subscriptions/${mine}/usage?metric=cpu_pct&from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('too_many_points');
  });
});
