/**
 * The whole provisioning loop on the local runtime with the reference platform, as `npm start`
 * wires it (the demo store's default connector points at /_platform): a buyer orders a virtual
 * server → the platform is sent `service.activate`, provisions it and calls back with access
 * details → the service runs and the platform reports usage → a load spike fires the buyer's
 * capacity trigger, which resizes the service and tells the platform → hours are billed as the
 * store's clock moves → the credits run out, the service is suspended and the platform is told.
 */
import { describe, expect, it } from 'vitest';
import { demoRuntime, DEMO_STORE_API as store } from '../../test/support/demo-runtime.ts';
import { eventually } from '../../test/support/eventually.ts';
import type { ApiClient } from '../../test/support/http-client.ts';

const demo = demoRuntime('provisioning-loop', { connectPlatform: true });

async function advance(merchant: ApiClient, by: string) {
  const started = await merchant.post(`${store}/admin/test-clock/advance`, { by });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await eventually(
    async () => (await merchant.get(`${store}/admin/test-clock`)).body.status,
    (status) => status === 'ready',
    'the test clock',
    120_000,
  );
}

describe('the provisioning loop with the reference platform', () => {
  it('orders, activates through the platform, runs with usage, resizes on a trigger, bills, suspends', async () => {
    const { platform } = demo.runtime();
    const settings = platform.settings;
    expect(settings, 'the runtime connected the demo store to the reference platform').toBeDefined();
    platform.configure({
      ...(settings as NonNullable<typeof settings>),
      usageIntervalMs: 300,
      activationDelayMs: 200,
    });

    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '40.00', reason: 'Loop credits' },
      { 'idempotency-key': 'loop-grant' },
    );
    await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'loop' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const subscriptionId = ordered.body.items[0].subscriptionIds[0] as string;
    expect((await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body.state).toBe('provisioning');

    // The platform verified the signed activate, provisioned, and called back.
    const active = await eventually(
      async () => (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body,
      (service) => service.state === 'active',
      'the platform to activate the service',
    );
    expect(active.access).toMatchObject({
      url: expect.stringContaining('platform.localhost'),
      username: 'admin',
      hasPassword: true,
      password: expect.any(String),
    });
    expect(active.history[0]).toMatchObject({ action: 'activate', actor: { kind: 'platform' } });
    const received = platform
      .receivedWebhooks()
      .filter((webhook) => webhook.subscriptionId === subscriptionId);
    expect(received[0]).toMatchObject({ type: 'service.activate', signatureValid: true });

    // Usage reported by the platform is charted for the buyer.
    const series = await eventually(
      async () => (await buyer.get(`${store}/subscriptions/${subscriptionId}/usage?metric=cpu_pct`)).body,
      (body) => (body.points?.length ?? 0) > 0,
      'usage from the platform',
    );
    expect(series.points[0].count).toBeGreaterThan(0);

    // The demo store's seeded policy is offered to the buyer (off until they turn it on).
    const offered = await buyer.get(`${store}/subscriptions/${subscriptionId}/triggers`);
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    expect(offered.body.items).toEqual([
      expect.objectContaining({ policy: expect.objectContaining({ name: 'More vCPU under load' }) }),
    ]);

    // A capacity trigger: the merchant's policy, enabled by the buyer; a load spike on the platform
    // resizes the service (re-priced) and the platform is sent the resize.
    const policy = await merchant.put(`${store}/admin/trigger-policies`, {
      productId: active.product.id,
      name: 'More CPU under load',
      metric: 'cpu_pct',
      aggregation: 'max',
      windowMinutes: 5,
      operator: '>',
      threshold: 84,
      action: { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 4 },
      cooldownMinutes: 60,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const enabled = await buyer.put(`${store}/subscriptions/${subscriptionId}/triggers/${policy.body.id}`, {
      enabled: true,
      maxHourlySpend: '100',
    });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    const spike = await fetch(`${demo.url()}/_platform/admin/spike`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscriptionId, minutes: 2 }),
    });
    expect(spike.status).toBe(200);
    const resized = await eventually(
      async () => (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body,
      (service) => service.configuration.dimensions.vcpu === active.configuration.dimensions.vcpu + 1,
      'the trigger to resize the service',
    );
    expect(Number(resized.price.hourly)).toBeGreaterThan(Number(active.price.hourly));
    expect(resized.history[0]).toMatchObject({ action: 'resize', actor: { kind: 'system', id: 'triggers' } });
    await eventually(
      async () => platform.receivedWebhooks().filter((webhook) => webhook.subscriptionId === subscriptionId),
      (list) => list.some((webhook) => webhook.type === 'service.resize' && webhook.status === 200),
      'the resize webhook',
    );

    // The store's clock runs on: hours are billed, the credits run out, the service is suspended,
    // and the platform hears of it.
    await advance(merchant, 'P30D');
    const suspended = (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body;
    expect(suspended.state).toBe('suspended');
    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Array<{
      reference?: { id: string };
    }>;
    expect(entries.filter((entry) => entry.reference?.id === subscriptionId).length).toBeGreaterThan(3);
    await eventually(
      async () => platform.receivedWebhooks().filter((webhook) => webhook.subscriptionId === subscriptionId),
      (list) => list.some((webhook) => webhook.type === 'service.suspend' && webhook.status === 200),
      'the suspend webhook',
    );
    const onPlatform = await eventually(
      async () => (await fetch(`${demo.url()}/_platform/services`)).json() as Promise<unknown>,
      (body) => JSON.stringify(body).includes('suspended'),
      'the platform to suspend its service',
    );
    expect(JSON.stringify(onPlatform)).toContain(subscriptionId);
  }, 240_000);
});
