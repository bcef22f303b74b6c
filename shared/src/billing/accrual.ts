/**
 * Hourly billing of one service, pure. Cost accrues exactly, to the millisecond, on [from, to)
 * stretches at the rate in force (active, stopped, resized…); it is posted once per clock hour
 * (UTC). A rate change in the middle of an hour splits that hour.
 *
 * Rounding never drifts: what is posted for a period is round(everything accrued so far) minus
 * round(everything accrued before it), so the posted amounts of a service always add up to its
 * total accrued cost rounded once. Totals are kept as rate × milliseconds, which is exact (rates
 * have a fixed number of decimals); the division by 3,600,000 happens only when rounding.
 */
import { type Decimal, decimal, PricingDecimal, ZERO } from '../catalog/money.ts';

export const MS_PER_HOUR = 3_600_000;

/** A stretch at an earlier rate, not posted yet. */
export type RateSegment = { from: string; to: string; rate: string };

export type Accrual = {
  /** Everything before this instant is posted. An hour boundary, except at the very start. */
  billedThrough: string;
  /** Per hour, in the amount's unit (credits or the currency), from `rateSince` on. */
  rate: string;
  rateSince: string;
  /** Stretches since `billedThrough` at rates that have changed since. */
  closed: RateSegment[];
  /** Σ rate × milliseconds of everything posted so far. */
  postedRateMs: string;
};

/** One posting: the amount of [start, end) in whole minor units. */
export type Posting = {
  accrual: Accrual;
  start: string;
  end: string;
  /** The clock hour the posting belongs to: part of its idempotency key. */
  hour: string;
  amount: number;
};

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (at: string): number => {
  const value = Date.parse(at);
  if (Number.isNaN(value)) throw new RangeError(`'${at}' is not a time`);
  return value;
};

/** The clock hour an instant falls in. @example hourOf('2026-01-01T10:17:00.000Z') // '2026-01-01T10:00:00.000Z' */
export function hourOf(at: string): string {
  const value = ms(at);
  return iso(value - (((value % MS_PER_HOUR) + MS_PER_HOUR) % MS_PER_HOUR));
}

/** The next hour boundary strictly after `at`. */
export function nextHour(at: string): string {
  return iso(ms(hourOf(at)) + MS_PER_HOUR);
}

/** Billing starts at `at` at the given rate. */
export function startAccrual(at: string, rate: string): Accrual {
  return { billedThrough: at, rate: normalised(rate), rateSince: at, closed: [], postedRateMs: '0' };
}

const normalised = (rate: string): string => {
  const value = decimal(rate);
  if (value.isNegative()) throw new RangeError('a rate is never negative');
  return value.isZero() ? '0' : value.toString();
};

/** Nothing accrues and nothing is waiting to be posted. */
export function isIdle(accrual: Accrual): boolean {
  return accrual.rate === '0' && accrual.closed.length === 0;
}

/**
 * The rate changes at `at` (start, stop, resize, suspend, terminate → 0). `at` may not be before
 * what is already posted or the last change.
 */
export function changeRate(accrual: Accrual, at: string, rate: string): Accrual {
  const next = normalised(rate);
  const atMs = ms(at);
  if (atMs < ms(accrual.billedThrough) || atMs < ms(accrual.rateSince)) {
    throw new RangeError(`a rate change at ${at} comes before billed or changed time`);
  }
  if (next === accrual.rate) return accrual;
  if (isIdle(accrual)) {
    // Nothing accrued while idle: skip the empty hours instead of posting zeros for them.
    const skipTo = hourOf(at);
    const billedThrough = ms(skipTo) > ms(accrual.billedThrough) ? skipTo : accrual.billedThrough;
    return { ...accrual, billedThrough, rate: next, rateSince: at };
  }
  const from = ms(accrual.rateSince) > ms(accrual.billedThrough) ? accrual.rateSince : accrual.billedThrough;
  const closed =
    accrual.rate !== '0' && atMs > ms(from)
      ? [...accrual.closed, { from, to: at, rate: accrual.rate }]
      : accrual.closed;
  return { ...accrual, rate: next, rateSince: at, closed };
}

/** When the next posting is due (the end of the open period), or undefined while idle. */
export function dueAt(accrual: Accrual): string | undefined {
  return isIdle(accrual) ? undefined : nextHour(accrual.billedThrough);
}

const overlapRateMs = (from: number, to: number, rate: string, start: number, end: number): Decimal => {
  const overlap = Math.min(to, end) - Math.max(from, start);
  return overlap > 0 ? decimal(rate).times(overlap) : ZERO;
};

/**
 * Posts the open period [billedThrough, next hour). Call only once the period has ended.
 * `exponent`: decimals of the amount's minor unit (2 for credits and cents).
 */
export function postPeriod(accrual: Accrual, exponent: number): Posting {
  const start = accrual.billedThrough;
  const end = nextHour(start);
  const startMs = ms(start);
  const endMs = ms(end);
  let rateMs = ZERO;
  for (const segment of accrual.closed) {
    rateMs = rateMs.plus(overlapRateMs(ms(segment.from), ms(segment.to), segment.rate, startMs, endMs));
  }
  if (accrual.rate !== '0') {
    rateMs = rateMs.plus(overlapRateMs(ms(accrual.rateSince), endMs, accrual.rate, startMs, endMs));
  }
  const before = decimal(accrual.postedRateMs);
  const after = before.plus(rateMs);
  const amount = minorUnits(after, exponent) - minorUnits(before, exponent);
  const closed = accrual.closed
    .filter((segment) => ms(segment.to) > endMs)
    .map((segment) => (ms(segment.from) < endMs ? { ...segment, from: end } : segment));
  return {
    accrual: {
      ...accrual,
      billedThrough: end,
      closed,
      postedRateMs: after.isZero() ? '0' : after.toString(),
    },
    start,
    end,
    hour: hourOf(start),
    amount,
  };
}

/** Σ rate × ms as whole minor units, half up. */
export function minorUnits(rateMs: Decimal, exponent: number): number {
  return rateMs
    .div(MS_PER_HOUR)
    .times(10 ** exponent)
    .toDecimalPlaces(0, PricingDecimal.ROUND_HALF_UP)
    .toNumber();
}
