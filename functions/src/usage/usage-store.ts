/**
 * Where usage lives: per (service, 5-minute bucket), the samples of all its metrics, each keyed by
 * metric and record identity, so a record sent twice is stored once by construction. Capacity
 * triggers' windows are computed here from the stored samples, over exact times (billing sums its
 * hours in decimal: functions/src/billing/metered-usage.ts).
 */
import { type MetricName, round6, type Sample, stepStart, summarize } from '#shared/usage/metrics.ts';

/**
 * The samples of one record batch that fall into one service's bucket: by metric, each keyed by
 * record identity. One write, whatever the number of metrics.
 */
export type BucketWrite = {
  subscriptionId: string;
  /** Bucket start, epoch ms. */
  start: number;
  samples: Map<MetricName, Map<string, Sample>>;
  /** When the table's TTL removes the bucket, epoch seconds. */
  expiresAt: number;
};

export type StoredBucket = { start: number; samples: Sample[] };

export interface UsageStore {
  /**
   * Adds the samples to their bucket (created when missing); a sample already there (same metric
   * and key) keeps its first value. Resolves to how many of the samples were there already.
   */
  record(tenantId: string, write: BucketWrite): Promise<{ duplicates: number }>;
  /** One metric's samples in the service's buckets whose start is in [from, to) (epoch ms), oldest first. */
  buckets(
    tenantId: string,
    subscriptionId: string,
    metric: MetricName,
    from: number,
    to: number,
  ): Promise<StoredBucket[]>;
  /** Which of these services exist in the tenant, with their customer. Unknown ids are absent. */
  services(tenantId: string, subscriptionIds: string[]): Promise<Map<string, { customerId: string }>>;
}

async function samplesIn(
  store: Pick<UsageStore, 'buckets'>,
  tenantId: string,
  subscriptionId: string,
  metric: MetricName,
  from: number,
  to: number,
): Promise<Sample[]> {
  const buckets = await store.buckets(tenantId, subscriptionId, metric, stepStart(from), to);
  return buckets.flatMap((bucket) => bucket.samples.filter((sample) => sample.at >= from && sample.at < to));
}

export type WindowAggregate = {
  from: string;
  to: string;
  count: number;
  avg: number | null;
  max: number | null;
};

/**
 * The last `minutes` before `now` (a capacity trigger's window): average and maximum of the
 * samples measured in it. Reads only the buckets the window touches.
 *
 * @example await windowAggregate(store, 'ten_1', 'sub_…', 'cpu_pct', 15, new Date())
 */
export async function windowAggregate(
  store: Pick<UsageStore, 'buckets'>,
  tenantId: string,
  subscriptionId: string,
  metric: MetricName,
  minutes: number,
  now: Date,
): Promise<WindowAggregate> {
  // [now − minutes, now]: a sample measured right now counts.
  const from = now.getTime() - minutes * 60_000;
  const to = now.getTime() + 1;
  const summary = summarize(await samplesIn(store, tenantId, subscriptionId, metric, from, to));
  return {
    from: new Date(from).toISOString(),
    to: now.toISOString(),
    count: summary?.count ?? 0,
    avg: summary ? round6(summary.sum / summary.count) : null,
    max: summary ? round6(summary.max) : null,
  };
}
