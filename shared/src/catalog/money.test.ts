import { describe, expect, it } from 'vitest';
import {
  CURRENCIES,
  DECIMAL_STRING_PATTERN,
  decimal,
  formatMinorUnits,
  MoneyAmount,
  minorUnitExponent,
  roundToMinorUnit,
  sumOf,
  toDecimalString,
} from './money.ts';

describe('roundToMinorUnit', () => {
  it('rounds half up, away from zero', () => {
    expect(roundToMinorUnit(decimal('9.125'), 'EUR').toString()).toBe('9.13');
    expect(roundToMinorUnit(decimal('9.124999'), 'EUR').toString()).toBe('9.12');
    expect(roundToMinorUnit(decimal('-0.005'), 'EUR').toString()).toBe('-0.01');
    expect(roundToMinorUnit(decimal('0.015'), 'EUR').toString()).toBe('0.02'); // half-even would give 0.02 too
    expect(roundToMinorUnit(decimal('0.025'), 'EUR').toString()).toBe('0.03'); // half-even would give 0.02
  });

  it('rounds the yen to whole yen', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(roundToMinorUnit(decimal('1234.5'), 'JPY').toString()).toBe('1235');
    expect(roundToMinorUnit(decimal('1234.49'), 'JPY').toString()).toBe('1234');
  });
});

describe('formatMinorUnits', () => {
  it("writes exactly the currency's decimals", () => {
    expect(formatMinorUnits(decimal('9.1'), 'EUR')).toBe('9.10');
    expect(formatMinorUnits(decimal('9'), 'EUR')).toBe('9.00');
    expect(formatMinorUnits(decimal('9.99'), 'EUR')).toBe('9.99');
    expect(formatMinorUnits(decimal('-0'), 'EUR')).toBe('0.00');
    expect(formatMinorUnits(decimal('-1.5'), 'EUR')).toBe('-1.50');
    expect(formatMinorUnits(decimal('1235'), 'JPY')).toBe('1235');
    expect(formatMinorUnits(decimal('12345678901234567890.1'), 'USD')).toBe('12345678901234567890.10');
  });

  it('refuses to round silently', () => {
    expect(() => formatMinorUnits(decimal('9.125'), 'EUR')).toThrow(/more decimals than EUR/);
    expect(() => formatMinorUnits(decimal('0.5'), 'JPY')).toThrow(/more decimals than JPY/);
  });
});

describe('decimals', () => {
  it('are exact where floats are not', () => {
    expect(decimal('0.1').plus(decimal('0.2')).toString()).toBe('0.3');
    expect(sumOf([decimal('0.1'), decimal('0.2'), decimal('-0.3')]).isZero()).toBe(true);
    expect(sumOf([]).toString()).toBe('0');
    expect(decimal('0.0000000001').times(730).toString()).toBe('0.000000073');
  });

  it('never print exponent notation or -0', () => {
    expect(toDecimalString(decimal('1e-12'))).toBe('0.000000000001');
    expect(toDecimalString(decimal('1e25'))).toBe('10000000000000000000000000');
    expect(toDecimalString(decimal('-0'))).toBe('0');
    expect(toDecimalString(decimal(1).div(3))).toMatch(DECIMAL_STRING_PATTERN);
  });
});

describe('MoneyAmount', () => {
  it('is a known currency and a decimal string', () => {
    expect(MoneyAmount.parse({ currency: 'EUR', amount: '12.3400' })).toEqual({
      currency: 'EUR',
      amount: '12.3400',
    });
    expect(MoneyAmount.safeParse({ currency: 'EUR', amount: 12.34 }).success).toBe(false);
    expect(MoneyAmount.safeParse({ currency: 'EUR', amount: '1e3' }).success).toBe(false);
    expect(MoneyAmount.safeParse({ currency: 'XXX', amount: '1' }).success).toBe(false);
    expect(MoneyAmount.safeParse({ currency: 'EUR', amount: '1', extra: true }).success).toBe(false);
  });

  it('knows the twelve currencies', () => {
    expect(Object.keys(CURRENCIES).sort()).toEqual(
      ['AUD', 'CAD', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'JPY', 'NOK', 'PLN', 'SEK', 'USD'].sort(),
    );
  });
});
