import { describe, expect, it } from 'vitest';
import { compilePricing } from '#shared/catalog/compile.ts';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import { quote } from '#shared/catalog/quote.ts';
import { buyerFromTax, quoteDifferences, quoteKey, sameBuyer, sameDecimal } from './quote-check.ts';

const pricing = compilePricing(virtualServer);
const configuration = { dimensions: { vcpu: 4, ram_gb: 8 }, options: { os: 'windows' } };

describe('browser quote against the server’s', () => {
  it('agrees once the engine prices for the buyer the server named', () => {
    for (const buyer of [
      { country: 'DE' },
      { country: 'FR' },
      { country: 'FR', vatId: 'FR123', vatIdValid: true },
      { country: 'US' },
    ]) {
      const server = quote(pricing, configuration, { currency: 'EUR', sellerCountry: 'DE', buyer });
      const browserBefore = quote(pricing, configuration, { currency: 'EUR', sellerCountry: 'DE' });
      const browserAfter = quote(pricing, configuration, {
        currency: 'EUR',
        sellerCountry: 'DE',
        buyer: buyerFromTax(server.tax),
      });
      expect(quoteDifferences(browserAfter, server)).toEqual([]);
      if (buyer.country !== 'DE') expect(quoteDifferences(browserBefore, server)).toContain('VAT');
    }
  });

  it('names what differs', () => {
    const a = quote(pricing, configuration, { currency: 'EUR', sellerCountry: 'DE' });
    const b = quote(
      pricing,
      { ...configuration, dimensions: { vcpu: 5, ram_gb: 8 } },
      { currency: 'EUR', sellerCountry: 'DE' },
    );
    expect(quoteDifferences(a, b)).toEqual(['hourly', 'monthly estimate', 'VAT', 'first month']);
  });

  it('compares buyers, decimals and configurations by value', () => {
    expect(sameBuyer({ country: 'FR' }, buyerFromTax({ country: 'FR', reverseCharge: false }))).toBe(true);
    expect(sameBuyer(undefined, { country: 'DE' })).toBe(false);
    expect(sameDecimal('0.0886', '0.08860')).toBe(true);
    expect(sameDecimal('00.10', '0.1')).toBe(true);
    expect(sameDecimal('0', '0.00')).toBe(true);
    expect(sameDecimal('1.2', '-1.2')).toBe(false);
    expect(quoteKey({ b: 1, a: { d: [1, 2], c: true } })).toBe(quoteKey({ a: { c: true, d: [1, 2] }, b: 1 }));
    expect(quoteKey({ a: { d: [1, 2] } })).not.toBe(quoteKey({ a: { d: [2, 1] } }));
    expect(quoteKey({ configuration, currency: 'EUR' })).not.toBe(
      quoteKey({ configuration, currency: 'USD' }),
    );
  });
});
