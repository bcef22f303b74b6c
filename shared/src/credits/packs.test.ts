import { describe, expect, it } from 'vitest';
import { CurrencyNotOfferedError } from '../catalog/pricing-errors.ts';
import { demoCreditPacks } from './demo-packs.ts';
import { CreditPackInput, cashbackUnits, packPriceIssues, priceCreditPack } from './packs.ts';

const withoutId = <T extends { id: string }>({ id: _id, ...rest }: T) => rest;
const [starter, bulkInput] = demoCreditPacks.map(withoutId);
const bulk = { id: 'bulk-1000', ...CreditPackInput.parse(bulkInput) };

describe('priceCreditPack', () => {
  it('adds the seller country’s VAT for a domestic buyer or a visitor', () => {
    const expected = {
      packId: 'bulk-1000',
      currency: 'EUR',
      credits: '900.00',
      bonus: '100.00',
      cashback: '0.00',
      net: '900.00',
      tax: { country: 'DE', rate: '0.19', amount: '171.00', reverseCharge: false, rule: 'domestic' },
      gross: '1071.00',
    };
    expect(priceCreditPack(bulk, 'EUR', { sellerCountry: 'DE', buyer: { country: 'DE' } })).toEqual(expected);
    expect(priceCreditPack(bulk, 'EUR', { sellerCountry: 'DE' })).toEqual(expected);
  });

  it('charges a consumer abroad their VAT and a business with a valid VAT id none (reverse charge)', () => {
    const pack = { ...bulk, prices: { EUR: '99.99' } };
    const consumer = priceCreditPack(pack, 'EUR', { sellerCountry: 'DE', buyer: { country: 'FR' } });
    expect(consumer.tax).toMatchObject({ country: 'FR', rate: '0.2', amount: '20.00', rule: 'destination' });
    expect(consumer.gross).toBe('119.99');
    const business = priceCreditPack(pack, 'EUR', {
      sellerCountry: 'DE',
      buyer: { country: 'FR', vatId: 'FR12345678901', vatIdValid: true },
    });
    expect(business.tax).toMatchObject({ amount: '0.00', reverseCharge: true });
    expect(business.gross).toBe('99.99');
  });

  it('rounds VAT once, half up, to the currency', () => {
    // 10.05 × 0.19 = 1.9095 → 1.91
    expect(
      priceCreditPack({ ...bulk, prices: { EUR: '10.05' } }, 'EUR', { sellerCountry: 'DE' }).tax.amount,
    ).toBe('1.91');
  });

  it('refuses a currency the pack is not priced in', () => {
    expect(() => priceCreditPack(bulk, 'GBP', { sellerCountry: 'DE' })).toThrow(CurrencyNotOfferedError);
  });

  it('gives cashback as a share of the paid credits, rounded down', () => {
    expect(cashbackUnits({ credits: '4250', cashback: { percent: '2' } })).toBe(8_500);
    // 33.33 × 2.5 % = 0.83325 → 0.83
    expect(cashbackUnits({ credits: '33.33', cashback: { percent: '2.5' } })).toBe(83);
    expect(cashbackUnits({ credits: '100' })).toBe(0);
    expect(
      priceCreditPack({ ...bulk, cashback: { percent: '2' } }, 'EUR', { sellerCountry: 'DE' }).cashback,
    ).toBe('18.00');
  });
});

describe('pack definitions', () => {
  it('names prices with more decimals than the currency, or zero', () => {
    expect(packPriceIssues({ EUR: '9.999', USD: '0', JPY: '100.5' })).toEqual([
      { path: 'body.prices.EUR', message: 'EUR has 2 decimals', code: 'too_many_decimals' },
      { path: 'body.prices.USD', message: 'must be more than zero', code: 'not_positive' },
      { path: 'body.prices.JPY', message: 'JPY has 0 decimals', code: 'too_many_decimals' },
    ]);
  });

  it('accepts the demo packs', () => {
    for (const pack of demoCreditPacks) {
      const parsed = CreditPackInput.parse(withoutId(pack));
      expect(packPriceIssues(parsed.prices)).toEqual([]);
    }
  });

  it('rejects a cashback over 100 % and a credit amount with three decimals', () => {
    expect(CreditPackInput.safeParse({ ...starter, cashback: { percent: '101' } }).success).toBe(false);
    expect(CreditPackInput.safeParse({ ...starter, credits: '1.001' }).success).toBe(false);
  });
});
