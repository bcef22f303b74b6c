import { describe, expect, it } from 'vitest';
import { compilePricing } from './compile.ts';
import { largeWindowsServer, virtualServer } from './demo-virtual-server.ts';
import { priceForInterval, quoteInterval } from './interval.ts';
import { decimal } from './money.ts';
import { quote } from './quote.ts';

describe('priceForInterval', () => {
  it('prices an hour at the hourly rate and a minute at a sixtieth of it', () => {
    expect(priceForInterval('0.0360', 3_600_000).toString()).toBe('0.036');
    expect(priceForInterval('0.0360', 60_000).toString()).toBe('0.0006');
    expect(priceForInterval('0.0360', 0).toString()).toBe('0');
  });

  it('prices a single millisecond', () => {
    expect(priceForInterval('3.6', 1).toString()).toBe('0.000001');
    expect(priceForInterval('1', 1).toString()).toBe('0.0000002777777777777777777777777777777777777778');
  });

  it('adds up over consecutive intervals (to 40 significant digits)', () => {
    const rate = '1.0321';
    const whole = priceForInterval(rate, 7_777_777);
    const parts = priceForInterval(rate, 1_234_567).plus(priceForInterval(rate, 6_543_210));
    expect(parts.minus(whole).abs().lt(decimal('1e-35'))).toBe(true);
    expect(parts.toDecimalPlaces(30).eq(whole.toDecimalPlaces(30))).toBe(true);
  });

  it('refuses negative and fractional durations', () => {
    expect(() => priceForInterval('1', -1)).toThrow(RangeError);
    expect(() => priceForInterval('1', 0.5)).toThrow(RangeError);
  });
});

describe('quoteInterval', () => {
  const hourly = quote(compilePricing(virtualServer), largeWindowsServer, {
    currency: 'EUR',
    sellerCountry: 'DE',
  });

  it('prices [from, to) of a quoted configuration, unrounded and before VAT', () => {
    const from = new Date('2026-03-01T10:00:00.000Z');
    expect(quoteInterval(hourly, from, new Date('2026-03-01T11:00:00.000Z'))).toEqual({
      currency: 'EUR',
      amount: hourly.hourly,
    });
    expect(quoteInterval(hourly, from, new Date('2026-03-01T10:30:00.000Z')).amount).toBe(
      decimal(hourly.hourly).div(2).toString(),
    );
    expect(quoteInterval(hourly, from, new Date('2026-03-01T10:00:00.001Z')).amount).toBe(
      decimal(hourly.hourly).div(3_600_000).toString(),
    );
    expect(quoteInterval(hourly, from, new Date('2026-03-31T10:00:00.000Z')).amount).toBe(
      decimal(hourly.hourly).times(720).toString(),
    );
  });

  it('refuses an interval that ends before it starts', () => {
    expect(() => quoteInterval(hourly, new Date('2026-03-02'), new Date('2026-03-01'))).toThrow(
      /ends .* before it starts/,
    );
  });
});
