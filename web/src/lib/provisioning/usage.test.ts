import { describe, expect, it } from 'vitest';
import type { UsageSeries } from '#lib/api/usage.ts';
import { chartColumns, rangeQuery, usageRows, usageSummary, valueMeaning } from './usage.ts';

const point = (
  at: string,
  values: { avg: number; min?: number; max?: number; sum?: number; count?: number },
) => ({
  at,
  count: values.count ?? 1,
  min: values.min ?? values.avg,
  max: values.max ?? values.avg,
  avg: values.avg,
  sum: values.sum ?? values.avg,
  last: values.avg,
});

const cpu: UsageSeries = {
  subscriptionId: 'sub_01jd2x0000000000000000000z',
  metric: 'cpu_pct',
  kind: 'gauge',
  unit: '%',
  step: '5m',
  from: '2026-12-04T10:00:00.000Z',
  to: '2026-12-04T10:20:00.000Z',
  points: [
    point('2026-12-04T10:00:00.000Z', { avg: 20, min: 10, max: 30, count: 2 }),
    point('2026-12-04T10:15:00.000Z', { avg: 80, min: 70, max: 97.5, count: 2 }),
  ],
};

describe('the usage chart', () => {
  it('has a column per step of the range, with gaps where nothing was reported', () => {
    const [xs, ys] = chartColumns(cpu);
    expect(xs).toEqual(
      [0, 5, 10, 15].map((minutes) => Date.parse('2026-12-04T10:00:00Z') / 1000 + minutes * 60),
    );
    expect(ys).toEqual([20, null, null, 80]);
  });

  it('charts a counter’s amount per step', () => {
    const egress: UsageSeries = {
      ...cpu,
      metric: 'egress_gb',
      kind: 'counter',
      unit: 'GB',
      step: '1h',
      from: '2026-12-04T10:00:00.000Z',
      to: '2026-12-04T12:00:00.000Z',
      points: [point('2026-12-04T11:00:00.000Z', { avg: 0.5, sum: 1.5, count: 3 })],
    };
    expect(chartColumns(egress)[1]).toEqual([null, 1.5]);
    expect(valueMeaning(egress)).toBe('Total per hour');
    expect(usageSummary(egress, '7d', 'en')).toBe(
      'Outbound traffic, last 7 days: 1.5 GB in total, at most 1.5 GB in an hour.',
    );
  });

  it('sums a gauge up in one sentence, and says when there is nothing', () => {
    expect(valueMeaning(cpu)).toBe('Average per 5 minutes');
    expect(usageSummary(cpu, '24h', 'en')).toBe(
      'CPU use, last 24 hours: average 50 %, lowest 10 %, highest 97.5 %, latest 80 %.',
    );
    expect(usageSummary({ ...cpu, points: [] }, '6h', 'en')).toBe(
      'CPU use, last 6 hours: nothing reported yet.',
    );
  });

  it('lists the points newest first for the table', () => {
    expect(usageRows(cpu, 'en').map((row) => [row.at, row.value, row.high])).toEqual([
      ['2026-12-04T10:15:00.000Z', '80 %', '97.5 %'],
      ['2026-12-04T10:00:00.000Z', '20 %', '30 %'],
    ]);
  });

  it('asks for a range ending at the store’s time', () => {
    const now = Date.parse('2026-12-04T12:00:00.000Z');
    expect(rangeQuery('6h', now)).toEqual({ from: '2026-12-04T06:00:00.000Z', step: '5m' });
    expect(rangeQuery('7d', now)).toEqual({ from: '2026-11-27T12:00:00.000Z', step: '1h' });
  });
});
