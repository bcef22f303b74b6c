/**
 * Metered usage of a service, priced for posting: the settled hours' counter totals from the
 * usage context's samples (exact decimals of the values as reported), times the service's unit
 * prices (shared/src/billing/metering.ts holds the rules).
 */
import { type Metering, type MeterPosting, postMeteredHour, settledHours } from '#shared/billing/metering.ts';
import { type Decimal, decimal } from '#shared/catalog/money.ts';
import { type CounterMetric, stepStart } from '#shared/usage/metrics.ts';
import { meteringEndedAt, postingExponent, type StoredSubscription } from '../subscriptions/subscription.ts';
import type { UsageStore } from '../usage/usage-store.ts';

const HOUR_MS = 3_600_000;

export type MeteredHours = { metering: Metering; postings: MeterPosting[]; hours: number };

/** The service's unit prices in what its postings are counted in (credits or money). */
function unitPrices(service: StoredSubscription): Record<string, string> {
  const prices: Record<string, string> = {};
  for (const [metric, price] of Object.entries(service.price.meters ?? {})) {
    const unit = service.paymentMethod === 'credits' ? price.credits : price.unitPrice;
    if (unit !== undefined) prices[metric] = unit;
  }
  return prices;
}

/**
 * The service's hours of metered usage settled by `until` (at most `max`), priced; undefined when
 * none is due. Reads one query per priced metric.
 */
export async function settledMeteredHours(
  usage: Pick<UsageStore, 'buckets'>,
  tenantId: string,
  service: StoredSubscription,
  until: string,
  max: number,
): Promise<MeteredHours | undefined> {
  if (!service.metering) return undefined;
  const hours = settledHours(service.metering, until, meteringEndedAt(service), max);
  const first = hours[0];
  if (first === undefined) return undefined;
  const prices = unitPrices(service);
  const from = Date.parse(first);
  const to = Date.parse(hours.at(-1) as string) + HOUR_MS;
  // By hour, by metric: Σ of the values as reported, in decimal (a float sum would drift).
  const totals = new Map<number, Map<string, Decimal>>();
  for (const metric of Object.keys(prices) as CounterMetric[]) {
    for (const bucket of await usage.buckets(tenantId, service.id, metric, from, to)) {
      for (const sample of bucket.samples) {
        const hour = stepStart(sample.at, HOUR_MS);
        const byMetric = totals.get(hour) ?? new Map<string, Decimal>();
        byMetric.set(metric, (byMetric.get(metric) ?? decimal(0)).plus(decimal(String(sample.value))));
        totals.set(hour, byMetric);
      }
    }
  }
  let metering = service.metering;
  const postings: MeterPosting[] = [];
  const exponent = postingExponent(service);
  for (const hour of hours) {
    const posted = postMeteredHour(
      metering,
      hour,
      totals.get(Date.parse(hour)) ?? new Map(),
      prices,
      exponent,
    );
    metering = posted.metering;
    postings.push(...posted.postings);
  }
  return { metering, postings, hours: hours.length };
}
