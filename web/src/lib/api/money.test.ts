import { describe, expect, it } from 'vitest';
import { advanceTestClock, fetchBillingSettings, saveBillingSettings } from './billing.ts';
import { fetchWallet, fetchWalletEntries, grantCredits, parseWallet } from './credits.ts';
import { CUSTOMER, entry, ORDER_ID, order, SERVICE_ID, service, wallet } from './money-fixtures.ts';
import { fetchOrder, fetchOrders, parseOrder, placeOrder } from './orders.ts';
import {
  cancelService,
  changeService,
  conflictState,
  fetchServices,
  parseService,
  previewResize,
  resizeService,
} from './services.ts';
import { header, json, recorder, sent } from './testing.ts';

describe('money parsers (the shared schemas)', () => {
  it('read an order, a service and a wallet as the API sends them', () => {
    expect(parseOrder(order)).toEqual(order);
    expect(parseService(service)).toEqual(service);
    expect(parseWallet(wallet)).toEqual(wallet);
  });

  it('reject a float amount, an unknown state and a field the contract does not have', () => {
    expect(parseOrder({ ...order, totals: { ...order.totals, gross: 89.15 } })).toBeUndefined();
    expect(parseService({ ...service, state: 'sleeping' })).toBeUndefined();
    expect(parseWallet({ ...wallet, balance: '1.005' })).toBeUndefined();
    expect(parseWallet({ ...wallet, secret: 'x' })).toBeUndefined();
  });
});

describe('orders', () => {
  it('place the basket with its revision and an Idempotency-Key', async () => {
    const { calls, fetch } = recorder(() => json(201, order));
    const result = await placeOrder(
      'demo',
      { paymentMethod: 'credits', basketRevision: 4 },
      { fetch, idempotencyKey: 'key-1' },
    );
    expect(result).toMatchObject({ ok: true, data: { id: ORDER_ID } });
    expect(`${calls[0]?.init.method} ${calls[0]?.url}`).toBe('POST /api/v1/stores/demo/checkout');
    expect(header(calls[0], 'Idempotency-Key')).toBe('key-1');
    expect(sent(calls[0])).toEqual({ paymentMethod: 'credits', basketRevision: 4 });
  });

  it('give 409 insufficient_credits as a problem with its details', async () => {
    const details = { required: '20.84', balance: '0.00', missing: '20.84' };
    const { fetch } = recorder(() =>
      json(409, { error: { code: 'insufficient_credits', message: 'Needs 20.84', details } }),
    );
    const result = await placeOrder('demo', { paymentMethod: 'credits' }, { fetch });
    expect(result).toMatchObject({
      ok: false,
      problem: { status: 409, code: 'insufficient_credits', details },
    });
  });

  it('read one order and a filtered page of a customer’s orders', async () => {
    const { calls, fetch } = recorder(() => json(200, { items: [order], nextCursor: 'c2' }));
    const page = await fetchOrders(
      'demo',
      { status: 'completed', customerId: CUSTOMER, cursor: 'c1' },
      { fetch },
    );
    expect(page).toMatchObject({ ok: true, data: { items: [{ id: ORDER_ID }], nextCursor: 'c2' } });
    expect(calls[0]?.url).toBe(
      `/api/v1/stores/demo/orders?limit=20&cursor=c1&status=completed&customerId=${CUSTOMER}`,
    );
    const one = recorder(() => json(200, order));
    await fetchOrder('demo', ORDER_ID, { fetch: one.fetch });
    expect(one.calls[0]?.url).toBe(`/api/v1/stores/demo/orders/${ORDER_ID}`);
  });
});

describe('services', () => {
  it('filter by state with the API’s query name', async () => {
    const { calls, fetch } = recorder(() => json(200, { items: [service] }));
    await fetchServices('demo', { status: 'stopped' }, { fetch });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/subscriptions?limit=20&state=stopped');
  });

  it('start, stop, preview, resize and cancel with the right paths and bodies', async () => {
    const preview = {
      subscriptionId: SERVICE_ID,
      currency: 'EUR',
      configuration: service.configuration,
      current: { hourly: '0.0766', monthlyEstimate: '55.92' },
      proposed: { hourly: '0.1', monthlyEstimate: '73.00' },
      hourlyDifference: '0.0234',
      proratedDifference: '0.0117',
      effectiveAt: '2026-11-23T10:30:00.000Z',
    };
    const { calls, fetch } = recorder(() =>
      json(200, calls.at(-1)?.url.endsWith('/preview') ? preview : service),
    );
    await changeService('demo', SERVICE_ID, 'stop', 'Weekend', { fetch });
    await changeService('demo', SERVICE_ID, 'start', undefined, { fetch });
    const previewed = await previewResize('demo', SERVICE_ID, service.configuration, { fetch });
    await resizeService('demo', SERVICE_ID, service.configuration, '0.1', { fetch });
    await cancelService('demo', SERVICE_ID, 'end_of_term', undefined, { fetch });
    const base = `/api/v1/stores/demo/subscriptions/${SERVICE_ID}`;
    expect(calls.map((call) => call.url)).toEqual([
      `${base}/stop`,
      `${base}/start`,
      `${base}/resize/preview`,
      `${base}/resize`,
      `${base}/cancel`,
    ]);
    expect(previewed).toMatchObject({ ok: true, data: { proratedDifference: '0.0117' } });
    expect(calls.map(sent)).toEqual([
      { reason: 'Weekend' },
      {},
      { configuration: service.configuration },
      { configuration: service.configuration, expectedHourly: '0.1' },
      { when: 'end_of_term' },
    ]);
  });

  it('read the current state from a 409 illegal_transition', async () => {
    const { fetch } = recorder(() =>
      json(409, {
        error: {
          code: 'illegal_transition',
          message: 'A service that is stopped cannot be stopped',
          details: { action: 'stop', state: 'stopped', allowedFrom: ['active'] },
        },
      }),
    );
    const result = await changeService('demo', SERVICE_ID, 'stop', undefined, { fetch });
    expect(result.ok ? undefined : conflictState(result.problem)).toBe('stopped');
    expect(
      conflictState({ kind: 'http', status: 409, code: 'x', message: 'x', details: { state: 'odd' } }),
    ).toBe(undefined);
  });
});

describe('wallets and billing', () => {
  it('read a customer’s wallet and ledger as staff', async () => {
    const { calls, fetch } = recorder(() =>
      json(200, calls.length === 1 ? wallet : { items: [entry], nextCursor: 'n' }),
    );
    await fetchWallet('demo', { customerId: CUSTOMER }, { fetch });
    const page = await fetchWalletEntries('demo', { customerId: CUSTOMER, cursor: 'c' }, { fetch });
    expect(calls.map((call) => call.url)).toEqual([
      `/api/v1/stores/demo/wallet?customerId=${CUSTOMER}`,
      `/api/v1/stores/demo/wallet/entries?customerId=${CUSTOMER}&limit=20&cursor=c`,
    ]);
    expect(page).toMatchObject({ ok: true, data: { items: [{ id: 'led_01' }], nextCursor: 'n' } });
  });

  it('grant credits once per key', async () => {
    const { calls, fetch } = recorder(() => json(201, { ...entry, type: 'grant', amount: '100.00' }));
    const result = await grantCredits(
      'demo',
      CUSTOMER,
      { currency: 'EUR', amount: '100', type: 'grant', reason: 'Welcome credits' },
      { fetch, idempotencyKey: 'g-1' },
    );
    expect(result.ok).toBe(true);
    expect(calls[0]?.url).toBe(`/api/v1/stores/demo/admin/customers/${CUSTOMER}/wallet/grants`);
    expect(header(calls[0], 'Idempotency-Key')).toBe('g-1');
  });

  it('read and save the settings, and advance the clock (202)', async () => {
    const settings = {
      creditPrices: { EUR: '1.00' },
      minimumRunwayHours: 24,
      lowBalanceRunwayHours: 72,
      graceHours: 24,
      retentionDays: 30,
    };
    const clock = {
      sandbox: true,
      now: '2026-11-24T10:00:00.000Z',
      aheadMs: 86_400_000,
      status: 'advancing',
    };
    const { calls, fetch } = recorder(() => (calls.length === 3 ? json(202, clock) : json(200, settings)));
    expect(await fetchBillingSettings('demo', { fetch })).toMatchObject({ ok: true, data: settings });
    await saveBillingSettings('demo', settings, { fetch });
    const advanced = await advanceTestClock('demo', { by: 'P1D' }, { fetch });
    expect(advanced).toMatchObject({ ok: true, status: 202, data: { status: 'advancing' } });
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'GET /api/v1/stores/demo/admin/billing-settings',
      'PUT /api/v1/stores/demo/admin/billing-settings',
      'POST /api/v1/stores/demo/admin/test-clock/advance',
    ]);
  });
});
