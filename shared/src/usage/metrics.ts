/**
 * Usage metrics: what a provisioning platform may report, and the pure arithmetic of the
 * 5-minute aggregates (bucketing, summaries, merging them into coarser steps). No I/O here.
 */
import * as z from 'zod';

/**
 * A gauge is a level read at a time (averaged, max'd); a counter is an amount since the
 * previous record (summed, never negative).
 */
export type MetricKind = 'gauge' | 'counter';
export type MetricDefinition = { kind: MetricKind; unit: string; description: string };

export const METRICS = {
  cpu_pct: { kind: 'gauge', unit: '%', description: 'CPU use, 0–100 per service' },
  memory_pct: { kind: 'gauge', unit: '%', description: 'Memory use, 0–100 per service' },
  storage_used_gb: { kind: 'gauge', unit: 'GB', description: 'Storage in use' },
  egress_gb: { kind: 'counter', unit: 'GB', description: 'Outbound traffic since the previous record' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [MetricName, ...MetricName[]];
export const MetricName = z.enum(METRIC_NAMES).meta({ id: 'UsageMetric' });

export const metricOf = (name: MetricName): MetricDefinition => METRICS[name];

/** The counters: what a product may price per unit used (billing/metering.ts posts them hourly). */
type CounterName = {
  [K in MetricName]: (typeof METRICS)[K]['kind'] extends 'counter' ? K : never;
}[MetricName];
export const COUNTER_METRICS = METRIC_NAMES.filter((name) => METRICS[name].kind === 'counter') as [
  CounterName,
  ...CounterName[],
];
export const CounterMetric = z.enum(COUNTER_METRICS).meta({ id: 'CounterMetric' });
export type CounterMetric = z.infer<typeof CounterMetric>;

/** Aggregates are kept per 5 minutes; reads may merge them into hours. */
export const BUCKET_MS = 5 * 60_000;
export const STEPS = { '5m': BUCKET_MS, '1h': 3_600_000 } as const;
export type Step = keyof typeof STEPS;

/** How long aggregates are kept (the table's TTL removes them after). */
export const DEFAULT_RETENTION_DAYS = 90;
/** Platforms' clocks drift: a record may be this far ahead of ours. */
export const MAX_FUTURE_MS = 5 * 60_000;

/** Start of the step (5 minutes, an hour) that holds `epochMs`, in epoch ms (UTC). */
export const stepStart = (epochMs: number, stepMs: number = BUCKET_MS): number =>
  Math.floor(epochMs / stepMs) * stepMs;

/** One recorded value: when it was measured (epoch ms) and what. */
export type Sample = { at: number; value: number };

/** What a stretch of samples adds up to. `last` is the value measured latest. */
export type Summary = { count: number; sum: number; min: number; max: number; last: number; lastAt: number };

/** Summary of samples; undefined when there are none. */
export function summarize(samples: Iterable<Sample>): Summary | undefined {
  let summary: Summary | undefined;
  for (const { at, value } of samples) {
    if (!summary) {
      summary = { count: 1, sum: value, min: value, max: value, last: value, lastAt: at };
      continue;
    }
    summary.count += 1;
    summary.sum += value;
    if (value < summary.min) summary.min = value;
    if (value > summary.max) summary.max = value;
    if (at >= summary.lastAt) {
      summary.last = value;
      summary.lastAt = at;
    }
  }
  return summary;
}

/** Two summaries as one (the hour of its twelve 5-minute buckets). */
export function merge(a: Summary | undefined, b: Summary | undefined): Summary | undefined {
  if (!a) return b;
  if (!b) return a;
  const later = b.lastAt >= a.lastAt ? b : a;
  return {
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    last: later.last,
    lastAt: later.lastAt,
  };
}

/** Measurements, not money: plain numbers, rounded to 6 decimals on the way out. */
export const round6 = (value: number): number => Math.round(value * 1e6) / 1e6 + 0;

export type UsagePoint = {
  at: string;
  count: number;
  min: number;
  max: number;
  avg: number;
  sum: number;
  last: number;
};

export function pointOf(at: number, summary: Summary): UsagePoint {
  return {
    at: new Date(at).toISOString(),
    count: summary.count,
    min: round6(summary.min),
    max: round6(summary.max),
    avg: round6(summary.sum / summary.count),
    sum: round6(summary.sum),
    last: round6(summary.last),
  };
}

/**
 * A series: 5-minute buckets merged into steps of `stepMs`, oldest first; empty steps omitted.
 *
 * @example series([{ start: t0, summary }], STEPS['1h'])
 */
export function series(buckets: Array<{ start: number; summary: Summary }>, stepMs: number): UsagePoint[] {
  const steps = new Map<number, Summary>();
  for (const { start, summary } of buckets) {
    const at = stepStart(start, stepMs);
    steps.set(at, merge(steps.get(at), summary) as Summary);
  }
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([at, summary]) => pointOf(at, summary));
}
