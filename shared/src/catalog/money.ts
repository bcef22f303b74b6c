/**
 * Money arithmetic for pricing: decimals, never floats.
 *
 * Every amount is a decimal.js value of {@link PricingDecimal}, a private clone so that no other
 * code's `Decimal.set()` can change our precision or rounding. On the wire an amount is a decimal
 * string (`'12.3400'`) next to its currency: {@link MoneyAmount}.
 *
 * Rounding: arithmetic keeps 40 significant digits, which is exact for everything pricing does
 * (rates have at most 10 decimals, quantities are small) except division (interval pricing).
 * Rounding to a currency's minor unit happens only through {@link roundToMinorUnit}, with
 * ROUND_HALF_UP ("commercial rounding": 0.005 → 0.01, −0.005 → −0.01), which is what buyers,
 * invoices and EU tax authorities expect. Banker's rounding (half-even) would only pay off when
 * rounding thousands of amounts that are then summed; a quote rounds a handful.
 */
import decimalJs, { type Decimal } from 'decimal.js';
import * as z from 'zod';

export type { Decimal };

/**
 * decimal.js's types describe its CommonJS build, so TypeScript (NodeNext) types the default import
 * as the module object; at run time it is the class (ESM build) or, through CommonJS interop, a
 * module object whose `default` is the class.
 */
const DecimalClass: typeof Decimal =
  (decimalJs as unknown as { default?: typeof Decimal }).default ?? (decimalJs as unknown as typeof Decimal);
/** Anything that converts to a decimal exactly: a decimal string, an integer or a Decimal. */
export type DecimalInput = string | number | Decimal;

/**
 * The decimal type of the pricing engine: 40 significant digits, ROUND_HALF_UP, never exponent
 * notation in `toString()`.
 *
 * @example new PricingDecimal('0.0125').times(730).toString() // '9.125'
 */
export const PricingDecimal = DecimalClass.clone({
  precision: 40,
  rounding: DecimalClass.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** Multiplies with an hourly rate to give the monthly estimate. */
export const HOURS_PER_MONTH = 730;

/** @example decimal('0.10').plus(decimal(2)).toString() // '2.1' */
export function decimal(value: DecimalInput): Decimal {
  return new PricingDecimal(value);
}

export const ZERO: Decimal = decimal(0);

/**
 * ISO 4217 currencies the store sells in, with the number of digits of their minor unit
 * (cent = 2, the yen has none).
 */
export const CURRENCIES = {
  EUR: { minorUnitExponent: 2, name: 'Euro' },
  USD: { minorUnitExponent: 2, name: 'US dollar' },
  GBP: { minorUnitExponent: 2, name: 'Pound sterling' },
  CHF: { minorUnitExponent: 2, name: 'Swiss franc' },
  JPY: { minorUnitExponent: 0, name: 'Yen' },
  SEK: { minorUnitExponent: 2, name: 'Swedish krona' },
  NOK: { minorUnitExponent: 2, name: 'Norwegian krone' },
  DKK: { minorUnitExponent: 2, name: 'Danish krone' },
  PLN: { minorUnitExponent: 2, name: 'Złoty' },
  CZK: { minorUnitExponent: 2, name: 'Czech koruna' },
  CAD: { minorUnitExponent: 2, name: 'Canadian dollar' },
  AUD: { minorUnitExponent: 2, name: 'Australian dollar' },
} as const satisfies Record<string, { minorUnitExponent: number; name: string }>;

const currencyCodes = Object.keys(CURRENCIES) as [keyof typeof CURRENCIES, ...(keyof typeof CURRENCIES)[]];

export const CurrencyCode = z.enum(currencyCodes).meta({ id: 'CurrencyCode', example: 'EUR' });
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** @example isCurrencyCode('EUR') // true; isCurrencyCode('EUX') // false */
export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCIES, value);
}

/** Digits after the decimal point of the currency's minor unit. @example minorUnitExponent('JPY') // 0 */
export function minorUnitExponent(currency: CurrencyCode): number {
  return CURRENCIES[currency].minorUnitExponent;
}

/** What every amount on the wire looks like: optional minus, digits, optional fraction. */
export const DECIMAL_STRING_PATTERN = /^-?\d+(\.\d+)?$/;

export const DecimalString = z
  .string()
  .regex(DECIMAL_STRING_PATTERN, 'must be a decimal string like "12.34"')
  .meta({ id: 'DecimalString', example: '12.3400' });

/**
 * The one money shape of the API: a currency and a decimal string. The amount may carry more
 * decimals than the currency (hourly rates do); amounts that are charged have exactly the
 * currency's.
 *
 * @example { currency: 'EUR', amount: '12.3400' }
 */
export const MoneyAmount = z
  .object({ currency: CurrencyCode, amount: DecimalString })
  .strict()
  .meta({ id: 'MoneyAmount', example: { currency: 'EUR', amount: '12.3400' } });
export type MoneyAmount = z.infer<typeof MoneyAmount>;

/**
 * Rounds to the currency's minor unit, half up. The only rounding to currency in the engine;
 * docs/pricing.md lists where it is called.
 *
 * @example roundToMinorUnit(decimal('9.125'), 'EUR').toString() // '9.13'
 * @example roundToMinorUnit(decimal('1234.5'), 'JPY').toString() // '1235'
 */
export function roundToMinorUnit(value: Decimal, currency: CurrencyCode): Decimal {
  const exponent = CURRENCIES[currency].minorUnitExponent;
  // most amounts already fit (0.176 × 730 = 128.48): skip the copy decimal.js would make
  return value.decimalPlaces() <= exponent
    ? value
    : value.toDecimalPlaces(exponent, DecimalClass.ROUND_HALF_UP);
}

/**
 * A value already rounded to the currency, written with exactly the currency's decimals.
 * Throws if the value has more decimals: formatting must never round silently.
 *
 * @example formatMinorUnits(decimal('9.1'), 'EUR') // '9.10'
 */
export function formatMinorUnits(value: Decimal, currency: CurrencyCode): string {
  const exponent = CURRENCIES[currency].minorUnitExponent;
  const places = value.decimalPlaces();
  if (places > exponent) {
    throw new RangeError(`${value.toString()} has more decimals than ${currency} (${exponent})`);
  }
  // toString() never uses exponent notation (see PricingDecimal); padding is cheaper than toFixed()
  const text = value.isZero() ? '0' : value.toString();
  if (places === exponent) return text;
  return `${text}${places === 0 ? '.' : ''}${'0'.repeat(exponent - places)}`;
}

/**
 * Sum of decimals, exact; faster than chained `plus` (one precision check at the end).
 *
 * @example sumOf([decimal('0.1'), decimal('0.2')]).toString() // '0.3'
 */
export function sumOf(values: readonly Decimal[]): Decimal {
  return values.length === 0 ? ZERO : PricingDecimal.sum(...values);
}

/**
 * A decimal as a plain decimal string, unrounded: no exponent, no `-0`.
 *
 * @example toDecimalString(decimal('1e-12')) // '0.000000000001'
 */
export function toDecimalString(value: Decimal): string {
  return value.isZero() ? '0' : value.toString();
}
