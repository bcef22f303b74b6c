import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../catalog/money.ts';
import {
  CreditAmount,
  creditsForMoney,
  creditsToString,
  hourlyCredits,
  moneyForCredits,
  parseCredits,
  SignedCreditAmount,
} from './credit-units.ts';

/** The most units a wire amount can hold: twelve digits of whole credits, two of hundredths. */
const MAX_UNITS = 10 ** 14 - 1;

/** A positive decimal with 0 to `maxPlaces` decimals, as a tenant writes a price. */
const positiveDecimal = (maxPlaces: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: maxPlaces }))
    .map(([digits, places]) =>
      decimal(digits)
        .div(10 ** places)
        .toFixed(places),
    );

describe('creditsToString', () => {
  it('writes units as credits with exactly two decimals', () => {
    expect(creditsToString(123456)).toBe('1234.56');
    expect(creditsToString(5)).toBe('0.05');
    expect(creditsToString(-5)).toBe('-0.05');
    expect(creditsToString(-100)).toBe('-1.00');
    expect(creditsToString(0)).toBe('0.00');
    expect(creditsToString(MAX_UNITS)).toBe('999999999999.99');
  });

  it('refuses anything but a safe integer', () => {
    for (const units of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => creditsToString(units), String(units)).toThrow(RangeError);
    }
  });
});

describe('parseCredits', () => {
  it('reads whole credits, tenths and hundredths', () => {
    expect(parseCredits('12.5')).toBe(1250);
    expect(parseCredits('12.50')).toBe(1250);
    expect(parseCredits('25')).toBe(2500);
    expect(parseCredits('0.01')).toBe(1);
    expect(parseCredits('-1.37')).toBe(-137);
    expect(parseCredits('999999999999.99')).toBe(MAX_UNITS);
    expect(parseCredits('-0.00')).toBe(0); // toBe tells -0 from 0
  });

  it('refuses a third decimal rather than rounding', () => {
    expect(() => parseCredits('0.001')).toThrow(/at most 2 decimals/);
    expect(() => parseCredits('12.345')).toThrow(RangeError);
    expect(() => parseCredits('12.340')).toThrow(RangeError);
  });

  it('refuses garbage', () => {
    for (const text of [
      '',
      'abc',
      '1e3',
      '1,50',
      ' 1',
      '1 ',
      '+1',
      '1.',
      '.5',
      '--1',
      '0x10',
      '1234567890123',
    ]) {
      expect(() => parseCredits(text), text).toThrow(RangeError);
    }
  });

  it('round-trips every amount of up to twelve digits of credits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }), (units) => {
        const text = creditsToString(units);
        expect(text).toMatch(/^-?\d{1,12}\.\d{2}$/);
        expect(SignedCreditAmount.safeParse(text).success).toBe(true);
        expect(parseCredits(text)).toBe(units);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads any wire amount as whole credits × 100 + hundredths', () => {
    const wire = fc.record({
      negative: fc.boolean(),
      whole: fc.integer({ min: 0, max: 999_999_999_999 }),
      fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\d{1,2}$/)),
    });
    fc.assert(
      fc.property(wire, ({ negative, whole, fraction }) => {
        const text = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
        const units = whole * 100 + Number(fraction.padEnd(2, '0'));
        expect(parseCredits(text)).toBe(negative && units !== 0 ? -units : units);
        expect(creditsToString(parseCredits(text))).toBe(
          `${negative && units !== 0 ? '-' : ''}${whole}.${fraction.padEnd(2, '0')}`,
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('CreditAmount', () => {
  it('is a non-negative amount; SignedCreditAmount may be negative', () => {
    expect(CreditAmount.safeParse('12.50').success).toBe(true);
    expect(CreditAmount.safeParse('-12.50').success).toBe(false);
    expect(CreditAmount.safeParse('12.505').success).toBe(false);
    expect(SignedCreditAmount.safeParse('-12.50').success).toBe(true);
  });
});

describe('hourlyCredits', () => {
  it('turns an hourly price into credits per hour', () => {
    expect(hourlyCredits('0.0766', '0.01')).toBe('7.66');
    expect(hourlyCredits('0.0360', '0.0001')).toBe('360');
    expect(hourlyCredits('1.50', '2.00')).toBe('0.75');
    expect(hourlyCredits('0', '0.01')).toBe('0');
  });

  it('fixes what does not divide to ten decimals, half up', () => {
    expect(hourlyCredits('1', '3')).toBe('0.3333333333');
    expect(hourlyCredits('2', '3')).toBe('0.6666666667');
    expect(hourlyCredits('0.00000000005', '1')).toBe('0.0000000001');
    expect(hourlyCredits('0.00000000004', '1')).toBe('0');
  });

  it('refuses a credit that costs nothing or less', () => {
    expect(() => hourlyCredits('1', '0')).toThrow(/more than zero/);
    expect(() => hourlyCredits('1', '-0.01')).toThrow(/more than zero/);
  });

  it('is exact whenever the credit price divides the hourly price', () => {
    fc.assert(
      fc.property(positiveDecimal(10), positiveDecimal(10), (price, credits) => {
        const hourlyMoney = decimal(price).times(credits).toString();
        expect(hourlyCredits(hourlyMoney, price)).toBe(decimal(credits).toString());
      }),
      { numRuns: 500 },
    );
  });

  it('is otherwise within half of the tenth decimal', () => {
    fc.assert(
      fc.property(positiveDecimal(10), positiveDecimal(10), (hourlyMoney, price) => {
        const rate = decimal(hourlyCredits(hourlyMoney, price));
        expect(rate.decimalPlaces()).toBeLessThanOrEqual(10);
        const error = rate.times(price).minus(hourlyMoney).abs();
        expect(error.lte(decimal(price).times('0.00000000005'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('creditsForMoney', () => {
  it('gives the credits an amount buys', () => {
    expect(creditsForMoney('19.00', '0.01')).toBe(190000);
    expect(creditsForMoney('3', '2.00')).toBe(150);
    expect(creditsForMoney('0', '0.01')).toBe(0);
  });

  it('rounds up, so that credits never cost less than the amount', () => {
    expect(creditsForMoney('1', '3')).toBe(34); // 33.33… hundredths
    expect(creditsForMoney('0.10', '0.03')).toBe(334); // 333.33…
    expect(creditsForMoney('0.0001', '1')).toBe(1);
  });

  it('refuses a credit that costs nothing or less', () => {
    expect(() => creditsForMoney('1', '0')).toThrow(/more than zero/);
    expect(() => creditsForMoney('1', '-1')).toThrow(/more than zero/);
  });

  it('is the fewest units worth at least the amount', () => {
    const amount = fc.integer({ min: 1, max: 10_000_000 }).map((cents) => decimal(cents).div(100).toFixed(2));
    fc.assert(
      fc.property(amount, positiveDecimal(6), (money, price) => {
        const units = creditsForMoney(money, price);
        expect(Number.isSafeInteger(units)).toBe(true);
        expect(moneyForCredits(units, price).gte(money)).toBe(true);
        expect(moneyForCredits(units - 1, price).lt(money)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('moneyForCredits', () => {
  it('prices units at the credit price, unrounded', () => {
    expect(moneyForCredits(150, '2.00').toString()).toBe('3');
    expect(moneyForCredits(1, '0.01').toString()).toBe('0.0001');
    expect(moneyForCredits(766, '0.0001').toString()).toBe('0.000766');
    expect(moneyForCredits(-250, '0.5').toString()).toBe('-1.25');
  });
});
