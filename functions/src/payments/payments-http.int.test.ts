/**
 * Card and invoice payment through the API on the local runtime, with a fake Stripe server in
 * place of api.stripe.com: settings (keys sealed, never shown), card checkout → Stripe Checkout
 * → signed webhooks (duplicated, reordered, tampered) → paid → services; invoice for allowed
 * customers only; refunds of failed orders.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimal, sumOf } from '#shared/catalog/money.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { type FakeStripe, startFakeStripe } from '../../../test/support/fake-stripe.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';
import { issueInvoice } from '../invoices/invoice-service.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { refundFailedService, refundOrder } from './refund.ts';
import { SecretBox } from './secret-box.ts';
import { tableMoney } from './table-payments.ts';

const demo = demoRuntime('payments');
const SECRET_KEY = 'sk_test_51NimbusDemoKey0000000000abcd';
const WEBHOOK_SECRET = 'whsec_nimbusDemoSigningSecret1234wxyz';
const webhookPath = '/api/v1/webhooks/stripe/demo';

let stripe: FakeStripe;
beforeAll(async () => {
  stripe = await startFakeStripe();
  process.env.STRIPE_API_BASE = stripe.url;
});
afterAll(() => stripe?.stop());

async function tenantId(): Promise<string> {
  const { Item } = await demo
    .runtime()
    .documentClient.send(
      new GetCommand({ TableName: demo.runtime().tableName, Key: { pk: 'SLUG#demo', sk: 'SLUG' } }),
    );
  return Item?.tenantId as string;
}

async function deliver(event: { body: string; signature: string }, path = webhookPath) {
  const response = await fetch(`${demo.url()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
    body: event.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Gives the demo virtual server a setup fee, so a card order has something to charge now. */
async function setSetupFee(merchant: ApiClient, slug: string, fee: string) {
  const products = await merchant.get(`${store}/admin/products?limit=100`);
  expect(products.status, JSON.stringify(products.body)).toBe(200);
  const product = products.body.items.find((candidate: { slug: string }) => candidate.slug === slug);
  const changed = await merchant.request('PATCH', `${store}/admin/products/${product.id}`, {
    body: { prices: { ...product.prices, EUR: { ...product.prices.EUR, setupFee: fee } } },
  });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  // Each function instance notices a catalog change within a second (docs/catalog.md).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}

/** Each card test connects the store itself, so it runs alone too. */
async function connectStripe() {
  const merchant = await demo.signedIn('merchant@demo.test');
  const saved = await merchant.request('PUT', `${store}/admin/payment-settings`, {
    body: { stripe: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET } },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return merchant;
}

async function fillBasket(buyer: ApiClient) {
  const added = await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
  expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
}

async function cardOrder(buyer: ApiClient, key: string) {
  await fillBasket(buyer);
  const ordered = await buyer.post(
    `${store}/checkout`,
    { paymentMethod: 'card' },
    { 'idempotency-key': key },
  );
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  return ordered.body;
}

const sessionOf = (order: { payment: { card: { sessionId: string } } }) => {
  const session = stripe.sessions.get(order.payment.card.sessionId);
  if (!session) throw new Error('no session for the order');
  return session;
};

describe('payment settings', () => {
  it('keeps card payment off, saying so, while no Stripe account is connected', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    await fillBasket(buyer);
    const refused = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'card' },
      { 'idempotency-key': 'card-off' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('payment_method_unavailable');
    expect(refused.body.error.message).toMatch(/Card payment is off.*no Stripe account/);
    expect((await buyer.get(`${store}/basket`)).body.items).toHaveLength(1);
    const options = (await buyer.get(`${store}/payment-options`)).body;
    expect(options.card).toMatchObject({ available: false });
    expect(options.invoice).toMatchObject({ available: false });
    expect(stripe.requests).toHaveLength(0);
    await buyer.delete(`${store}/basket/items/${(await buyer.get(`${store}/basket`)).body.items[0].id}`);
  });

  it('stores the keys encrypted and never returns them', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const put = (body: unknown) => merchant.request('PUT', `${store}/admin/payment-settings`, { body });

    const missing = await put({ stripe: { secretKey: SECRET_KEY } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('stripe_keys_required');
    const bad = await put({ stripe: { secretKey: 'pk_test_public', webhookSecret: WEBHOOK_SECRET } });
    expect(bad.status).toBe(400);

    const saved = await put({ stripe: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({
      card: { enabled: true },
      stripe: {
        connected: true,
        mode: 'test',
        secretKeyLast4: 'abcd',
        webhookSecretLast4: 'wxyz',
        webhookPath,
        connectedAt: expect.any(String),
      },
    });
    const read = await merchant.get(`${store}/admin/payment-settings`);
    for (const body of [saved.body, read.body]) {
      expect(JSON.stringify(body)).not.toContain(SECRET_KEY.slice(0, 20));
      expect(JSON.stringify(body)).not.toContain(WEBHOOK_SECRET.slice(0, 20));
    }
    expect((await buyer.get(`${store}/admin/payment-settings`)).status).toBe(403);

    // The raw item holds sealed values only; they open with the runtime's data key, in context.
    const tenant = await tenantId();
    const { Item } = await demo.runtime().documentClient.send(
      new GetCommand({
        TableName: demo.runtime().tableName,
        Key: { pk: `T#${tenant}`, sk: 'PAYMENT_SETTINGS' },
      }),
    );
    const raw = JSON.stringify(Item);
    expect(raw).not.toContain('sk_test_');
    expect(raw).not.toContain('whsec_');
    const box = new SecretBox(JSON.parse(process.env.PAYMENTS_DATA_KEYS as string));
    expect(Item?.settings.stripe.secretKey).toMatchObject({ v: 1, kid: box.currentKeyId });
    expect(box.open(Item?.settings.stripe.secretKey, `${tenant}/stripe.secretKey`)).toBe(SECRET_KEY);
    expect(box.open(Item?.settings.stripe.webhookSecret, `${tenant}/stripe.webhookSecret`)).toBe(
      WEBHOOK_SECRET,
    );
    expect(() => box.open(Item?.settings.stripe.secretKey, 'ten_other/stripe.secretKey')).toThrow();

    // A fee without a connected account is refused; with one, both are kept (keys unchanged).
    expect((await put({ stripe: { platformFeePercent: '2.5' } })).status).toBe(400);
    const connect = await put({ stripe: { accountId: 'acct_1NimbusMerchant', platformFeePercent: '2.5' } });
    expect(connect.body.stripe).toMatchObject({
      accountId: 'acct_1NimbusMerchant',
      platformFeePercent: '2.5',
      secretKeyLast4: 'abcd',
    });
    // Back to a plain account for the tests below.
    expect(
      (await put({ stripe: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET } })).body.stripe.accountId,
    ).toBeUndefined();
  });
});

describe('card payment through Stripe Checkout', () => {
  beforeAll(async () => setSetupFee(await connectStripe(), 'virtual-server', '19.00'));

  it('Stripe webhooks duplicated and reordered — the ledger stays exact', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    const tenant = await tenantId();

    const order = await cardOrder(buyer, 'card-1');
    expect(order).toMatchObject({ status: 'pending_payment', paymentMethod: 'card' });
    expect(order.payment.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    // Setup fee 19.00 + 19 % VAT (the demo buyer is in Germany) is charged now.
    expect(order.payment.card.amount).toBe('22.61');
    const retried = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'card' },
      { 'idempotency-key': 'card-1' },
    );
    expect(retried.body.id).toBe(order.id);
    expect((await buyer.get(`${store}/basket`)).body.items).toHaveLength(0);
    expect((await buyer.get(`${store}/subscriptions`)).body.items).toHaveLength(0);

    const creates = stripe.requests.filter((request) => request.path === '/v1/checkout/sessions');
    expect(creates).toHaveLength(1);
    const [create] = creates;
    expect(create?.headers['idempotency-key']).toBe(order.id);
    expect(create?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(create?.body).toMatchObject({
      mode: 'payment',
      metadata: { tenant, kind: 'order', id: order.id },
      payment_intent_data: {
        metadata: { tenant, kind: 'order', id: order.id },
        setup_future_usage: 'off_session',
      },
      line_items: [
        { quantity: '1', price_data: { currency: 'eur', unit_amount: '1900' } },
        { quantity: '1', price_data: { currency: 'eur', unit_amount: '361' } },
      ],
    });

    const session = stripe.pay(sessionOf(order).id);
    const intentSucceeded = stripe.paymentIntentEvent(
      'payment_intent.succeeded',
      session,
      WEBHOOK_SECRET,
      'evt_pi_1',
    );
    const completed = stripe.sessionEvent('checkout.session.completed', session, WEBHOOK_SECRET, 'evt_cs_1');
    // The payment intent's event first, each event twice, all at once.
    const outcomes = await Promise.all(
      [intentSucceeded, completed, intentSucceeded, completed].map((event) => deliver(event)),
    );
    for (const outcome of outcomes) expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    expect(outcomes.filter((outcome) => outcome.body.outcome === 'paid')).toHaveLength(1);
    for (const outcome of outcomes)
      expect(['paid', 'unchanged', 'duplicate']).toContain(outcome.body.outcome);
    // Again later, and a late 'expired': nothing changes.
    expect((await deliver(completed)).body.outcome).toBe('duplicate');
    const expired = stripe.sessionEvent(
      'checkout.session.expired',
      { ...session, status: 'expired' },
      WEBHOOK_SECRET,
    );
    expect((await deliver(expired)).body.outcome).toBe('unchanged');

    const paid = (await buyer.get(`${store}/orders/${order.id}`)).body;
    expect(paid.status).toBe('completed');
    expect(paid.paidAt).toBeDefined();
    expect(paid.payment.card).toMatchObject({ amount: '22.61', paymentIntentId: session.payment_intent });
    // One set of services: exactly the ones the order named.
    const services = (await buyer.get(`${store}/subscriptions`)).body.items as Array<{
      id: string;
      orderId: string;
    }>;
    expect(services.map((service) => service.id).sort()).toEqual([...paid.items[0].subscriptionIds].sort());
    // No credits moved for a card order: the buyer's ledger holds nothing about it and adds up.
    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items ?? [];
    expect(
      entries.filter((entry: { reference?: { id: string } }) => entry.reference?.id === order.id),
    ).toHaveLength(0);
    const wallet = (await buyer.get(`${store}/wallet`)).body;
    if (wallet.balance !== undefined) {
      expect(sumOf(entries.map((entry: { amount: string }) => decimal(entry.amount))).toFixed(2)).toBe(
        wallet.balance,
      );
    }
    expect(stripe.requests.filter((request) => request.path === '/v1/checkout/sessions')).toHaveLength(1);
    // Its setup fees are invoiced once, as paid by card, with the VAT Stripe charged.
    const invoices = (await buyer.get(`${store}/invoices`)).body.items as Array<Record<string, unknown>>;
    const invoice = invoices.filter((candidate) => (candidate.source as { id: string }).id === order.id);
    expect(invoice).toHaveLength(1);
    expect(invoice[0]).toMatchObject({ id: paid.payment.invoiceId, status: 'paid', paymentMethod: 'card' });
    expect(invoice[0]).toMatchObject({ totals: { gross: '22.61' } });
  });

  it('answers 400 to a tampered signature and changes nothing; 404 for an unknown store', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    const order = await cardOrder(buyer, 'card-2');
    const session = stripe.pay(sessionOf(order).id);
    const genuine = stripe.sessionEvent('checkout.session.completed', session, WEBHOOK_SECRET);

    const tampered = await deliver({
      ...genuine,
      body: genuine.body.replace('"amount_total":2261', '"amount_total":1'),
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.code).toBe('invalid_signature');
    const wrongSecret = stripe.sessionEvent(
      'checkout.session.completed',
      session,
      'whsec_someoneElsesSecret00',
    );
    expect((await deliver(wrongSecret)).status).toBe(400);
    expect((await deliver({ ...genuine, signature: '' })).status).toBe(400);
    expect((await buyer.get(`${store}/orders/${order.id}`)).body.status).toBe('pending_payment');
    expect((await deliver(genuine, '/api/v1/webhooks/stripe/no-such-store')).status).toBe(404);

    // Events the store does not use are acknowledged and ignored.
    const other = stripe.sessionEvent('customer.created', session, WEBHOOK_SECRET);
    expect(await deliver(other)).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
  });

  it('cancels an order whose session expired; money that comes anyway is refunded', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    const order = await cardOrder(buyer, 'card-3');
    const open = sessionOf(order);
    const declined = stripe.paymentIntentEvent(
      'payment_intent.payment_failed',
      { ...open, payment_intent: 'pi_declined' },
      WEBHOOK_SECRET,
      undefined,
      {
        last_payment_error: { message: 'Your card was declined.' },
      },
    );
    expect((await deliver(declined)).status).toBe(200);
    const stillOpen = (await buyer.get(`${store}/orders/${order.id}`)).body;
    expect(stillOpen).toMatchObject({
      status: 'pending_payment',
      payment: { card: { lastError: 'Your card was declined.' } },
    });

    expect(
      (
        await deliver(
          stripe.sessionEvent('checkout.session.expired', { ...open, status: 'expired' }, WEBHOOK_SECRET),
        )
      ).body.outcome,
    ).toBe('cancelled');
    const cancelled = (await buyer.get(`${store}/orders/${order.id}`)).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', failure: { code: 'payment_expired' } });

    const session = stripe.pay(open.id);
    expect(
      (await deliver(stripe.sessionEvent('checkout.session.completed', session, WEBHOOK_SECRET))).body
        .outcome,
    ).toBe('unchanged');
    expect((await buyer.get(`${store}/orders/${order.id}`)).body.status).toBe('cancelled');
    const refunds = stripe.requests.filter((request) => request.path === '/v1/refunds');
    expect(refunds.map((request) => request.headers['idempotency-key'])).toEqual([`${order.id}#late-refund`]);
    expect(refunds[0]?.body.payment_intent).toBe(session.payment_intent);
    expect(
      (await buyer.get(`${store}/subscriptions`)).body.items.some(
        (service: { orderId: string }) => service.orderId === order.id,
      ),
    ).toBe(false);
  });
});

describe('paying by invoice', () => {
  it('is refused for a customer the merchant has not allowed, accepted once allowed', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await fillBasket(buyer);
    const refused = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'invoice' },
      { 'idempotency-key': 'inv-1' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'payment_method_unavailable' });
    expect(refused.body.error.message).toMatch(/invoice is not enabled for your account/);

    const profilePath = `${store}/admin/customers/${customerId}/billing-profile`;
    expect((await merchant.get(profilePath)).body).toMatchObject({ invoiceAllowed: false });
    expect(
      (await buyer.request('PUT', profilePath, { body: { invoiceAllowed: true, paymentTermsDays: 30 } }))
        .status,
    ).toBe(403);
    expect(
      (
        await merchant.request('PUT', `${store}/admin/customers/cus_nobody/billing-profile`, {
          body: { invoiceAllowed: true, paymentTermsDays: 30 },
        })
      ).status,
    ).toBe(404);
    const allowed = await merchant.request('PUT', profilePath, {
      body: { invoiceAllowed: true, paymentTermsDays: 30 },
    });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    expect((await buyer.get(`${store}/payment-options`)).body.invoice).toEqual({
      available: true,
      paymentTermsDays: 30,
    });

    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'invoice' },
      { 'idempotency-key': 'inv-2' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    expect(ordered.body).toMatchObject({
      status: 'completed',
      paymentMethod: 'invoice',
      payment: { onAccount: { paymentTermsDays: 30 } },
    });
    const services = (await buyer.get(`${store}/subscriptions`)).body.items as Array<{ id: string }>;
    expect(services.map((service) => service.id)).toEqual(
      expect.arrayContaining(ordered.body.items[0].subscriptionIds),
    );
    // The setup fees are invoiced, open, due after the customer's 30 days.
    expect(ordered.body.payment.invoiceId).toBeDefined();
    const invoice = (await buyer.get(`${store}/invoices/${ordered.body.payment.invoiceId}`)).body;
    expect(invoice).toMatchObject({
      status: 'open',
      paymentMethod: 'invoice',
      source: { id: ordered.body.id },
    });
    expect(Date.parse(invoice.dueAt) - Date.parse(invoice.issuedAt)).toBe(30 * 86_400_000);
  });
});

describe('buying credit packs', () => {
  type Entry = { type: string; amount: string; reference?: { kind: string; id: string }; expiresAt?: string };
  const entriesOf = async (buyer: ApiClient, purchaseId: string) =>
    ((await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Entry[]).filter(
      (entry) => entry.reference?.kind === 'creditPurchase' && entry.reference.id === purchaseId,
    );
  const expectLedgerAddsUp = async (buyer: ApiClient) => {
    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Entry[];
    const wallet = (await buyer.get(`${store}/wallet`)).body;
    expect(sumOf(entries.map((entry) => decimal(entry.amount))).toFixed(2)).toBe(wallet.balance);
  };

  it('on account: credits and bonus at once, an open invoice for the pack, once per request', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const buyer = await demo.signedIn('buyer@demo.test');
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await merchant.request('PUT', `${store}/admin/customers/${customerId}/billing-profile`, {
      body: { invoiceAllowed: false, paymentTermsDays: 14 },
    });
    const refused = await buyer.post(
      `${store}/credit-packs/bulk-1000/purchases`,
      { paymentMethod: 'invoice' },
      { 'idempotency-key': 'pack-inv-0' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('payment_method_unavailable');
    await merchant.request('PUT', `${store}/admin/customers/${customerId}/billing-profile`, {
      body: { invoiceAllowed: true, paymentTermsDays: 14 },
    });

    const bought = await buyer.post(
      `${store}/credit-packs/bulk-1000/purchases`,
      { paymentMethod: 'invoice' },
      { 'idempotency-key': 'pack-inv-1' },
    );
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    // 900.00 net + 19 % German VAT.
    expect(bought.body).toMatchObject({
      status: 'paid',
      credited: true,
      credits: '900.00',
      bonus: '100.00',
      net: '900.00',
      tax: '171.00',
      gross: '1071.00',
    });
    const again = await buyer.post(
      `${store}/credit-packs/bulk-1000/purchases`,
      { paymentMethod: 'invoice' },
      { 'idempotency-key': 'pack-inv-1' },
    );
    expect(again.body.id).toBe(bought.body.id);
    const entries = await entriesOf(buyer, bought.body.id);
    expect(entries.map((entry) => [entry.type, entry.amount]).sort()).toEqual([
      ['bonus', '100.00'],
      ['purchase', '900.00'],
    ]);
    const invoice = (await buyer.get(`${store}/invoices/${bought.body.invoiceId}`)).body;
    expect(invoice).toMatchObject({
      status: 'open',
      paymentMethod: 'invoice',
      source: { kind: 'creditPurchase', id: bought.body.id },
      totals: { net: '900.00', tax: '171.00', gross: '1071.00' },
    });
    await expectLedgerAddsUp(buyer);
    // A member of the account without finance:view does not see it.
    const member = await demo.signedIn('member@demo.test');
    expect((await member.get(`${store}/credit-purchases/${bought.body.id}`)).status).toBe(403);
  });

  it('by card: credits, bonus and cashback once Stripe says paid, however the events come', async () => {
    await connectStripe();
    const buyer = await demo.signedIn('buyer@demo.test');
    const tenant = await tenantId();
    const bought = await buyer.post(
      `${store}/credit-packs/business-5000/purchases`,
      { paymentMethod: 'card' },
      { 'idempotency-key': 'pack-card-1' },
    );
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    expect(bought.body).toMatchObject({ status: 'pending_payment', credited: false, gross: '5057.50' });
    expect(bought.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(await entriesOf(buyer, bought.body.id)).toHaveLength(0);
    const create = stripe.requests.find((request) => request.headers['idempotency-key'] === bought.body.id);
    expect(create?.body).toMatchObject({ metadata: { tenant, kind: 'creditPurchase', id: bought.body.id } });

    const sessionId = [...stripe.sessions.values()].find(
      (candidate) => candidate.metadata?.id === bought.body.id,
    )?.id as string;
    const session = stripe.pay(sessionId);
    const intent = stripe.paymentIntentEvent(
      'payment_intent.succeeded',
      session,
      WEBHOOK_SECRET,
      'evt_pack_pi',
    );
    const completed = stripe.sessionEvent(
      'checkout.session.completed',
      session,
      WEBHOOK_SECRET,
      'evt_pack_cs',
    );
    const expired = stripe.sessionEvent(
      'checkout.session.expired',
      { ...session, status: 'expired' },
      WEBHOOK_SECRET,
      'evt_pack_ex',
    );
    const outcomes = await Promise.all(
      [intent, completed, expired, intent, completed].map((event) => deliver(event)),
    );
    for (const outcome of outcomes) expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    expect(outcomes.filter((outcome) => outcome.body.outcome === 'paid')).toHaveLength(1);

    const paid = (await buyer.get(`${store}/credit-purchases/${bought.body.id}`)).body;
    expect(paid).toMatchObject({ status: 'paid', credited: true });
    const entries = await entriesOf(buyer, bought.body.id);
    expect(entries.map((entry) => [entry.type, entry.amount]).sort()).toEqual([
      ['bonus', '750.00'],
      ['grant', '85.00'],
      ['purchase', '4250.00'],
    ]);
    expect(entries.find((entry) => entry.type === 'grant')?.expiresAt).toBeDefined();
    const invoice = (await buyer.get(`${store}/invoices/${paid.invoiceId}`)).body;
    expect(invoice).toMatchObject({ status: 'paid', paymentMethod: 'card', totals: { gross: '5057.50' } });
    await expectLedgerAddsUp(buyer);
  });
});

describe('auto top-up', () => {
  type Entry = { type: string; amount: string; reason: string; reference?: { kind: string; id: string } };
  const purchasedEntries = async (buyer: ApiClient) =>
    ((await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Entry[]).filter(
      (entry) => entry.reference?.kind === 'creditPurchase' && entry.type === 'purchase',
    );
  async function advance(merchant: ApiClient, by: string) {
    const started = await merchant.post(`${store}/admin/test-clock/advance`, { by });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await eventually(async () =>
      (await merchant.get(`${store}/admin/test-clock`)).body.status === 'ready' ? true : undefined,
    );
  }
  async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('not found in time');
  }

  it('buys the pack with the saved card when usage takes the balance below the threshold; a decline turns it off', async () => {
    const merchant = await connectStripe();
    const buyer = await demo.signedIn('buyer@demo.test');
    // A card payment saves the card (payment_intent.succeeded names it).
    const order = await cardOrder(buyer, 'auto-top-up-card');
    const session = stripe.pay(sessionOf(order).id);
    expect(
      (await deliver(stripe.paymentIntentEvent('payment_intent.succeeded', session, WEBHOOK_SECRET))).status,
    ).toBe(200);

    const incomplete = await buyer.request('PUT', `${store}/wallet/auto-top-up`, { body: { enabled: true } });
    expect(incomplete.status).toBe(400);
    // Credits to run a service on, and a threshold just above what the wallet will hold.
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '100.00', reason: 'Credits to run on' },
      { 'idempotency-key': 'auto-top-up-grant' },
    );
    await fillBasket(buyer);
    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'auto-top-up-order' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const balance = decimal((await buyer.get(`${store}/wallet`)).body.balance);
    const below = balance.minus('0.01').toFixed(2);
    const set = await buyer.request('PUT', `${store}/wallet/auto-top-up`, {
      body: { enabled: true, belowCredits: below, packId: 'starter-100' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.autoTopUp).toEqual({ belowCredits: below, packId: 'starter-100' });
    const before = (await purchasedEntries(buyer)).length;

    await advance(merchant, 'PT2H');
    const bought = await eventually(async () => {
      const entries = await purchasedEntries(buyer);
      return entries.length > before ? entries : undefined;
    });
    expect(bought.length).toBe(before + 1);
    const purchaseId = bought[0]?.reference?.id as string;
    // The credits land first, then the invoice and the purchase's own record.
    const purchase = await eventually(async () => {
      const current = (await buyer.get(`${store}/credit-purchases/${purchaseId}`)).body;
      return current.credited ? current : undefined;
    });
    expect(purchase).toMatchObject({
      status: 'paid',
      credited: true,
      automatic: true,
      packId: 'starter-100',
      gross: '119.00',
    });
    const charges = [...stripe.intents.values()].filter(
      (intent) => (intent.metadata as { id?: string }).id === purchaseId,
    );
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ amount: 11900, payment_method: `pm_for_${session.payment_intent}` });
    const wallet = (await buyer.get(`${store}/wallet`)).body;
    expect(wallet.autoTopUp).toEqual({ belowCredits: below, packId: 'starter-100' });
    expect((await buyer.get(`${store}/invoices/${purchase.invoiceId}`)).body).toMatchObject({
      status: 'paid',
    });

    // The card is declined next time: nothing is credited, and auto top-up turns itself off.
    stripe.declineCards(true);
    try {
      const now = decimal(wallet.balance).minus('0.01').toFixed(2);
      await buyer.request('PUT', `${store}/wallet/auto-top-up`, {
        body: { enabled: true, belowCredits: now, packId: 'starter-100' },
      });
      await advance(merchant, 'PT2H');
      const off = await eventually(async () => {
        const current = (await buyer.get(`${store}/wallet`)).body;
        return current.autoTopUp === undefined ? current : undefined;
      });
      expect(await purchasedEntries(buyer)).toHaveLength(before + 1);
      const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Entry[];
      expect(sumOf(entries.map((entry) => decimal(entry.amount))).toFixed(2)).toBe(off.balance);
    } finally {
      stripe.declineCards(false);
    }
  }, 90_000);
});

describe('card invoices', () => {
  it('charges an open card invoice to the saved card once, and leaves it open when declined', async () => {
    await connectStripe();
    const buyer = await demo.signedIn('buyer@demo.test');
    const tenant = { id: await tenantId(), sandbox: true };
    const order = await cardOrder(buyer, 'card-invoice-card');
    const session = stripe.pay(sessionOf(order).id);
    await deliver(stripe.paymentIntentEvent('payment_intent.succeeded', session, WEBHOOK_SECRET));
    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    const issue = (id: string) =>
      issueInvoice(tableMoney().invoices, tenant, {
        customerId,
        currency: 'EUR',
        lines: [{ description: 'Virtual server, usage', quantity: 1, unitNet: '10.00' }],
        source: { kind: 'usage', id },
        paymentMethod: 'card',
      });
    const waitFor = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const found = await probe();
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('not in time');
    };
    const chargesOf = (invoiceId: string) =>
      [...stripe.intents.values()].filter((intent) => (intent.metadata as { id?: string }).id === invoiceId);

    const invoice = await issue(`card-invoice-${Date.now()}`);
    expect(invoice.status).toBe('open');
    const paid = await waitFor(async () => {
      const current = (await buyer.get(`${store}/invoices/${invoice.id}`)).body;
      return current.status === 'paid' ? current : undefined;
    });
    expect(paid.paidAt).toBeDefined();
    expect(chargesOf(invoice.id)).toEqual([
      expect.objectContaining({
        amount: 1190,
        customer: session.customer,
        metadata: expect.objectContaining({ kind: 'invoice' }),
      }),
    ]);
    // Stripe's own event about the same payment changes nothing more.
    const intent = chargesOf(invoice.id)[0] as Record<string, unknown>;
    const late = await deliver(
      stripe.paymentIntentEvent('payment_intent.succeeded', session, WEBHOOK_SECRET, undefined, {
        id: intent.id,
        amount_received: 1190,
        metadata: intent.metadata,
      }),
    );
    expect(late.body.outcome).toBe('unchanged');

    stripe.declineCards(true);
    try {
      const declined = await issue(`card-invoice-declined-${Date.now()}`);
      await waitFor(async () => (chargesOf(declined.id).length > 0 ? true : undefined));
      expect((await buyer.get(`${store}/invoices/${declined.id}`)).body.status).toBe('open');
    } finally {
      stripe.declineCards(false);
    }
  });
});

describe('refunding a failed order', () => {
  it('refunds a card payment once through Stripe and a credits order once into the wallet', async () => {
    const merchant = await connectStripe();
    await setSetupFee(merchant, 'virtual-server', '19.00');
    const buyer = await demo.signedIn('buyer@demo.test');
    const tenant = { id: await tenantId(), sandbox: true };
    const failure = { code: 'provisioning_failed', message: 'The platform refused the service' };

    const order = await cardOrder(buyer, 'card-refund');
    const session = stripe.pay(sessionOf(order).id);
    expect(
      (await deliver(stripe.sessionEvent('checkout.session.completed', session, WEBHOOK_SECRET))).body
        .outcome,
    ).toBe('paid');
    const first = await refundOrder(tableMoney(), tenant, order.id, failure);
    const again = await refundOrder(tableMoney(), tenant, order.id, failure);
    expect(first.refunded?.card?.amount).toBe('22.61');
    expect(again.order.payment.card?.refundId).toBe(first.refunded?.card?.refundId);
    const refunds = stripe.requests.filter(
      (request) => request.headers['idempotency-key'] === `${order.id}#refund`,
    );
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.body).toMatchObject({ payment_intent: session.payment_intent });
    expect((await buyer.get(`${store}/orders/${order.id}`)).body).toMatchObject({
      status: 'failed',
      failure,
      payment: { refunded: true },
    });

    const customerId = (await buyer.get(`${store}/account`)).body.id as string;
    await merchant.post(
      `${store}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '100.00', reason: 'Credits to order with' },
      { 'idempotency-key': 'refund-grant' },
    );
    const before = (await buyer.get(`${store}/wallet`)).body.balance as string;
    await fillBasket(buyer);
    const credits = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'credits-refund' },
    );
    expect(credits.status, JSON.stringify(credits.body)).toBe(201);
    expect(credits.body.payment.credits.charged).toBe('19.00');
    await refundOrder(tableMoney(), tenant, credits.body.id, failure);
    await refundOrder(tableMoney(), tenant, credits.body.id, failure);
    const wallet = (await buyer.get(`${store}/wallet`)).body;
    const entries = (await buyer.get(`${store}/wallet/entries?limit=200`)).body.items as Array<{
      type: string;
      amount: string;
    }>;
    expect(entries.filter((entry) => entry.type === 'reversal')).toEqual([
      expect.objectContaining({ amount: '19.00' }),
    ]);
    expect(sumOf(entries.map((entry) => decimal(entry.amount))).toFixed(2)).toBe(wallet.balance);
    // The setup fee came back: the balance is what it was before the order.
    expect(wallet.balance).toBe(before);
    // The buyer is told, once per failed order, with what came back.
    for (let attempt = 0; attempt < 100; attempt++) {
      const mail = await demo.mailTo('buyer@demo.test');
      const told = mail.filter((message) => message.text.includes(credits.body.id));
      if (told.length > 0) {
        expect(told).toHaveLength(1);
        expect(told[0]?.subject).toBe('Your Demo Cloud order could not be completed');
        expect(told[0]?.text).toContain('The 19.00 credits it took are back in your wallet.');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the buyer was not told that the order failed');
  });
  it('refunds one failed service’s share of a card order, then the rest when the last one fails', async () => {
    const merchant = await connectStripe();
    await setSetupFee(merchant, 'virtual-server', '19.00');
    const buyer = await demo.signedIn('buyer@demo.test');
    const tenant = { id: await tenantId(), sandbox: true };
    await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's', quantity: 2 });
    const ordered = await buyer.post(
      `${store}/checkout`,
      { paymentMethod: 'card' },
      { 'idempotency-key': 'card-partial-refund' },
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const order = ordered.body;
    // Two setup fees of 19.00 with 19 % VAT.
    expect(order.payment.card.amount).toBe('45.22');
    const session = stripe.pay(sessionOf(order).id);
    await deliver(stripe.sessionEvent('checkout.session.completed', session, WEBHOOK_SECRET));
    const [first, second] = order.items[0].subscriptionIds as [string, string];
    const deps = tableMoney();
    // The platform could not provision a service (what subscription.failed carries).
    const failService = async (subscriptionId: string) => {
      const service = (await eventually(
        () => deps.orders.subscriptions.get(tenant.id, subscriptionId),
        (found) => found !== undefined,
        'the paid order’s service',
      )) as StoredSubscription;
      const items = deps.orders.subscriptions.updateItems(
        tenant.id,
        { ...service, state: 'failed', revision: service.revision + 1 },
        service.revision,
        [],
      );
      expect((await deps.orders.commit(items)).ok).toBe(true);
      return { subscriptionId, orderId: order.id, reason: 'No capacity in the region' };
    };
    const refundsOf = (key: string) =>
      stripe.requests.filter((request) => request.headers['idempotency-key'] === key);

    const firstFailed = await failService(first);
    const share = await refundFailedService(deps, tenant, firstFailed);
    await refundFailedService(deps, tenant, firstFailed); // a redelivered message
    expect(share?.refunded?.card?.amount).toBe('22.61');
    expect(refundsOf(`${order.id}#refund#${first}`)).toHaveLength(1);
    expect(refundsOf(`${order.id}#refund#${first}`)[0]?.body).toMatchObject({ amount: '2261' });
    expect((await buyer.get(`${store}/orders/${order.id}`)).body).toMatchObject({
      status: expect.not.stringMatching(/^failed$/),
      payment: { refunds: [expect.objectContaining({ key: first, card: '22.61', status: 'done' })] },
    });

    const rest = await refundFailedService(deps, tenant, await failService(second));
    expect(rest?.order.status).toBe('failed');
    expect(rest?.refunded?.card?.amount).toBe('22.61');
    expect(refundsOf(`${order.id}#refund`)).toHaveLength(1);
    // Exactly what was left: the whole payment back, in two refunds.
    expect(refundsOf(`${order.id}#refund`)[0]?.body).toMatchObject({ amount: '2261' });
  });
});
