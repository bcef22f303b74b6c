/**
 * A service's usage chart in plain functions: the metrics in words, the ranges a buyer picks, the
 * columns the chart draws (every step of the range, gaps as null so the line breaks where the
 * platform sent nothing) and the text alternative (a summary sentence and table rows).
 * Measurements are plain numbers (not money).
 */
import type { MetricName, UsagePoint, UsageSeries } from '#lib/api/usage.ts';

export const METRIC_WORDS: Record<MetricName, { label: string; unit: string; what: string }> = {
  cpu_pct: { label: 'CPU', unit: '%', what: 'CPU use' },
  memory_pct: { label: 'Memory', unit: '%', what: 'Memory use' },
  storage_used_gb: { label: 'Storage used', unit: 'GB', what: 'Storage in use' },
  egress_gb: { label: 'Outbound traffic', unit: 'GB', what: 'Outbound traffic' },
};

export const USAGE_RANGES = {
  '6h': { label: 'Last 6 hours', hours: 6, step: '5m' },
  '24h': { label: 'Last 24 hours', hours: 24, step: '5m' },
  '7d': { label: 'Last 7 days', hours: 168, step: '1h' },
} as const;
export type UsageRange = keyof typeof USAGE_RANGES;
export const RANGE_KEYS = Object.keys(USAGE_RANGES) as UsageRange[];

const STEP_MS = { '5m': 300_000, '1h': 3_600_000 } as const;

/** The query of a range ending at the store's `now` (`to` is left to the server: its clock). */
export function rangeQuery(range: UsageRange, now: number): { from: string; step: '5m' | '1h' } {
  const { hours, step } = USAGE_RANGES[range];
  return { from: new Date(now - hours * 3_600_000).toISOString(), step };
}

/** What one point is worth on the chart: a gauge's average level, a counter's amount in the step. */
export function pointValue(point: UsagePoint, kind: UsageSeries['kind']): number {
  return kind === 'counter' ? point.sum : point.avg;
}

/** "Average per 5 minutes", "Total per hour". */
export function valueMeaning(series: Pick<UsageSeries, 'kind' | 'step'>): string {
  const step = series.step === '1h' ? 'hour' : '5 minutes';
  return series.kind === 'counter' ? `Total per ${step}` : `Average per ${step}`;
}

/**
 * The chart's columns: x in epoch seconds for every step from `from` to `to`, y the value or null
 * where the step has no record (uPlot breaks the line there).
 */
export function chartColumns(series: UsageSeries): [number[], (number | null)[]] {
  const step = STEP_MS[series.step];
  const byStart = new Map(series.points.map((point) => [Date.parse(point.at), point]));
  const from = Math.floor(Date.parse(series.from) / step) * step;
  const to = Date.parse(series.to);
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (let at = from; at < to; at += step) {
    const point = byStart.get(at);
    xs.push(at / 1000);
    ys.push(point ? pointValue(point, series.kind) : null);
  }
  return [xs, ys];
}

/** A measurement with its unit: "32.5 %", "1.25 GB". */
export function formatMeasure(value: number, unit: string, locale?: string): string {
  const text = new Intl.NumberFormat(locale, {
    maximumFractionDigits: value !== 0 && Math.abs(value) < 1 ? 3 : 1,
  }).format(value);
  return `${text} ${unit}`;
}

/**
 * The chart as one sentence (its text alternative): "CPU use, last 24 hours: average 32.1 %,
 * lowest 20 %, highest 97.5 %, latest 30 %." — or that nothing was reported.
 */
export function usageSummary(series: UsageSeries, range: UsageRange, locale?: string): string {
  const words = METRIC_WORDS[series.metric];
  const period = USAGE_RANGES[range].label.toLowerCase();
  if (series.points.length === 0) return `${words.what}, ${period}: nothing reported yet.`;
  const unit = series.unit;
  const measure = (value: number) => formatMeasure(value, unit, locale);
  if (series.kind === 'counter') {
    const total = series.points.reduce((sum, point) => sum + point.sum, 0);
    const peak = Math.max(...series.points.map((point) => point.sum));
    const step = series.step === '1h' ? 'an hour' : '5 minutes';
    return `${words.what}, ${period}: ${measure(total)} in total, at most ${measure(peak)} in ${step}.`;
  }
  const count = series.points.reduce((sum, point) => sum + point.count, 0);
  const average = series.points.reduce((sum, point) => sum + point.avg * point.count, 0) / count;
  const lowest = Math.min(...series.points.map((point) => point.min));
  const highest = Math.max(...series.points.map((point) => point.max));
  const latest = series.points.at(-1)?.last ?? 0;
  return `${words.what}, ${period}: average ${measure(average)}, lowest ${measure(lowest)}, highest ${measure(highest)}, latest ${measure(latest)}.`;
}

export type UsageRow = { at: string; value: string; low: string; high: string };

/** The table behind the chart, newest first (what a screen reader or a curious buyer reads). */
export function usageRows(series: UsageSeries, locale?: string): UsageRow[] {
  const measure = (value: number) => formatMeasure(value, series.unit, locale);
  return [...series.points].reverse().map((point) => ({
    at: point.at,
    value: measure(pointValue(point, series.kind)),
    low: measure(point.min),
    high: measure(point.max),
  }));
}
