/**
 * The money loop on the local runtime, through the API only: credits granted, a basket ordered
 * with credits, services billed by the hour as the test clock moves, suspended when the credits
 * run out (after the grace period), resumed by a top-up; the ledger adds up at every step.
 */
import { describe, expect, it } from 'vitest';
import { decimal, sumOf } from '#shared/catalog/money.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';

const demo = demoRuntime('money-loop');

async function settled(merchant: ApiClient) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const clock = await merchant.get(`${store}/admin/test-clock`);
    if (clock.body.status === 'ready') return clock.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the test clock did not settle');
}

async function advance(merchant: ApiClient, by: string) {
  const started = await merchant.post(`${store}/admin/test-clock/advance`, { by });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return settled(merchant);
}

async function allEntries(client: ApiClient) {
  const entries: Array<{
    type: string;
    amount: string;
    balanceAfter: string;
    reference?: { id: string; hour?: string };
  }> = [];
  let cursor: string | undefined;
  do {
    const page = await client.get(`${store}/wallet/entries?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return entries;
}

/** Polls until `probe` finds something (queues and the bus deliver a moment later). */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('not found in time');
}

/** balance = sum of entries, always. */
async function expectLedgerAddsUp(buyer: ApiClient) {
  const wallet = (await buyer.get(`${store}/wallet`)).body;
  const entries = await allEntries(buyer);
  expect(sumOf(entries.map((entry) => decimal(entry.amount))).toFixed(2)).toBe(wallet.balance);
  return { wallet, entries };
}

describe('ordering and billing with credits', () => {
  it('bills each hour once, suspends after the grace period, resumes on a top-up', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;

    // Without credits the order is refused, saying how many it needs.
    await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
    const refused = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'co-1' },
    );
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.error.code).toBe('insufficient_credits');

    const granted = await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '40.00', reason: 'Welcome credits' },
      { 'idempotency-key': 'grant-1' },
    );
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    // The same key again posts nothing more.
    await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '40.00', reason: 'Welcome credits' },
      { 'idempotency-key': 'grant-1' },
    );
    expect((await buyer.get(`${store}/wallet`)).body.balance).toBe('40.00');

    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'co-2' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    expect(ordered.body.status).toBe('completed');
    const [subscriptionId] = ordered.body.items[0].subscriptionIds as string[];
    const retried = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'co-2' },
    );
    expect(retried.body.id).toBe(ordered.body.id);
    expect((await buyer.get(`${store}/orders`)).body.items).toHaveLength(1);
    expect((await buyer.get(`${store}/basket`)).body.items).toHaveLength(0);

    const service = (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body;
    expect(service.state).toBe('active');
    expect(service.history.map((step: { to: string }) => step.to)).toEqual(['active', 'provisioning']);
    const afterSetup = await expectLedgerAddsUp(buyer);
    expect(afterSetup.wallet.balance).toBe(decimal('40').minus(ordered.body.totals.setup).toFixed(2));

    // Three hours later: the started hour and two whole hours are posted, once each.
    await advance(merchant, 'PT3H');
    const { entries } = await expectLedgerAddsUp(buyer);
    const debits = entries.filter((entry) => entry.reference?.id === subscriptionId);
    expect(debits.length).toBeGreaterThanOrEqual(2);
    expect(new Set(debits.map((entry) => entry.reference?.hour)).size).toBe(debits.length);

    // Stopping is billed at the stopped rate; stopping twice is a 409 with the state.
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/stop`)).body.state).toBe('stopped');
    const again = await buyer.post(`${store}/subscriptions/${subscriptionId}/stop`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'illegal_transition', details: { state: 'stopped' } });
    expect((await buyer.post(`${store}/subscriptions/${subscriptionId}/start`)).body.state).toBe('active');

    // Run the credits out: a long advance passes exhaustion, the grace period, the suspension.
    await advance(merchant, 'P30D');
    const exhausted = await expectLedgerAddsUp(buyer);
    expect(exhausted.wallet.balance).toBe('0.00');
    expect(exhausted.wallet.status).toBe('exhausted');
    const suspended = (await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body;
    expect(suspended.state).toBe('suspended');
    expect(suspended.terminateAt).toBeDefined();
    // The buyer (finance:view) was told, once; the member without it was not.
    const told = await eventually(async () => {
      const mail = await demo.mailTo('buyer@demo.test');
      const ranOut = mail.filter((message) => message.subject.includes('credits have run out'));
      return ranOut.length > 0
        ? { ranOut, low: mail.filter((m) => m.subject.includes('running low')) }
        : undefined;
    });
    expect(told.ranOut).toHaveLength(1);
    expect(told.ranOut[0]?.text).toContain('/stores/demo/wallet');
    expect(told.low.length, JSON.stringify(await demo.mailTo('buyer@demo.test'))).toBeGreaterThanOrEqual(1);
    const memberMail = await demo.mailTo('member@demo.test');
    expect(memberMail.filter((message) => message.subject.includes('credits'))).toHaveLength(0);

    // A top-up takes the unpaid usage first and resumes the service.
    const topUp = await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '100.00', reason: 'Top-up' },
      { 'idempotency-key': 'grant-2' },
    );
    expect(topUp.status).toBe(201);
    expect((await buyer.get(`${store}/subscriptions/${subscriptionId}`)).body.state).toBe('active');
    const resumed = await expectLedgerAddsUp(buyer);
    expect(resumed.wallet.status).not.toBe('exhausted');
    expect(resumed.wallet.shortfall).toBe('0.00');
  }, 120_000);
});
