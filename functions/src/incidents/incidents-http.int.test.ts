/**
 * An SLA incident on the local runtime, through the API and the `incident-credits` queue: a buyer's
 * virtual server runs, the merchant records an outage of the product, the worker credits the
 * service once; recording it again (another Idempotency-Key) credits nothing more. And the demo
 * store's credit packs as a visitor sees them.
 */
import { describe, expect, it } from 'vitest';
import { decimal } from '#shared/catalog/money.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';

const demo = demoRuntime('incidents-http');

async function settled(merchant: ApiClient) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const clock = await merchant.get(`${store}/admin/test-clock`);
    if (clock.body.status === 'ready') return clock.body as { now: string };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the test clock did not settle');
}

async function done(merchant: ApiClient, incidentId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const incident = await merchant.get(`${store}/admin/incidents/${incidentId}`);
    expect(incident.status, JSON.stringify(incident.body)).toBe(200);
    if (incident.body.status === 'done') return incident.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the incident was not credited in time');
}

describe('an SLA incident through the API', () => {
  it('credits the affected service once, through the queue', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '100.00', reason: 'Welcome credits' },
      { 'idempotency-key': 'welcome' },
    );
    await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'co' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const [subscriptionId] = ordered.body.items[0].subscriptionIds as string[];
    const service = (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body;

    await merchant.post(`${store}/admin/test-clock/advance`, { by: 'PT3H' });
    await settled(merchant);
    const start = new Date(Date.parse(service.createdAt) + 30 * 60_000).toISOString();
    const end = new Date(Date.parse(service.createdAt) + 90 * 60_000).toISOString();
    const request = { title: 'Network outage in Frankfurt', products: [service.product.id], start, end };

    expect((await buyer.post(`${store}/admin/incidents`, request, { 'idempotency-key': 'x' })).status).toBe(
      403,
    );
    const recorded = await merchant.post(`${store}/admin/incidents`, request, { 'idempotency-key': 'inc-1' });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const incident = await done(merchant, recorded.body.id);

    // One hour at the service's credit rate, 100 %, at least 1.00 (the demo policy).
    const hourly = decimal(service.price.credits.hourly);
    const expected = decimal(1).gt(hourly) ? '1.00' : hourly.toFixed(2);
    expect(incident).toMatchObject({
      services: { credited: 1, notCredited: 0 },
      credits: { total: expected },
    });

    const again = await merchant.post(`${store}/admin/incidents`, request, { 'idempotency-key': 'inc-2' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.id).toBe(recorded.body.id);

    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Array<{
      type: string;
      amount: string;
      reference?: { kind: string; id: string; subscription?: string };
    }>;
    const grants = entries.filter((entry) => entry.reference?.kind === 'incident');
    expect(grants).toEqual([
      expect.objectContaining({
        type: 'grant',
        amount: expected,
        reference: { kind: 'incident', id: recorded.body.id, subscription: subscriptionId },
      }),
    ]);

    const listed = await merchant.get(`${store}/admin/incidents`);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([recorded.body.id]);
  });

  it('shows visitors the demo credit packs, net of VAT', async () => {
    const packs = await demo.client().get(`${store}/credit-packs`);
    expect(packs.status, JSON.stringify(packs.body)).toBe(200);
    expect(packs.body.items.map((pack: { id: string }) => pack.id)).toEqual([
      'starter-100',
      'bulk-1000',
      'business-5000',
    ]);
    expect(packs.body.items[1]).toMatchObject({
      credits: '900',
      bonusCredits: '100',
      prices: { EUR: '900.00' },
    });
    const hidden = await demo.client().get(`${store}/credit-packs?includeInactive=true`);
    expect(hidden.status).toBe(403);
  });
});
