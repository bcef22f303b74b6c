import { describe, expect, it } from 'vitest';
import { IngestUsageRequest } from './api.ts';
import { BUCKET_MS, merge, round6, type Sample, STEPS, series, stepStart, summarize } from './metrics.ts';

const T0 = Date.parse('2026-12-04T20:35:00.000Z');
const at = (minutes: number, seconds = 0) => T0 + minutes * 60_000 + seconds * 1000;

describe('buckets and summaries', () => {
  it('puts a time in the 5-minute bucket and the hour that hold it', () => {
    expect(new Date(stepStart(Date.parse('2026-12-04T20:39:59.999Z'))).toISOString()).toBe(
      '2026-12-04T20:35:00.000Z',
    );
    expect(new Date(stepStart(Date.parse('2026-12-04T20:40:00.000Z'))).toISOString()).toBe(
      '2026-12-04T20:40:00.000Z',
    );
    expect(new Date(stepStart(at(10), STEPS['1h'])).toISOString()).toBe('2026-12-04T20:00:00.000Z');
  });

  it('summarizes count, sum, min, max and the value measured latest (not the last sent)', () => {
    const samples: Sample[] = [
      { at: at(0, 30), value: 10 },
      { at: at(4, 50), value: 40 },
      { at: at(2), value: -5 },
    ];
    expect(summarize(samples)).toEqual({ count: 3, sum: 45, min: -5, max: 40, last: 40, lastAt: at(4, 50) });
    expect(summarize([])).toBeUndefined();
  });

  it('merges summaries as if their samples were one', () => {
    const a = summarize([
      { at: at(0), value: 1 },
      { at: at(1), value: 3 },
    ]);
    const b = summarize([{ at: at(6), value: 2 }]);
    expect(merge(a, b)).toEqual(
      summarize([
        { at: at(0), value: 1 },
        { at: at(1), value: 3 },
        { at: at(6), value: 2 },
      ]),
    );
    expect(merge(undefined, b)).toBe(b);
  });

  it('builds 5-minute and hourly series, oldest first, leaving empty steps out', () => {
    const buckets = [
      { start: T0 + 2 * BUCKET_MS, summary: summarize([{ at: at(10, 1), value: 30 }]) },
      {
        start: T0,
        summary: summarize([
          { at: at(0, 1), value: 10 },
          { at: at(1), value: 20 },
        ]),
      },
      { start: T0 + 6 * BUCKET_MS, summary: summarize([{ at: at(30), value: 60 }]) },
    ].map((bucket) => ({
      start: bucket.start,
      summary: bucket.summary as NonNullable<typeof bucket.summary>,
    }));
    expect(series(buckets, STEPS['5m']).map((point) => [point.at, point.count, point.avg])).toEqual([
      ['2026-12-04T20:35:00.000Z', 2, 15],
      ['2026-12-04T20:45:00.000Z', 1, 30],
      ['2026-12-04T21:05:00.000Z', 1, 60],
    ]);
    expect(series(buckets, STEPS['1h'])).toEqual([
      { at: '2026-12-04T20:00:00.000Z', count: 3, min: 10, max: 30, avg: 20, sum: 60, last: 30 },
      { at: '2026-12-04T21:00:00.000Z', count: 1, min: 60, max: 60, avg: 60, sum: 60, last: 60 },
    ]);
  });

  it('rounds measurements to 6 decimals', () => {
    expect(round6(0.1 + 0.2)).toBe(0.3);
    expect(round6(1 / 3)).toBe(0.333333);
    expect(Object.is(round6(-0.0000001), 0)).toBe(true);
  });
});

describe('usage records', () => {
  const record = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    specversion: '1.0',
    id: 'u-1',
    source: 'platform.example',
    type: 'nimbus.usage.v1',
    subject: 'sub_01jd2x0000000000000000000a',
    time: '2026-12-04T20:35:00Z',
    data,
    ...extra,
  });
  const issues = (body: unknown) =>
    IngestUsageRequest.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

  it('takes known metrics with finite values', () => {
    expect(
      issues({
        events: [record({ metric: 'cpu_pct', value: 73.5 }), record({ metric: 'egress_gb', value: 0 })],
      }),
    ).toEqual([]);
  });

  it('names the record of an unknown metric, a negative counter, a missing field', () => {
    expect(
      issues({
        events: [
          record({ metric: 'cpu_pct', value: 1 }),
          record({ metric: 'gpu_pct', value: 1 }),
          record({ metric: 'egress_gb', value: -0.5 }),
          record({ metric: 'cpu_pct', value: '7' }),
          record({ metric: 'cpu_pct', value: 1 }, { subject: 'ord_1' }),
        ],
      }),
    ).toEqual(['events.1.data.metric', 'events.2.data.value', 'events.3.data.value', 'events.4.subject']);
    // A gauge may be negative (a temperature, a delta): only counters are checked.
    expect(issues({ events: [record({ metric: 'cpu_pct', value: -1 })] })).toEqual([]);
  });

  it('takes 1 to 500 records a call', () => {
    expect(issues({ events: [] })).toEqual(['events']);
    expect(
      issues({ events: Array.from({ length: 501 }, () => record({ metric: 'cpu_pct', value: 1 })) }),
    ).toEqual(['events']);
    expect(
      issues({ events: Array.from({ length: 500 }, () => record({ metric: 'cpu_pct', value: 1 })) }),
    ).toEqual([]);
  });
});
