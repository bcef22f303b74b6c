import { describe, expect, it } from 'vitest';
import {
  addBasketItem,
  fetchBasket,
  parseBasketIssue,
  parseBasketView,
  removeBasketItem,
  updateBasketItem,
  validateBasket,
} from './basket.ts';
import { header, json, recorder, sent } from './testing.ts';

const TOKEN = `bt_${'Z'.repeat(43)}`;
const configuration = {
  dimensions: { vcpu: 1, ram_gb: 16, disk_gb: 80 },
  options: { os: 'linux', backups: false, extras: [] },
};

/** A visitor's first answer, as the API gave it (lines shortened). */
const basket = {
  id: 'bsk_01',
  token: TOKEN,
  currency: 'EUR',
  items: [
    {
      id: 'bki_01',
      product: {
        id: 'prd_01',
        slug: 'virtual-server',
        name: 'Virtual server',
        kind: 'iaas',
        available: true,
      },
      configuration,
      inputs: {},
      quantity: 1,
      quote: {
        productId: 'prd_01',
        currency: 'EUR',
        configuration,
        lines: [
          { kind: 'base', key: 'base', label: 'Base rate', hourly: '0.005', monthly: '3.65' },
          {
            kind: 'dimension',
            key: 'vcpu',
            label: 'vCPU',
            quantity: 1,
            unit: 'vCPU',
            hourly: '0.012',
            monthly: '8.76',
          },
          { kind: 'setup', key: 'setup', label: 'Setup fee', hourly: '0', monthly: '0.00', oneTime: '19.00' },
        ],
        hourly: '0.0886',
        monthlyEstimate: '64.68',
        setup: '19.00',
        discounts: { hourly: '0', monthly: '0.00', oneTime: '0.00' },
        tax: { country: 'DE', rate: '0.19', amount: '15.90', reverseCharge: false, rule: 'domestic' },
        totals: { net: '83.68', tax: '15.90', gross: '99.58' },
      },
      priceChange: {
        shown: { currency: 'EUR', hourly: '0.08', monthly: '58.40', setup: '19.00' },
        current: { currency: 'EUR', hourly: '0.0886', monthly: '64.68', setup: '19.00' },
      },
      addedAt: '2026-11-23T17:16:22.213Z',
    },
  ],
  totals: { hourly: '0.0886', monthly: '64.68', setup: '19.00', net: '83.68', tax: '15.90', gross: '99.58' },
  issues: [
    {
      severity: 'error',
      code: 'rule:ram-per-vcpu',
      message: 'At most 8 GB RAM per vCPU: 16 GB needs at least 2 vCPU.',
      itemId: 'bki_01',
      field: 'vcpu',
      fix: {
        label: 'Set vCPU to 2',
        action: {
          kind: 'updateItem',
          itemId: 'bki_01',
          configuration: { ...configuration, dimensions: { vcpu: 2 } },
        },
      },
    },
    {
      severity: 'suggestion',
      code: 'rule:support-upsell',
      message: 'A support plan gets you an engineer within 4 hours.',
      fix: {
        label: 'Add a support plan',
        action: { kind: 'addItem', product: 'support-plan', preset: 'business' },
      },
    },
    {
      severity: 'error',
      code: 'product_unavailable',
      message: 'Gone.',
      itemId: 'bki_02',
      fix: { label: 'Remove the item', action: { kind: 'removeItem', itemId: 'bki_02' } },
    },
  ],
  ready: false,
  revision: 1,
  updatedAt: '2026-11-23T17:16:22.213Z',
};

describe('basket parsers', () => {
  it('read a basket with quotes, price changes, issues and fixes of every kind', () => {
    expect(parseBasketView(basket)).toEqual(basket);
    const { token: _token, ...signedIn } = basket;
    expect(parseBasketView(signedIn)).toEqual(signedIn);
  });

  it('reject what is not a basket', () => {
    expect(parseBasketView({ ...basket, ready: 'no' })).toBeUndefined();
    expect(parseBasketView({ ...basket, totals: { ...basket.totals, gross: 99.58 } })).toBeUndefined();
    expect(parseBasketView({ ...basket, items: [{ id: 'bki_1' }] })).toBeUndefined();
    expect(parseBasketIssue({ severity: 'fatal', code: 'x', message: 'x' })).toBeUndefined();
    expect(
      parseBasketIssue({
        severity: 'error',
        code: 'x',
        message: 'x',
        fix: { label: 'Do', action: { kind: 'explode' } },
      }),
    ).toBeUndefined();
  });
});

describe('basket calls', () => {
  it('add an item with an Idempotency-Key and the visitor token', async () => {
    const { calls, fetch } = recorder(() => json(201, basket));
    const result = await addBasketItem(
      'demo',
      { product: 'virtual-server', configuration, quantity: 1 },
      { fetch, token: TOKEN, idempotencyKey: 'key-1' },
    );
    expect(result.ok).toBe(true);
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/basket/items');
    expect(calls[0]?.init.method).toBe('POST');
    expect(header(calls[0], 'Idempotency-Key')).toBe('key-1');
    expect(header(calls[0], 'Basket-Token')).toBe(TOKEN);
  });

  it('send a fresh Idempotency-Key per add and no token when there is none', async () => {
    const { calls, fetch } = recorder(() => json(201, basket));
    await addBasketItem('demo', { product: 'virtual-server' }, { fetch });
    await addBasketItem('demo', { product: 'virtual-server' }, { fetch });
    const [first, second] = calls.map((call) => header(call, 'Idempotency-Key'));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
    expect(header(calls[0], 'Basket-Token')).toBeUndefined();
  });

  it('read, change, remove and check with the right methods and paths', async () => {
    const { calls, fetch } = recorder(() => json(200, basket));
    await fetchBasket('demo', { fetch, token: TOKEN });
    await updateBasketItem('demo', 'bki_01', { acceptPrice: true }, { fetch, token: TOKEN });
    await removeBasketItem('demo', 'bki_01', { fetch });
    await validateBasket('demo', { fetch, token: TOKEN });
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'GET /api/v1/stores/demo/basket',
      'PATCH /api/v1/stores/demo/basket/items/bki_01',
      'DELETE /api/v1/stores/demo/basket/items/bki_01',
      'POST /api/v1/stores/demo/basket/validate',
    ]);
    expect(sent(calls[1])).toEqual({ acceptPrice: true });
  });

  it('give a 403 for staff (no basket) as a problem', async () => {
    const { fetch } = recorder(() =>
      json(403, { error: { code: 'no_basket', message: 'Merchant staff have no basket' } }),
    );
    const result = await fetchBasket('demo', { fetch });
    expect(result).toMatchObject({ ok: false, problem: { status: 403, code: 'no_basket' } });
  });
});
