/**
 * Cost of a running service over any stretch of time, down to the millisecond. Unrounded: billing
 * decides when an amount is rounded (once per charge), not the engine.
 */
import { type Decimal, type DecimalInput, decimal, type MoneyAmount, toDecimalString } from './money.ts';
import type { Quote } from './quote.ts';

export const MS_PER_HOUR = 3_600_000;
const msPerHour = decimal(MS_PER_HOUR);

/**
 * Hourly rate × duration. The product is exact; dividing by 3,600,000 ms is exact to 40
 * significant digits (1/3,600,000 has no finite decimal expansion), far below any minor unit.
 *
 * @example priceForInterval('0.0360', 60_000).toString() // '0.0006' (one minute)
 */
export function priceForInterval(hourlyRate: DecimalInput, durationMs: number): Decimal {
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`a duration is a whole, non-negative number of milliseconds, not ${durationMs}`);
  }
  return decimal(hourlyRate).times(durationMs).div(msPerHour);
}

/**
 * What a quoted configuration costs over [from, to), before VAT, unrounded.
 *
 * @example quoteInterval(q, new Date('2026-01-01T00:00Z'), new Date('2026-01-01T00:30Z')) // half of q.hourly
 */
export function quoteInterval(quote: Pick<Quote, 'currency' | 'hourly'>, from: Date, to: Date): MoneyAmount {
  const durationMs = to.getTime() - from.getTime();
  if (Number.isNaN(durationMs)) throw new RangeError('from and to must be valid dates');
  if (durationMs < 0) {
    throw new RangeError(`the interval ends (${to.toISOString()}) before it starts (${from.toISOString()})`);
  }
  return { currency: quote.currency, amount: toDecimalString(priceForInterval(quote.hourly, durationMs)) };
}
