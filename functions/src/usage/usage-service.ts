/**
 * Usage of services: platforms report batches of measurements (`ingestUsage`), buyers and staff
 * read them as series (`getUsageSeries`). A batch is checked whole and accepted or refused whole;
 * accepted batches wait in a queue and are recorded together (`recordUsage`) as samples of
 * 5-minute buckets keyed by their identity, so a retry counts once.
 */
import { createHash } from 'node:crypto';
import { hourOf } from '#shared/billing/accrual.ts';
import { settlesAt } from '#shared/billing/metering.ts';
import { ValidationError } from '#shared/errors.ts';
import type { EventEnvelope, EventPublisher } from '#shared/events/envelope.ts';
import type { FieldIssue } from '#shared/http/error-body.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import {
  type IngestUsageResult,
  MAX_SERIES_DAYS,
  MAX_SERIES_POINTS,
  type UsageEvent,
  type UsageSeries,
} from '#shared/usage/api.ts';
import {
  BUCKET_MS,
  MAX_FUTURE_MS,
  type MetricName,
  metricOf,
  STEPS,
  type Step,
  series,
  stepStart,
  summarize,
} from '#shared/usage/metrics.ts';
import type { TenantClock } from '../billing/tenant-clock.ts';
import { epochSeconds } from '../data/keys.ts';
import { logger } from '../observability/logger.ts';
import { visibleSubscription } from '../subscriptions/subscription-service.ts';
import type { SubscriptionStore } from '../subscriptions/subscription-store.ts';
import type { UsageBatch, UsageQueue } from './usage-batch.ts';
import type { BucketWrite, UsageStore } from './usage-store.ts';

export const USAGE_EVENT_SOURCE = 'nimbus.usage';
const DAY_MS = 86_400_000;

export type UsageDeps = {
  usage: UsageStore;
  /** To check a reader may see the service. */
  subscriptions: SubscriptionStore;
  events: EventPublisher;
  /** Where accepted batches wait for recordUsage. */
  queue: UsageQueue;
  /** Ids only; times come from `time`. */
  clock: Clock;
  /** The store's time (a sandbox store's test clock), as billing and triggers see it. */
  time: TenantClock;
  retentionDays: number;
  /** Bucket writes in flight per call. */
  writeConcurrency: number;
};

/**
 * A record's identity within its bucket: CloudEvents make `id` unique per `source`. Hashed to a
 * fixed 72 bits so that bucket items grow by the same few bytes whatever ids a platform uses.
 */
export function recordKey(source: string, id: string): string {
  return createHash('sha256').update(`${source}\n${id}`).digest('base64url').slice(0, 12);
}

function invalid(code: string, issues: FieldIssue[]): ValidationError {
  const summary = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return new ValidationError(code, `Invalid usage records: ${summary}${more}`, issues);
}

/** Runs `work` on every item, `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/**
 * Accepts a batch of usage (already parsed: shape, known metric, counters ≥ 0). Checks time and
 * services for every record first and accepts nothing when one is wrong; then queues the batch
 * for {@link recordUsage} (one message). The samples are in the charts a moment later.
 */
export async function ingestUsage(
  deps: UsageDeps,
  tenant: Tenant,
  principal: Principal,
  records: UsageEvent[],
): Promise<IngestUsageResult> {
  const now = (await deps.time.now(tenant)).getTime();
  const oldest = now - deps.retentionDays * DAY_MS;
  const issues: FieldIssue[] = [];
  const times = records.map((record, index) => {
    const at = Date.parse(record.time);
    if (at > now + MAX_FUTURE_MS) {
      issues.push({
        path: `body.events[${index}].time`,
        message: `is more than 5 minutes ahead of the store’s clock (${new Date(now).toISOString()})`,
        code: 'time_in_future',
      });
    } else if (at < oldest) {
      issues.push({
        path: `body.events[${index}].time`,
        message: `is older than the ${deps.retentionDays}-day retention`,
        code: 'time_too_old',
      });
    }
    return at;
  });
  const services = await deps.usage.services(
    tenant.id,
    records.map((record) => record.subject),
  );
  // A customer's key (should one ever carry usage:write) reports on its own services only.
  const scope = customerOf(principal);
  records.forEach((record, index) => {
    const service = services.get(record.subject);
    if (!service || (scope !== undefined && service.customerId !== scope)) {
      issues.push({
        path: `body.events[${index}].subject`,
        message: `there is no service ${record.subject} in this store`,
        code: 'unknown_service',
      });
    }
  });
  if (issues.length > 0) throw invalid('invalid_usage', issues);

  // Counters billed per hour settle an hour after the hour (shared/src/billing/metering.ts).
  const nowIso = new Date(now).toISOString();
  const late = records.filter(
    (record, index) =>
      metricOf(record.data.metric).kind === 'counter' &&
      settlesAt(hourOf(new Date(times[index] as number).toISOString())) <= nowIso,
  ).length;
  await deps.queue.send({
    tenantId: tenant.id,
    acceptedAt: nowIso,
    samples: records.map((record, index) => ({
      subscriptionId: record.subject,
      metric: record.data.metric,
      key: recordKey(record.source, record.id),
      at: times[index] as number,
      value: record.data.value,
    })),
  });
  return { accepted: records.length, late };
}

/**
 * Records queued batches (the `usage-records` consumer; any number, of any stores, in any order,
 * delivered any number of times): one write per (service, 5-minute bucket) across all of them —
 * a sample already stored (same metric and record key) keeps its first value — then one
 * `usage.recorded` event per store naming every service touched.
 */
export async function recordUsage(
  deps: Pick<UsageDeps, 'usage' | 'events' | 'clock' | 'retentionDays' | 'writeConcurrency'>,
  batches: UsageBatch[],
): Promise<{ samples: number; duplicates: number }> {
  const expiresAfter = deps.retentionDays * DAY_MS;
  let samples = 0;
  let duplicates = 0;
  const byTenant = Map.groupBy(batches, (batch) => batch.tenantId);
  for (const [tenantId, ofTenant] of byTenant) {
    const buckets = new Map<string, BucketWrite>();
    const touched = new Map<string, { metrics: Set<MetricName>; from: number; to: number }>();
    for (const sample of ofTenant.flatMap((batch) => batch.samples)) {
      samples += 1;
      const start = stepStart(sample.at);
      // One write per (service, bucket): all the metrics and moments the batches hold for it.
      const bucketKey = `${sample.subscriptionId}|${start}`;
      let bucket = buckets.get(bucketKey);
      if (!bucket) {
        bucket = {
          subscriptionId: sample.subscriptionId,
          start,
          samples: new Map(),
          expiresAt: epochSeconds(new Date(start + BUCKET_MS + expiresAfter)),
        };
        buckets.set(bucketKey, bucket);
      }
      let byKey = bucket.samples.get(sample.metric);
      if (!byKey) {
        byKey = new Map();
        bucket.samples.set(sample.metric, byKey);
      }
      // The same record twice in these batches is one sample (the first).
      if (byKey.has(sample.key)) duplicates += 1;
      else byKey.set(sample.key, { at: sample.at, value: sample.value });
      const service = touched.get(sample.subscriptionId);
      if (!service)
        touched.set(sample.subscriptionId, {
          metrics: new Set([sample.metric]),
          from: sample.at,
          to: sample.at,
        });
      else {
        service.metrics.add(sample.metric);
        service.from = Math.min(service.from, sample.at);
        service.to = Math.max(service.to, sample.at);
      }
    }
    await pool([...buckets.values()], deps.writeConcurrency, async (bucket) => {
      try {
        // Awaited first: `duplicates += await …` would read the total before the wait and lose updates.
        const written = await deps.usage.record(tenantId, bucket);
        duplicates += written.duplicates;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // A bucket at DynamoDB's item limit (far more than one record a second): retrying cannot
        // help, and the rest of the batches must not wait on it.
        logger.error('usage samples dropped', { tenantId, subscriptionId: bucket.subscriptionId, error });
      }
    });

    // One event per store, naming every service touched: the triggers context evaluates only
    // those with an enabled trigger (one event and one lookup, not one per service).
    const recorded = [...touched].map(([subscriptionId, service]) => ({
      subscriptionId,
      metrics: [...service.metrics].sort(),
      from: new Date(service.from).toISOString(),
      to: new Date(service.to).toISOString(),
    }));
    await publish(deps, [
      {
        id: newId('evt', deps.clock),
        type: 'usage.recorded',
        time: deps.clock.now().toISOString(),
        tenant: tenantId,
        subject: recorded.length === 1 ? (recorded[0] as { subscriptionId: string }).subscriptionId : 'usage',
        schemaVersion: 1,
        data: { services: recorded },
      },
    ]);
  }
  return { samples, duplicates };
}

async function publish(deps: Pick<UsageDeps, 'events'>, events: EventEnvelope[]): Promise<void> {
  try {
    await deps.events.publish(USAGE_EVENT_SOURCE, events);
  } catch (error) {
    // The samples are stored: a lost event delays a trigger until its schedule, it loses no usage.
    logger.error('usage events not published', error as Error);
  }
}

export type SeriesQuery = {
  metric: MetricName;
  from?: string | undefined;
  to?: string | undefined;
  step: Step;
};

/** One metric of a service as points of `step`, for charts. Default: the last 24 hours. */
export async function getUsageSeries(
  deps: UsageDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  query: SeriesQuery,
): Promise<UsageSeries> {
  // The subscriptions context's rule: another customer's service does not exist for a buyer.
  await visibleSubscription(deps, tenant, principal, subscriptionId);
  const stepMs = STEPS[query.step];
  const to = query.to ? Date.parse(query.to) : (await deps.time.now(tenant)).getTime();
  const from = stepStart(query.from ? Date.parse(query.from) : to - DAY_MS, stepMs);
  if (to <= from) {
    throw invalid('invalid_range', [
      { path: 'query.to', message: 'must be after `from`', code: 'invalid_range' },
    ]);
  }
  const points = Math.ceil((to - from) / stepMs);
  if (points > MAX_SERIES_POINTS) {
    throw invalid('too_many_points', [
      {
        path: 'query.from',
        message: `the range holds ${points} steps of ${query.step}; at most ${MAX_SERIES_POINTS} per call`,
        code: 'too_many_points',
      },
    ]);
  }
  if (to - from > MAX_SERIES_DAYS * DAY_MS) {
    throw invalid('range_too_long', [
      { path: 'query.from', message: `at most ${MAX_SERIES_DAYS} days per call`, code: 'range_too_long' },
    ]);
  }
  const buckets = await deps.usage.buckets(tenant.id, subscriptionId, query.metric, from, to);
  const summaries = buckets.flatMap((bucket) => {
    const summary = summarize(bucket.samples);
    return summary ? [{ start: bucket.start, summary }] : [];
  });
  const { kind, unit } = metricOf(query.metric);
  return {
    subscriptionId,
    metric: query.metric,
    kind,
    unit,
    step: query.step,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    points: series(summaries, stepMs),
  };
}
