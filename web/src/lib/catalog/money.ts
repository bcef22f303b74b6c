/**
 * Money for people. Amounts arrive as decimal strings (`'0.0886'`, `'64.68'`) and are never turned
 * into JS numbers: the integer part is formatted as a BigInt (grouping, currency symbol, sign in the
 * locale's way) and the fraction digits are put back from the string. Totals come from the server
 * or the shared pricing engine; nothing here adds amounts.
 */

import { countryName } from '#lib/countries.ts';
import type { Quote } from '#shared/catalog/quote.ts';

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export type MoneyFormatOptions = {
  /** BCP 47 locale; the browser's when left out. */
  locale?: string | undefined;
  /**
   * At most this many fraction digits, rounded half up (away from zero), like the engine rounds.
   * Default: every digit the amount has (hourly rates keep their precision).
   */
  maxFractionDigits?: number;
};

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string | undefined, currency: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
    formatters.set(key, format);
  }
  return format;
}

/** Digits of the currency's minor unit (EUR 2, JPY 0), as the browser knows them. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

function decimalSeparator(locale: string | undefined): string {
  return (
    new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
  );
}

/**
 * Rounds a decimal string to `places` fraction digits, half up (away from zero), on its digits.
 *
 * @example roundDecimalString('0.001369863', 4) // '0.0014'
 * @example roundDecimalString('-2.345', 2) // '-2.35'
 */
export function roundDecimalString(amount: string, places: number): string {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`not a decimal string: ${amount}`);
  const [, minus = '', integer = '0', fraction = ''] = match;
  if (fraction.length <= places) return amount.trim();
  const kept = `${integer}${fraction.slice(0, places)}`;
  const roundUp = (fraction[places] ?? '0') >= '5';
  const digits = (BigInt(kept) + (roundUp ? 1n : 0n)).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const rest = digits.slice(digits.length - places);
  const zero = /^0*$/.test(digits);
  return `${zero ? '' : minus}${whole}${places > 0 ? `.${rest}` : ''}`;
}

/**
 * A decimal-string amount in a currency, for display: at least the currency's minor digits,
 * trailing zeros beyond them dropped, every other digit kept (or rounded to `maxFractionDigits`).
 *
 * @example formatMoney('64.68', 'EUR', { locale: 'en' }) // '€64.68'
 * @example formatMoney('0.0886', 'EUR', { locale: 'de' }) // '0,0886 €'
 * @example formatMoney('1234567.5', 'USD', { locale: 'en' }) // '$1,234,567.50'
 */
export function formatMoney(amount: string, currency: string, options: MoneyFormatOptions = {}): string {
  const { locale, maxFractionDigits } = options;
  const rounded =
    maxFractionDigits === undefined ? amount.trim() : roundDecimalString(amount, maxFractionDigits);
  const match = DECIMAL.exec(rounded);
  if (!match) return `${amount} ${currency}`;
  const [, minus, integer = '0', rawFraction = ''] = match;
  const minimum = minorDigits(currency);
  let fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length < minimum) fraction = fraction.padEnd(minimum, '0');
  const negative = minus === '-' && !/^0*$/.test(`${integer}${rawFraction}`);
  const magnitude = BigInt(integer);
  // -0.5 has the integer part 0: format -1 for the sign's place and put the 0 back.
  const value = negative ? -(magnitude === 0n ? 1n : magnitude) : magnitude;
  const parts = currencyFormat(locale, currency).formatToParts(value);
  const lastInteger = parts.findLastIndex((part) => part.type === 'integer');
  const separator = decimalSeparator(locale);
  return parts
    .map((part, index) => {
      let text = part.value;
      if (part.type === 'integer' && magnitude === 0n) text = '0';
      if (index === lastInteger && fraction.length > 0) text += `${separator}${fraction}`;
      return text;
    })
    .join('');
}

/** '0', '0.00', '-0.0': nothing to pay (a setup fee of zero is shown as "None" or left out). */
export const isZeroAmount = (amount: string): boolean => /^-?0+(\.0+)?$/.test(amount.trim());

/**
 * A number with its unit for people ("16 GB", "1,000 Mbit/s").
 *
 * @example formatQuantity(1000, 'Mbit/s', 'en') // '1,000 Mbit/s'
 */
export function formatQuantity(value: number, unit: string | undefined, locale?: string): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(value);
  return unit ? `${number} ${unit}` : number;
}

/**
 * A rate as a fraction ('0.19') in percent ('19'), by moving the decimal point on the string.
 *
 * @example ratePercent('0.255') // '25.5'
 */
export function ratePercent(rate: string): string {
  const match = DECIMAL.exec(rate.trim());
  if (!match) return rate;
  const [, minus = '', integer = '0', fraction = ''] = match;
  const digits = `${integer}${fraction.padEnd(2, '0')}`;
  const at = integer.length + 2;
  const whole = digits.slice(0, at).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(at).replace(/0+$/, '');
  const text = rest ? `${whole}.${rest}` : whole;
  return text === '0' ? '0' : `${minus}${text}`;
}

/**
 * The VAT line's label: "VAT 19 % (Germany)", "VAT: reverse charge (you account for it)", "No VAT
 * charged".
 */
export function vatLabel(
  tax: Pick<Quote['tax'], 'country' | 'rate' | 'reverseCharge' | 'rule'>,
  locale = 'en',
): string {
  if (tax.rule === 'reverse_charge') return 'VAT: reverse charge (you account for it)';
  if (tax.rule === 'outside_scope') return 'No VAT charged';
  return `VAT ${ratePercent(tax.rate)} % (${countryName(tax.country, locale)})`;
}
