/**
 * Capacity triggers on the local runtime: the merchant defines a policy for the demo
 * `virtual-server`, the buyer turns it on for a service with a spending cap, a platform reports a
 * CPU spike through `ingestUsage` — usage.recorded → trigger-evaluations queue → one firing and
 * one resize (configuration and price changed, `trigger.fired` recorded). More spike within the
 * cooldown fires nothing; evaluations running at the same time fire once; a cap or a bound is
 * recorded as a skip, once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import { eventually } from '../../../test/support/eventually.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';
import { type EvaluationDeps, evaluateService } from './evaluation.ts';
import { tableTriggers } from './table-triggers.ts';
import type { TriggerStore } from './trigger-store.ts';

const demo = demoRuntime('triggers');
let merchant: ApiClient;
let buyer: ApiClient;
let platform: ApiClient;
let tenant: Tenant;
let productId: string;
let policyId: string;

beforeAll(async () => {
  merchant = await demo.signedIn('merchant@demo.test');
  buyer = await demo.signedIn('buyer@demo.test');
  const customerId = (await buyer.get(`${store}/account`)).body.id as string;
  const granted = await merchant.post(
    `${store}/admin/customers/${customerId}/wallet/grants`,
    { currency: 'EUR', amount: '500.00', reason: 'Test credits' },
    { 'idempotency-key': 'triggers-grant' },
  );
  expect(granted.status, JSON.stringify(granted.body)).toBeLessThan(300);
  const key = await merchant.post(`${store}/api-keys`, { name: 'platform', scopes: ['usage:write'] });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  platform = demo.client({ authorization: `Bearer ${key.body.secret}` });
  productId = (await buyer.get(`${store}/products/virtual-server`)).body.product.id;
  tenant = (await tableTriggers().tenants.list()).find((candidate) => candidate.slug === 'demo') as Tenant;
  expect(tenant).toBeDefined();
}, 60_000);

let orders = 0;
async function orderServer(): Promise<string> {
  orders += 1;
  await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
  const ordered = await buyer.post(
    `${store}/checkout`,
    { paymentMethod: 'credits' },
    { 'idempotency-key': `triggers-${orders}` },
  );
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  return ordered.body.items[0].subscriptionIds[0];
}

const service = async (subscriptionId: string) =>
  (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body;
const firings = async (subscriptionId: string) =>
  (await buyer.get(`${store}/subscriptions/${subscriptionId}/trigger-firings`)).body.items as Array<
    Record<string, unknown>
  >;

let batches = 0;
/** A minute-by-minute CPU spike over the last five minutes, through the API. */
async function spike(subscriptionId: string, value = 95) {
  batches += 1;
  const now = Date.now();
  const events = Array.from({ length: 5 }, (_, minute) => ({
    specversion: '1.0',
    id: `spike-${batches}-${minute}`,
    source: 'platform.test',
    type: 'nimbus.usage.v1',
    subject: subscriptionId,
    time: new Date(now - (4 - minute) * 60_000).toISOString(),
    data: { metric: 'cpu_pct', value },
  }));
  const response = await platform.post(`${store}/usage`, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `count` evaluations of the service that all read the trigger before any of them writes: the
 * worst interleaving, made certain. Only the trigger's revision can then keep them to one action.
 */
async function racingEvaluations(subscriptionId: string, count: number) {
  const base = tableTriggers().evaluation;
  let arrived = 0;
  const released: Array<() => void> = [];
  const triggers = new Proxy(base.triggers, {
    get(target, property) {
      if (property === 'serviceTrigger') {
        return async (...args: Parameters<TriggerStore['serviceTrigger']>) => {
          const read = await target.serviceTrigger(...args);
          arrived += 1;
          if (arrived < count) await new Promise<void>((resolve) => released.push(resolve));
          else for (const release of released.splice(0)) release();
          return read;
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const deps: EvaluationDeps = { ...base, triggers };
  const results = await Promise.all(
    Array.from({ length: count }, () => evaluateService(deps, tenant, subscriptionId)),
  );
  return results.flat();
}

const enable = (subscriptionId: string, body: Record<string, unknown>) =>
  buyer.put(`${store}/subscriptions/${subscriptionId}/triggers/${policyId}`, { enabled: true, ...body });

describe('capacity triggers', () => {
  it('lets the merchant define a policy that fits the product, and names what does not', async () => {
    const wrong = await merchant.put(`${store}/admin/trigger-policies`, {
      productId,
      name: 'Broken',
      metric: 'cpu_pct',
      aggregation: 'avg',
      windowMinutes: 5,
      operator: '>',
      threshold: 80,
      action: { kind: 'scale', dimension: 'gpus', direction: 'up', step: 1, min: 1, max: 4 },
      cooldownMinutes: 60,
    });
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: 'body.action.dimension' })]);
    const shape = await merchant.put(`${store}/admin/trigger-policies`, {
      productId,
      name: 'Broken',
      metric: 'cpu_pct',
      aggregation: 'median',
      windowMinutes: 3,
      operator: '>',
      threshold: 80,
      action: { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 4 },
      cooldownMinutes: 60,
    });
    expect(shape.status).toBe(400);
    expect(new Set(shape.body.error.details.map((issue: { path: string }) => issue.path))).toEqual(
      new Set(['body.aggregation', 'body.windowMinutes']),
    );

    const created = await merchant.put(`${store}/admin/trigger-policies`, {
      productId,
      name: 'More CPU under load',
      metric: 'cpu_pct',
      aggregation: 'avg',
      windowMinutes: 5,
      operator: '>',
      threshold: 80,
      action: { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 4 },
      cooldownMinutes: 60,
      hysteresis: 20,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    policyId = created.body.id;
    expect(created.body).toMatchObject({ revision: 1, enabled: true, durationMinutes: 0 });
    const stale = await merchant.put(`${store}/admin/trigger-policies`, {
      ...created.body,
      id: policyId,
      expectedRevision: 7,
      revision: undefined,
      createdAt: undefined,
      updatedAt: undefined,
    });
    expect(stale.status).toBe(409);
    const listed = await merchant.get(`${store}/admin/trigger-policies?productId=${productId}`);
    expect(listed.body.items.map((policy: { id: string }) => policy.id)).toEqual([policyId]);
    // Buyers read policies through their services, not the merchant console.
    expect((await buyer.get(`${store}/admin/trigger-policies`)).status).toBe(403);
  });

  it('fires once on a spike: the service is resized and re-priced; more spike within the cooldown does nothing', async () => {
    const subscriptionId = await orderServer();
    const before = await service(subscriptionId);
    expect(before).toMatchObject({ state: 'active', configuration: { dimensions: { vcpu: 2 } } });

    const offered = await buyer.get(`${store}/subscriptions/${subscriptionId}/triggers`);
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    expect(offered.body.items).toEqual([{ policy: expect.objectContaining({ id: policyId }) }]);
    // Outside the merchant's bounds: named, nothing saved.
    const outside = await enable(subscriptionId, { max: 6, cooldownMinutes: 10 });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.map((issue: { path: string }) => issue.path)).toEqual([
      'body.cooldownMinutes',
      'body.max',
    ]);
    const enabled = await enable(subscriptionId, { max: 3, maxHourlySpend: '100' });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, effective: { min: 1, max: 3, threshold: 80 } });
    expect(
      (
        await buyer.put(`${store}/subscriptions/sub_01jd2x0000000000000000000z/triggers/${policyId}`, {
          enabled: true,
        })
      ).status,
    ).toBe(404);

    await spike(subscriptionId);
    const [firing] = await eventually(
      () => firings(subscriptionId),
      (list) => list.length > 0,
      'the firing',
    );
    expect(firing).toMatchObject({
      policyId,
      outcome: 'resized',
      observed: 95,
      threshold: 80,
      from: expect.objectContaining({ dimensions: expect.objectContaining({ vcpu: 2 }) }),
      to: expect.objectContaining({ dimensions: expect.objectContaining({ vcpu: 3 }) }),
      previousHourly: before.price.hourly,
    });
    const after = await service(subscriptionId);
    expect(after.configuration.dimensions.vcpu).toBe(3);
    expect(after.price.hourly).toBe(firing?.newHourly);
    expect(Number(after.price.hourly)).toBeGreaterThan(Number(before.price.hourly));
    expect(after.history[0]).toMatchObject({ action: 'resize', actor: { kind: 'system', id: 'triggers' } });

    // More spike: the event is evaluated (and the schedule too), the cooldown holds.
    await spike(subscriptionId, 99);
    await demo.runtime().functions.invoke('scheduleTriggerEvaluations', {
      schedule: 'triggerEvaluation',
      scheduledTime: new Date().toISOString(),
    });
    expect(await evaluateService(tableTriggers().evaluation, tenant, subscriptionId)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await firings(subscriptionId)).toHaveLength(1);
    expect((await service(subscriptionId)).configuration.dimensions.vcpu).toBe(3);
  });

  it('fires once when evaluations of the same usage run at the same time', async () => {
    const subscriptionId = await orderServer();
    // The spike's own usage.recorded evaluation finds no trigger yet; the six below race.
    await spike(subscriptionId);
    await pause(1500);
    expect((await enable(subscriptionId, {})).status).toBe(200);
    const fired = await racingEvaluations(subscriptionId, 6);
    expect(fired.map((firing) => firing.outcome)).toEqual(['resized']);
    expect(await firings(subscriptionId)).toEqual([expect.objectContaining({ outcome: 'resized' })]);
    const after = await service(subscriptionId);
    expect(after.configuration.dimensions.vcpu).toBe(3);
    expect(after.history.filter((step: { action: string }) => step.action === 'resize')).toHaveLength(1);
  });

  it('never goes beyond the spending cap or the bounds, and says so once', async () => {
    const capped = await orderServer();
    const price = (await service(capped)).price.hourly as string;
    // The cap is today's price: one more vCPU would cost more.
    expect((await enable(capped, { maxHourlySpend: price })).status).toBe(200);
    await spike(capped);
    const [skipped] = await eventually(
      () => firings(capped),
      (list) => list.length > 0,
      'the skip',
    );
    expect(skipped).toMatchObject({ outcome: 'skipped_spend_cap', previousHourly: price });
    expect(Number(skipped?.newHourly)).toBeGreaterThan(Number(price));
    expect(await evaluateService(tableTriggers().evaluation, tenant, capped)).toEqual([]);
    expect(await firings(capped)).toHaveLength(1);
    expect((await service(capped)).configuration.dimensions.vcpu).toBe(2);

    const bounded = await orderServer();
    await spike(bounded);
    await pause(1500);
    expect((await enable(bounded, { max: 2 })).status).toBe(200);
    // Six at once: one skip recorded. No resize guards this one, only the trigger's revision.
    const skips = await racingEvaluations(bounded, 6);
    expect(skips.map((firing) => firing.outcome)).toEqual(['skipped_bound']);
    expect(await evaluateService(tableTriggers().evaluation, tenant, bounded)).toEqual([]);
    expect(await firings(bounded)).toHaveLength(1);
    expect((await service(bounded)).configuration.dimensions.vcpu).toBe(2);
    const listed = await buyer.get(`${store}/subscriptions/${bounded}/triggers`);
    expect(listed.body.items[0].setting).toMatchObject({
      enabled: true,
      max: 2,
      state: { armed: true, lastSkippedAt: expect.any(String) },
    });
  });
});
