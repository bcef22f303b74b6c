/**
 * Credits: the store's internal currency. Amounts are whole hundredths of a credit ("units") in
 * storage and arithmetic, and decimal strings with two places on the wire ('12.34'). The tenant
 * sets what one credit costs in each currency it sells in.
 */
import * as z from 'zod';
import { type Decimal, type DecimalInput, decimal, PricingDecimal } from '../catalog/money.ts';

/** Decimal places of a credit amount. */
export const CREDIT_DECIMALS = 2;
const UNITS_PER_CREDIT = 10 ** CREDIT_DECIMALS;
/** Hourly rates in credits keep this many places: exact for any rate a merchant can set, then fixed. */
export const CREDIT_RATE_DECIMALS = 10;

/** Whole hundredths of a credit; an integer, never a float amount. */
export type CreditUnits = number;

const CREDIT_AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** A non-negative credit amount on the wire: up to two decimals. @example '1000.00' */
export const CreditAmount = z
  .string()
  .regex(CREDIT_AMOUNT, 'a credit amount like "25" or "12.50" (at most two decimals)')
  .meta({ id: 'CreditAmount', example: '250.00' });

/** A signed credit amount (ledger entries: negative takes credits out). */
export const SignedCreditAmount = z
  .string()
  .regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'a credit amount like "-12.50"')
  .meta({ id: 'SignedCreditAmount', example: '-1.37' });

/** @example creditsToString(123456) // '1234.56'; creditsToString(-5) // '-0.05' */
export function creditsToString(units: CreditUnits): string {
  assertUnits(units);
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.trunc(abs / UNITS_PER_CREDIT);
  const fraction = String(abs % UNITS_PER_CREDIT).padStart(CREDIT_DECIMALS, '0');
  return `${sign}${whole}.${fraction}`;
}

/** @example parseCredits('12.5') // 1250; parseCredits('0.001') throws */
export function parseCredits(text: string): CreditUnits {
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(text)) {
    throw new RangeError(`'${text}' is not a credit amount with at most ${CREDIT_DECIMALS} decimals`);
  }
  return decimal(text).times(UNITS_PER_CREDIT).toNumber() || 0; // '-0.00' is 0, not -0
}

export function assertUnits(units: number): void {
  if (!Number.isSafeInteger(units)) throw new RangeError(`${units} is not a whole number of credit units`);
}

/**
 * A money rate (per hour, in the order's currency) in credits per hour, at the tenant's price of
 * one credit; fixed to {@link CREDIT_RATE_DECIMALS} places once, so billing multiplies exactly.
 *
 * @example hourlyCredits('0.0766', '0.01') // '7.66'
 */
export function hourlyCredits(hourlyMoney: DecimalInput, creditPrice: DecimalInput): string {
  const price = decimal(creditPrice);
  if (!price.isPositive() || price.isZero()) throw new RangeError('a credit must cost more than zero');
  const rate = decimal(hourlyMoney)
    .div(price)
    .toDecimalPlaces(CREDIT_RATE_DECIMALS, PricingDecimal.ROUND_HALF_UP);
  return rate.isZero() ? '0' : rate.toString();
}

/**
 * Credits a money amount buys (setup fees paid in credits, runway checks), rounded up: a buyer is
 * never charged fewer credits than the amount is worth.
 *
 * @example creditsForMoney('19.00', '0.01') // 190000 (1,900 credits)
 */
export function creditsForMoney(amount: DecimalInput, creditPrice: DecimalInput): CreditUnits {
  if (!decimal(creditPrice).gt(0)) throw new RangeError('a credit must cost more than zero');
  return decimal(amount)
    .div(decimal(creditPrice))
    .times(UNITS_PER_CREDIT)
    .toDecimalPlaces(0, PricingDecimal.ROUND_UP)
    .toNumber();
}

/** What credit units cost in money, unrounded. @example moneyForCredits(150, '2.00') // 3 */
export function moneyForCredits(units: CreditUnits, creditPrice: DecimalInput): Decimal {
  return decimal(units).div(UNITS_PER_CREDIT).times(decimal(creditPrice));
}
