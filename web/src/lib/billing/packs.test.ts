import { describe, expect, it } from 'vitest';
import { pack } from '#lib/api/payment-fixtures.ts';
import {
  addCredits,
  buyMethods,
  checkPack,
  emptyPackForm,
  orderPaymentNotice,
  packCurrencies,
  packFieldLabel,
  packFormOf,
  packOffer,
  paymentReturn,
} from './packs.ts';

describe('a pack on the wallet page', () => {
  it('says credits, bonus, cashback and the net price', () => {
    expect(packOffer(pack, 'EUR', 'en')).toMatchObject({
      name: '1,000 credits for the price of 900',
      creditsLine: '900.00 credits + 100.00 bonus',
      total: '1000.00',
      net: '€900.00',
      cashbackLine: undefined,
    });
    const cashback = { ...pack, bonusCredits: '0', cashback: { percent: '2', expiresAfterDays: 365 } };
    expect(packOffer(cashback, 'EUR', 'en')).toMatchObject({
      creditsLine: '900.00 credits',
      cashbackLine: '2 % back as credits (18.00 credits), valid 365 days',
    });
    expect(packOffer(pack, 'GBP', 'en')).toBeUndefined();
  });

  it('adds credits on hundredths', () => {
    expect(addCredits('900', '100.5')).toBe('1000.50');
    expect(addCredits('0.1', '0.2')).toBe('0.30');
  });

  it('offers card and on account as the store allows', () => {
    expect(buyMethods(undefined)).toEqual([]);
    const methods = buyMethods({
      credits: { available: true },
      card: { available: false, message: 'Card payment is off' },
      invoice: { available: true, paymentTermsDays: 30 },
    });
    expect(methods).toEqual([
      { method: 'card', available: false, message: 'Card payment is off' },
      { method: 'invoice', available: true, message: undefined, terms: 30 },
    ]);
  });
});

describe('back from Stripe', () => {
  it('reads the purchase and the outcome, and ignores anything else', () => {
    const id = 'cpp_01kb0000000000000000000003';
    expect(paymentReturn(new URLSearchParams(`purchase=${id}&payment=success`))).toEqual({
      payment: 'success',
      purchaseId: id,
    });
    expect(paymentReturn(new URLSearchParams('payment=cancelled'))).toEqual({ payment: 'cancelled' });
    expect(paymentReturn(new URLSearchParams('purchase=../x&payment=success'))).toEqual({
      payment: 'success',
    });
    expect(paymentReturn(new URLSearchParams('payment=maybe'))).toBeUndefined();
  });

  it('says what became of the order', () => {
    const success = { payment: 'success' } as const;
    expect(orderPaymentNotice(success, 'pending_payment', true)?.tone).toBe('info');
    expect(orderPaymentNotice(success, 'pending_payment', false)?.text).toMatch(/not been confirmed yet/);
    expect(orderPaymentNotice(success, 'completed', false)?.text).toBe(
      'Payment received: your services are ready.',
    );
    expect(orderPaymentNotice(success, 'provisioning', false)?.text).toMatch(/being set up/);
    expect(orderPaymentNotice({ payment: 'cancelled' }, 'pending_payment', false)?.text).toMatch(
      /waits for payment/,
    );
    expect(orderPaymentNotice({ payment: 'cancelled' }, 'cancelled', false)?.tone).toBe('warning');
    expect(orderPaymentNotice(success, 'failed', false)).toBeUndefined();
  });
});

describe('the pack form', () => {
  const currencies = packCurrencies(['EUR', 'USD']);

  it('offers the store’s currencies first, then the common ones', () => {
    expect(currencies).toEqual(['EUR', 'USD', 'GBP', 'CHF']);
  });

  it('round-trips a pack, keeping its other languages and guarding its revision', () => {
    const existing = { ...pack, name: { en: 'Bulk', de: 'Menge' }, cashback: { percent: '2.5' } };
    const form = packFormOf(existing, currencies, 'en');
    expect(form).toMatchObject({
      name: 'Bulk',
      credits: '900',
      prices: { EUR: '900.00', GBP: '' },
      cashbackPercent: '2.5',
    });
    const checked = checkPack({ ...form, name: 'Bulk pack' }, 'en', existing);
    expect(checked.errors).toBeUndefined();
    expect(checked).toMatchObject({
      id: 'bulk-1000',
      body: {
        name: { en: 'Bulk pack', de: 'Menge' },
        prices: { EUR: '900.00', USD: '900.00' },
        cashback: { percent: '2.5' },
        expectedRevision: 1,
        position: 20,
      },
    });
  });

  it('builds a new pack from the fields', () => {
    const form = {
      ...emptyPackForm(currencies, 40),
      id: 'team-2000',
      name: 'Team pack',
      credits: '1800',
      bonusCredits: '200',
      prices: { EUR: '1800', USD: '', GBP: '', CHF: '' },
      cashbackPercent: '5',
      cashbackDays: '90',
    };
    expect(checkPack(form, 'en')).toEqual({
      id: 'team-2000',
      body: {
        name: { en: 'Team pack' },
        credits: '1800',
        bonusCredits: '200',
        prices: { EUR: '1800' },
        active: true,
        position: 40,
        cashback: { percent: '5', expiresAfterDays: 90 },
      },
    });
  });

  it('says what to fix, field by field, with the API’s paths as keys', () => {
    const form = {
      ...emptyPackForm(currencies),
      id: 'Team Pack',
      credits: '0',
      bonusCredits: '1,5',
      prices: { EUR: '9,50', USD: '0', GBP: '', CHF: '' },
      position: '-1',
      cashbackDays: '30',
    };
    const checked = checkPack(form, 'en');
    expect(Object.fromEntries(checked.errors ?? [])).toEqual({
      id: 'Use lowercase letters, digits and hyphens, like bulk-1000.',
      name: 'Give the pack a name buyers see.',
      credits: 'Enter more than zero.',
      bonusCredits: 'Use a point for decimals, e.g. 12.50.',
      'prices.EUR': 'Use a point for decimals, e.g. 90.00.',
      'prices.USD': 'A pack must cost more than zero.',
      position: 'Enter a whole number from 0 to 10000.',
      'cashback.percent': 'Set the cashback percentage, or leave the expiry empty.',
    });
    const none = checkPack({ ...emptyPackForm(currencies), id: 'a', name: 'A', credits: '1' }, 'en');
    expect(Object.fromEntries(none.errors ?? [])).toEqual({
      prices: 'Set a net price in at least one currency.',
    });
  });

  it('labels every field', () => {
    expect(packFieldLabel('prices.GBP')).toBe('Net price in GBP');
    expect(packFieldLabel('cashback.percent')).toBe('Cashback');
  });
});
