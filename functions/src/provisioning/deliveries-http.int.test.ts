/**
 * Webhook deliveries and platform callbacks on the local runtime, against a real HTTP endpoint
 * that verifies every webhook with the `standardwebhooks` package: an order's activation waits
 * for the platform and its callback (access details for the buyer only); an endpoint down then
 * up (retried, delivered once); down for good (given up, the DLQ, replayed); a service's steps in
 * order; duplicate and stale callbacks; an activation never confirmed fails and is refunded.
 * Retries are shortened through WEBHOOK_RETRY_DELAYS_MS / WEBHOOK_GIVE_UP_AFTER_MS.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import { eventually } from '../../../test/support/eventually.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { signWebhook } from './webhook-signature.ts';

process.env.WEBHOOK_RETRY_DELAYS_MS = '300,600';
// Long enough for three attempts on a busy machine, short enough for the give-up test.
process.env.WEBHOOK_GIVE_UP_AFTER_MS = '6000';

const demo = demoRuntime('deliveries');
let receiver: WebhookReceiver;
let merchant: ApiClient;
let buyer: ApiClient;
let secret: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  merchant = await demo.signedIn('merchant@demo.test');
  buyer = await demo.signedIn('buyer@demo.test');
  const created = await merchant.put(`${store}/admin/connectors`, {
    url: receiver.url,
    events: ['activate', 'start', 'stop', 'resize', 'suspend', 'resume', 'terminate'],
    timeoutSeconds: 600,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  secret = created.body.secret;
  receiver.secrets = [secret];
  const customerId = (await buyer.get(`${store}/account`)).body.id as string;
  await merchant.post(
    `${store}/admin/customers/${customerId}/wallet/grants`,
    { currency: 'EUR', amount: '500.00', reason: 'Test credits' },
    { 'idempotency-key': 'deliveries-grant' },
  );
}, 60_000);
afterAll(() => receiver?.stop());

let orders = 0;
async function orderServer(): Promise<{ orderId: string; subscriptionId: string }> {
  orders += 1;
  await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
  const ordered = await buyer.post(
    `${store}/checkout`,
    { paymentMethod: 'credits' },
    { 'idempotency-key': `deliveries-${orders}` },
  );
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  return { orderId: ordered.body.id, subscriptionId: ordered.body.items[0].subscriptionIds[0] };
}

const service = async (subscriptionId: string, client = buyer) =>
  (await client.get(`${store}/subscriptions/${subscriptionId}`)).body;

const webhooksOf = (subscriptionId: string) =>
  receiver.received.filter((webhook) => webhook.subscriptionId === subscriptionId);

async function callback(body: Record<string, unknown>, secrets = [secret]) {
  // Signed over the exact bytes sent, as a platform does.
  const raw = JSON.stringify(body);
  const headers = signWebhook({ id: String(body.id), body: raw, secrets, now: new Date() });
  const response = await fetch(`${demo.url()}${store}/provisioning/callbacks`, {
    method: 'POST',
    body: raw,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on the shape themselves
  return { status: response.status, body: (await response.json()) as any };
}

async function activate(subscriptionId: string) {
  await eventually(
    async () => webhooksOf(subscriptionId),
    (list) => list.length > 0,
    'the activate webhook',
  );
  const answer = await callback({
    id: `cb-activate-${subscriptionId}`,
    subscriptionId,
    type: 'activated',
    occurredAt: new Date().toISOString(),
    access: { url: 'https://vm.example', username: 'root', password: 'hunter2-very-secret' },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer;
}

describe('provisioning webhooks and callbacks', () => {
  it('activates an ordered service when its platform confirms, with access details for the buyer only', async () => {
    receiver.answer = () => ({ status: 202 });
    const { subscriptionId } = await orderServer();
    expect(await service(subscriptionId)).toMatchObject({ state: 'provisioning' });
    const [webhook] = await eventually(
      async () => webhooksOf(subscriptionId),
      (list) => list.length === 1,
      'the activate webhook',
    );
    expect(webhook).toMatchObject({ type: 'service.activate', verified: true, status: 202 });
    expect(webhook?.body).toMatchObject({
      store: 'demo',
      data: {
        subscriptionId,
        state: 'provisioning',
        product: { slug: 'virtual-server' },
        customer: { id: expect.stringMatching(/^cus_/) },
        callbackUrl: `${demo.url()}/api/v1/stores/demo/provisioning/callbacks`,
      },
    });

    const first = await activate(subscriptionId);
    expect(first.body).toEqual({ result: 'applied', state: 'active' });
    const mine = await service(subscriptionId);
    expect(mine).toMatchObject({
      state: 'active',
      access: {
        url: 'https://vm.example',
        username: 'root',
        hasPassword: true,
        password: 'hunter2-very-secret',
      },
    });
    // Staff see that a password exists, never the password.
    const theirs = await service(subscriptionId, merchant);
    expect(theirs.access).toEqual({ url: 'https://vm.example', username: 'root', hasPassword: true });

    // The same callback again: acknowledged, not applied.
    const again = await activate(subscriptionId);
    expect(again.body).toEqual({ result: 'duplicate', state: 'active' });
    // A state change that happened before the service became active: stale.
    const stale = await callback({
      id: 'cb-stale',
      subscriptionId,
      type: 'state_changed',
      state: 'stopped',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(stale.body).toEqual({ result: 'stale', state: 'active' });
    expect((await service(subscriptionId)).state).toBe('active');

    const deliveries = await merchant.get(`${store}/admin/deliveries?subscriptionId=${subscriptionId}`);
    expect(deliveries.status, JSON.stringify(deliveries.body)).toBe(200);
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({
        type: 'service.activate',
        status: 'delivered',
        attemptCount: 1,
        attempts: [expect.objectContaining({ statusCode: 202, url: receiver.url })],
      }),
    ]);
  });

  it('activates at once when the platform answers the activate webhook 200 {"status":"active"}', async () => {
    receiver.answer = (webhook) =>
      webhook.type === 'service.activate'
        ? { status: 200, body: { status: 'active', access: { url: 'https://now.example', username: 'ops' } } }
        : { status: 200 };
    const { subscriptionId } = await orderServer();
    const active = await eventually(
      () => service(subscriptionId),
      (s) => s.state === 'active',
      'the synchronous activation',
    );
    expect(active.access).toEqual({ url: 'https://now.example', username: 'ops', hasPassword: false });
    expect(active.history[0]).toMatchObject({ action: 'activate', actor: { kind: 'platform' } });
    // Nothing is sent back to the platform for a step it made itself.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(webhooksOf(subscriptionId).map((webhook) => webhook.type)).toEqual(['service.activate']);
  });

  it('refuses unsigned, tampered and foreign callbacks; takes a provisioning key instead of a signature', async () => {
    receiver.answer = () => ({ status: 202 });
    const { subscriptionId } = await orderServer();
    const body = {
      id: 'cb-x',
      subscriptionId,
      type: 'failed',
      reason: 'No capacity',
      occurredAt: new Date().toISOString(),
    };
    const unsigned = await demo.client().post(`${store}/provisioning/callbacks`, body);
    expect(unsigned.status).toBe(401);
    const wrongSecret = await callback(body, ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']);
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.code).toBe('invalid_signature');

    const key = await merchant.post(
      `${store}/api-keys`,
      { name: 'Platform', scopes: ['provisioning'] },
      { 'idempotency-key': 'platform-key' },
    );
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const platform = demo.client({ authorization: `Bearer ${key.body.secret}` });
    const failed = await platform.post(`${store}/provisioning/callbacks`, body);
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toEqual({ result: 'applied', state: 'failed' });
    // An activation after the failure: the platform must tear the service down.
    const late = await platform.post(`${store}/provisioning/callbacks`, {
      id: 'cb-late',
      subscriptionId,
      type: 'activated',
      occurredAt: new Date().toISOString(),
    });
    expect(late.status).toBe(409);
  });

  it('retries an endpoint that is down, then delivers once it is up', async () => {
    receiver.answer = () => ({ status: 202 });
    const { subscriptionId } = await orderServer();
    await activate(subscriptionId);
    let refusals = 2;
    receiver.answer = () =>
      refusals-- > 0 ? { status: 503, body: { error: 'maintenance' } } : { status: 200 };
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/stop`, {})).status).toBe(200);
    const stops = await eventually(
      async () => webhooksOf(subscriptionId).filter((webhook) => webhook.type === 'service.stop'),
      (list) => list.some((webhook) => webhook.status === 200),
      'the stop webhook delivered',
    );
    expect(stops.map((webhook) => webhook.status)).toEqual([503, 503, 200]);
    expect(new Set(stops.map((webhook) => webhook.id)).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(webhooksOf(subscriptionId).filter((webhook) => webhook.type === 'service.stop')).toHaveLength(3);
    const [delivery] = (
      await merchant.get(`${store}/admin/deliveries?subscriptionId=${subscriptionId}&limit=1`)
    ).body.items;
    expect(delivery).toMatchObject({ type: 'service.stop', status: 'delivered', attemptCount: 3 });
    expect(delivery.attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
      200, 503, 503,
    ]);
    expect(delivery.attempts[1].response).toContain('maintenance');
  });

  it('keeps a service’s steps in order: a start waits for the stop before it', async () => {
    receiver.answer = () => ({ status: 202 });
    const { subscriptionId } = await orderServer();
    await activate(subscriptionId);
    let refusals = 2;
    receiver.answer = (webhook) =>
      webhook.type === 'service.stop' && refusals-- > 0 ? { status: 500 } : { status: 200 };
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/stop`, {})).status).toBe(200);
    await eventually(
      async () => webhooksOf(subscriptionId),
      (list) => list.some((w) => w.type === 'service.stop'),
      'a stop attempt',
    );
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/start`, {})).status).toBe(200);
    const delivered = await eventually(
      async () => webhooksOf(subscriptionId).filter((webhook) => webhook.status === 200),
      (list) => list.some((webhook) => webhook.type === 'service.start'),
      'the start webhook',
    );
    expect(delivered.map((webhook) => webhook.type)).toEqual(['service.stop', 'service.start']);
    const attempts = webhooksOf(subscriptionId).map((webhook) => `${webhook.type}:${webhook.status}`);
    // No start went out while the stop was still failing.
    expect(attempts.indexOf('service.start:200')).toBeGreaterThan(attempts.lastIndexOf('service.stop:500'));
    const sequences = delivered.map((webhook) => webhook.sequence);
    expect(sequences[1]).toBeGreaterThan(sequences[0] as number);
  });

  it('gives up on an endpoint down for good (DLQ, alert), and a replay delivers it', async () => {
    receiver.answer = () => ({ status: 202 });
    const { subscriptionId } = await orderServer();
    await activate(subscriptionId);
    receiver.answer = () => ({ status: 503 });
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/stop`, {})).status).toBe(200);
    const failed = (await eventually(
      async () =>
        (
          await merchant.get(`${store}/admin/deliveries?subscriptionId=${subscriptionId}&status=failed`)
        ).body.items as unknown[],
      (items) => items.length === 1,
      'the delivery to give up',
    )) as Array<{ id: string; attemptCount: number }>;
    const failedId = failed[0]?.id as string;
    expect(failed[0]).toMatchObject({ type: 'service.stop', status: 'failed' });
    // Attempts every 300–600 ms (with jitter) until 6 s after the event.
    expect(failed[0]?.attemptCount).toBeGreaterThanOrEqual(5);
    // The alert: one provisioning.delivery_failed event naming the delivery and its last answer.
    // It is published just after the delivery is marked failed (and after its DLQ message).
    const alertsFor = () =>
      demo
        .runtime()
        .bus.published.filter(
          (event) =>
            event['detail-type'] === 'provisioning.delivery_failed' &&
            (event.detail as { subject?: string }).subject === failedId,
        );
    await eventually(
      async () => alertsFor(),
      (list) => list.length > 0,
      'the delivery_failed alert',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alerts = alertsFor();
    expect(alerts).toHaveLength(1);
    const { sqs, queues } = demo.runtime();
    const dlq = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.get('webhook-deliveries-dlq')?.url,
        MaxNumberOfMessages: 10,
      }),
    );
    expect((dlq.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}').deliveryId)).toContain(
      failedId,
    );
    expect(alerts[0]?.detail).toMatchObject({
      data: { subscriptionId, type: 'service.stop', lastStatusCode: 503 },
    });

    // Buyers cannot replay; a delivered one cannot be replayed.
    expect((await buyer.post(`${store}/admin/deliveries/${failedId}/replay`, {})).status).toBe(403);
    receiver.answer = () => ({ status: 200 });
    const replayed = await merchant.post(`${store}/admin/deliveries/${failedId}/replay`, {});
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(202);
    expect(replayed.body).toMatchObject({ status: 'pending' });
    await eventually(
      async () =>
        (await merchant.get(`${store}/admin/deliveries?subscriptionId=${subscriptionId}&limit=1`)).body
          .items[0],
      (delivery: { status: string }) => delivery.status === 'delivered',
      'the replay to be delivered',
    );
    const again = await merchant.post(`${store}/admin/deliveries/${failedId}/replay`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('delivery_not_failed');
  });

  it('fails an activation never confirmed within the timeout, and refunds its order', async () => {
    receiver.answer = () => ({ status: 202 });
    const { orderId, subscriptionId } = await orderServer();
    await eventually(
      async () => webhooksOf(subscriptionId),
      (list) => list.length === 1,
      'the activate webhook',
    );
    // The store's time passes the connector's timeout (600 s): the sweep fails the service.
    await merchant.post(`${store}/admin/test-clock/advance`, { by: 'PT1H' });
    const failed = await eventually(
      () => service(subscriptionId),
      (s) => s.state === 'failed',
      'the service to fail',
      30_000,
    );
    expect(failed.history[0]).toMatchObject({
      action: 'fail',
      actor: { kind: 'system', id: 'provisioning' },
    });
    const order = await eventually(
      async () => (await buyer.get(`${store}/orders/${orderId}`)).body,
      // Failed as the refund is planned, refunded once it is made.
      (o) => o.status === 'failed' && o.payment.refunded === true,
      'the order to be refunded',
    );
    expect(order).toMatchObject({ failure: { code: 'provisioning_failed' }, payment: { refunded: true } });
    // The setup fee comes back as a reversal (other services' hours were posted meanwhile).
    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Array<{
      type: string;
      amount: string;
      reason: string;
    }>;
    expect(entries.filter((entry) => entry.type === 'reversal' && entry.reason.includes(orderId))).toEqual([
      expect.objectContaining({ amount: order.payment.credits.charged }),
    ]);
  });
  it('refunds a failed service’s share while the order’s other service runs, then the rest', async () => {
    receiver.answer = () => ({ status: 202 });
    await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's', quantity: 2 });
    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'deliveries-two-servers' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const orderId = ordered.body.id as string;
    const [first, second] = ordered.body.items[0].subscriptionIds as [string, string];
    expect(ordered.body.payment.credits.charged).toBe('38.00');
    const reversals = async () =>
      (
        (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Array<{
          type: string;
          amount: string;
          reason: string;
        }>
      ).filter((entry) => entry.type === 'reversal' && entry.reason.includes(orderId));

    // The platform cannot set the first one up: its setup fee comes back, the order stays.
    const refused = await callback({
      id: `cb-refuse-${first}`,
      subscriptionId: first,
      type: 'failed',
      reason: 'No capacity in the region',
      occurredAt: new Date().toISOString(),
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    const share = await eventually(reversals, (list) => list.length === 1, 'the first service’s refund');
    expect(share[0]).toMatchObject({ amount: '19.00', reason: expect.stringContaining(first) });
    const order = (await buyer.get(`${store}/orders/${orderId}`)).body;
    expect(order.status).not.toBe('failed');
    expect(order.payment.refunds).toEqual([
      expect.objectContaining({ key: first, subscriptionId: first, credits: '19.00', status: 'done' }),
    ]);

    // The second fails too: the order fails and gets back what is left, once.
    await callback({
      id: `cb-refuse-${second}`,
      subscriptionId: second,
      type: 'failed',
      reason: 'No capacity in the region',
      occurredAt: new Date().toISOString(),
    });
    const failed = await eventually(
      async () => (await buyer.get(`${store}/orders/${orderId}`)).body,
      (o) => o.status === 'failed' && o.payment.refunded === true,
      'the order to fail and be refunded',
    );
    expect(failed.payment.refunds).toEqual([
      expect.objectContaining({ key: first, credits: '19.00', status: 'done' }),
      expect.objectContaining({ key: 'order', credits: '19.00', status: 'done' }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = await reversals();
    expect(all.map((entry) => entry.amount).sort()).toEqual(['19.00', '19.00']);
  });
});
