import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatQuantity,
  isZeroAmount,
  minorDigits,
  ratePercent,
  roundDecimalString,
  vatLabel,
} from './money.ts';

describe('formatMoney', () => {
  it('writes amounts with the currency’s digits, in the locale’s way', () => {
    expect(formatMoney('64.68', 'EUR', { locale: 'en' })).toBe('€64.68');
    expect(formatMoney('55.92', 'EUR', { locale: 'en' })).toBe('€55.92');
    expect(formatMoney('64.6', 'EUR', { locale: 'en' })).toBe('€64.60');
    expect(formatMoney('0', 'EUR', { locale: 'en' })).toBe('€0.00');
    expect(formatMoney('1234567.5', 'USD', { locale: 'en' })).toBe('$1,234,567.50');
    expect(formatMoney('1234.5', 'EUR', { locale: 'de' })).toBe('1.234,50\u00a0€');
    expect(formatMoney('1235', 'JPY', { locale: 'en' })).toBe('¥1,235');
  });

  it('keeps every digit of an hourly rate, and drops trailing zeros beyond the minor unit', () => {
    expect(formatMoney('0.0886', 'EUR', { locale: 'en' })).toBe('€0.0886');
    expect(formatMoney('0.0526', 'USD', { locale: 'en' })).toBe('$0.0526');
    expect(formatMoney('0.0500', 'EUR', { locale: 'en' })).toBe('€0.05');
    expect(formatMoney('0.001369863', 'EUR', { locale: 'de' })).toBe('0,001369863\u00a0€');
  });

  it('never goes through a float: digits beyond double precision survive', () => {
    expect(formatMoney('12345678901234567.0123456789', 'EUR', { locale: 'en' })).toBe(
      '€12,345,678,901,234,567.0123456789',
    );
  });

  it('rounds half up to a maximum of fraction digits when asked', () => {
    expect(formatMoney('0.001369863', 'EUR', { locale: 'en', maxFractionDigits: 4 })).toBe('€0.0014');
    expect(formatMoney('0.021', 'EUR', { locale: 'en', maxFractionDigits: 4 })).toBe('€0.021');
  });

  it('writes negative amounts and negative amounts below one', () => {
    expect(formatMoney('-5.5', 'EUR', { locale: 'en' })).toBe('-€5.50');
    expect(formatMoney('-0.25', 'EUR', { locale: 'en' })).toBe('-€0.25');
    expect(formatMoney('-0.00', 'EUR', { locale: 'en' })).toBe('€0.00');
  });

  it('shows something readable for a string that is not a decimal', () => {
    expect(formatMoney('abc', 'EUR')).toBe('abc EUR');
  });
});

describe('roundDecimalString', () => {
  it('rounds half away from zero on the digits', () => {
    expect(roundDecimalString('0.001369863', 4)).toBe('0.0014');
    expect(roundDecimalString('2.345', 2)).toBe('2.35');
    expect(roundDecimalString('-2.345', 2)).toBe('-2.35');
    expect(roundDecimalString('9.995', 2)).toBe('10.00');
    expect(roundDecimalString('0.4', 0)).toBe('0');
    expect(roundDecimalString('-0.004', 2)).toBe('0.00');
    expect(roundDecimalString('1.5', 3)).toBe('1.5');
  });
});

describe('currency facts, rates and quantities', () => {
  it('knows the minor digits of currencies', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
  });

  it('turns a VAT fraction into percent on the string', () => {
    expect(ratePercent('0.19')).toBe('19');
    expect(ratePercent('0.255')).toBe('25.5');
    expect(ratePercent('0.081')).toBe('8.1');
    expect(ratePercent('0')).toBe('0');
    expect(ratePercent('1')).toBe('100');
  });

  it('labels the VAT line by its rule', () => {
    const tax = { country: 'DE', rate: '0.19', reverseCharge: false, rule: 'domestic' } as const;
    expect(vatLabel(tax, 'en')).toBe('VAT 19 % (Germany)');
    expect(vatLabel({ ...tax, rule: 'reverse_charge', rate: '0', reverseCharge: true }, 'en')).toMatch(
      /reverse charge/,
    );
    expect(vatLabel({ ...tax, country: 'US', rule: 'outside_scope', rate: '0' }, 'en')).toBe(
      'No VAT charged',
    );
  });

  it('tells a zero amount in any spelling', () => {
    expect(['0', '0.00', '-0.0', ' 00.000 '].every(isZeroAmount)).toBe(true);
    expect(['0.01', '10', '-0.001', 'abc', ''].some(isZeroAmount)).toBe(false);
  });

  it('writes quantities with their units', () => {
    expect(formatQuantity(1000, 'Mbit/s', 'en')).toBe('1,000 Mbit/s');
    expect(formatQuantity(0.5, 'GB', 'de')).toBe('0,5 GB');
    expect(formatQuantity(3, undefined, 'en')).toBe('3');
  });
});
