/**
 * Metered usage of one service, pure: counters a product prices per unit (egress per GB) are
 * posted per clock hour (UTC), one settle window after the hour ends, because platforms report
 * late, in batches and with retries. Records for an hour that arrive after it settled are stored
 * and charted, not billed (ingestUsage counts them as `late`).
 *
 * Rounding never drifts, as for the hourly rate (accrual.ts): per metric, what is posted for an
 * hour is round(everything used so far × price) minus round(everything before it), so sub-cent
 * hours add up instead of vanishing.
 */
import { type Decimal, decimal, PricingDecimal } from '../catalog/money.ts';
import { hourOf, MS_PER_HOUR } from './accrual.ts';

/** How long after an hour ends its usage is posted. */
export const METER_SETTLE_MS = MS_PER_HOUR;

export type Metering = {
  /** Usage before this hour boundary is posted. */
  through: string;
  /** By metric: Σ quantity × unit price posted so far, exact, in the posting unit (credits or money). */
  posted: Record<string, string>;
};

/** One metric's usage in one hour, priced. */
export type MeterPosting = {
  metric: string;
  /** The hour the usage was measured in: part of the posting's idempotency key. */
  hour: string;
  /** When the hour settled (its end + the settle window): the posting's time. */
  settledAt: string;
  quantity: string;
  /** Whole minor units (of credits or the currency). */
  amount: number;
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** Metering starts with the hour the service is created in. */
export function startMetering(at: string): Metering {
  return { through: hourOf(at), posted: {} };
}

/** When an hour's usage may be posted. @example settlesAt('2026-01-01T10:00:00.000Z') // '…T12:00:00.000Z' */
export function settlesAt(hour: string): string {
  return iso(Date.parse(hour) + MS_PER_HOUR + METER_SETTLE_MS);
}

/**
 * When the next hour is due, or undefined once metering is over: a service that ended (`endedAt`,
 * terminated or failed) is metered up to the hour it ended in.
 */
export function meteringDueAt(metering: Metering | undefined, endedAt?: string): string | undefined {
  if (!metering) return undefined;
  if (endedAt !== undefined && metering.through >= endedAt) return undefined;
  return settlesAt(metering.through);
}

/** The hours settled by `until`, oldest first, at most `max`. */
export function settledHours(
  metering: Metering,
  until: string,
  endedAt: string | undefined,
  max: number,
): string[] {
  const hours: string[] = [];
  for (
    let hour = metering.through;
    hours.length < max && settlesAt(hour) <= until && (endedAt === undefined || hour < endedAt);
    hour = iso(Date.parse(hour) + MS_PER_HOUR)
  ) {
    hours.push(hour);
  }
  return hours;
}

const minor = (value: Decimal, exponent: number): number =>
  value
    .times(10 ** exponent)
    .toDecimalPlaces(0, PricingDecimal.ROUND_HALF_UP)
    .toNumber();

/**
 * Posts one settled hour (which must be `metering.through`): each priced metric's quantity in it
 * times its unit price (in the posting unit). Metrics used 0 post nothing.
 */
export function postMeteredHour(
  metering: Metering,
  hour: string,
  quantities: ReadonlyMap<string, Decimal>,
  unitPrices: Readonly<Record<string, string>>,
  exponent: number,
): { metering: Metering; postings: MeterPosting[] } {
  if (hour !== metering.through)
    throw new RangeError(`hour ${hour} is not the next one (${metering.through})`);
  const posted = { ...metering.posted };
  const postings: MeterPosting[] = [];
  for (const [metric, unitPrice] of Object.entries(unitPrices).sort(([a], [b]) => a.localeCompare(b))) {
    const quantity = quantities.get(metric);
    if (!quantity || quantity.isZero()) continue;
    const before = decimal(posted[metric] ?? '0');
    const after = before.plus(quantity.times(unitPrice));
    posted[metric] = after.toString();
    postings.push({
      metric,
      hour,
      settledAt: settlesAt(hour),
      quantity: quantity.toString(),
      amount: minor(after, exponent) - minor(before, exponent),
    });
  }
  return { metering: { through: iso(Date.parse(hour) + MS_PER_HOUR), posted }, postings };
}
