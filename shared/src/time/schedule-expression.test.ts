import { describe, expect, it } from 'vitest';
import { MAX_RUNS_BETWEEN, nextRun, parseScheduleExpression, runsBetween } from './schedule-expression.ts';

const start = new Date('2026-11-23T10:00:30Z');
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('schedule expressions', () => {
  it('runs rate schedules every interval from the start', () => {
    const every5 = parseScheduleExpression('rate(5 minutes)');
    expect(nextRun(every5, start, start)?.toISOString()).toBe('2026-11-23T10:05:30.000Z');
    expect(nextRun(every5, new Date('2026-11-23T10:05:30Z'), start)?.toISOString()).toBe(
      '2026-11-23T10:10:30.000Z',
    );
    expect(nextRun(parseScheduleExpression('rate(1 hour)'), start, start)?.toISOString()).toBe(
      '2026-11-23T11:00:30.000Z',
    );
  });

  it('never runs a rate schedule before its start: the first run is one interval after it', () => {
    const hourly = parseScheduleExpression('rate(1 hour)');
    expect(nextRun(hourly, new Date('2026-11-23T07:15:00Z'), start)?.toISOString()).toBe(
      '2026-11-23T11:00:30.000Z',
    );
  });

  it('translates AWS cron: top of every hour', () => {
    const hourly = parseScheduleExpression('cron(0 * * * ? *)');
    expect(nextRun(hourly, start, start)?.toISOString()).toBe('2026-11-23T11:00:00.000Z');
  });

  it('uses AWS weekdays (1 = Sunday, MON-FRI names) and UTC', () => {
    // 2026-11-23 is a Monday.
    const sundays = parseScheduleExpression('cron(30 2 ? * 1 *)');
    expect(nextRun(sundays, start, start)?.toISOString()).toBe('2026-11-29T02:30:00.000Z');
    const weekdays = parseScheduleExpression('cron(15 9 ? * MON-FRI *)');
    expect(nextRun(weekdays, start, start)?.toISOString()).toBe('2026-11-24T09:15:00.000Z');
    const firstOfMonth = parseScheduleExpression('cron(0 0 1 * ? *)');
    expect(nextRun(firstOfMonth, start, start)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('rejects what AWS rejects, saying why', () => {
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow(/rate\(1 minute\)/);
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/rate\(N minutes\)/);
    expect(() => parseScheduleExpression('cron(0 * * * *)')).toThrow(/6 fields/);
    expect(() => parseScheduleExpression('cron(0 * * * 1 *)')).toThrow(/'\?'/);
    expect(() => parseScheduleExpression('every hour')).toThrow(/rate\(\.\.\.\) or cron/);
  });
});

describe('runsBetween', () => {
  const hourlyCron = parseScheduleExpression('cron(0 * * * ? *)');
  const day = (from: string, to: string) => [new Date(from), new Date(to)] as const;

  it('lists an hourly cron over a day: 24 runs, the start excluded and the end included', () => {
    const runs = runsBetween(hourlyCron, ...day('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z'));
    expect(runs).toHaveLength(24);
    expect(runs[0]?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(runs[23]?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(runs.every((run, index) => index === 0 || run > (runs[index - 1] as Date))).toBe(true);
  });

  it('lists 720 hourly runs over 30 days', () => {
    expect(runsBetween(hourlyCron, ...day('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'))).toHaveLength(720);
  });

  it('treats the bounds as exclusive / inclusive, to the millisecond', () => {
    const [from, to] = day('2026-11-23T00:59:59.999Z', '2026-11-23T02:59:59.999Z');
    expect(iso(runsBetween(hourlyCron, from, to))).toEqual([
      '2026-11-23T01:00:00.000Z',
      '2026-11-23T02:00:00.000Z',
    ]);
    expect(iso(runsBetween(hourlyCron, ...day('2026-11-23T01:00:00Z', '2026-11-23T01:00:00Z')))).toEqual([]);
    expect(iso(runsBetween(hourlyCron, ...day('2026-11-23T01:00:00Z', '2026-11-23T01:59:59.999Z')))).toEqual(
      [],
    );
    expect(iso(runsBetween(hourlyCron, ...day('2026-11-23T03:00:00Z', '2026-11-23T01:00:00Z')))).toEqual([]);
  });

  it('counts a rate schedule from its start, whatever the window', () => {
    const hourly = parseScheduleExpression('rate(1 hour)');
    const [from, to] = day('2026-11-23T11:30:00Z', '2026-11-23T14:00:30Z');
    expect(iso(runsBetween(hourly, from, to, start))).toEqual([
      '2026-11-23T12:00:30.000Z',
      '2026-11-23T13:00:30.000Z',
      '2026-11-23T14:00:30.000Z',
    ]);
    // A window opening before the start holds no runs before it, and not the start itself.
    expect(iso(runsBetween(hourly, new Date('2026-11-23T08:00:00Z'), to, start))).toEqual([
      '2026-11-23T11:00:30.000Z',
      '2026-11-23T12:00:30.000Z',
      '2026-11-23T13:00:30.000Z',
      '2026-11-23T14:00:30.000Z',
    ]);
  });

  it('counts a rate schedule from the window start when no start is given', () => {
    const every15 = parseScheduleExpression('rate(15 minutes)');
    const [from, to] = day('2026-11-23T10:07:00Z', '2026-11-23T10:52:00Z');
    expect(iso(runsBetween(every15, from, to))).toEqual([
      '2026-11-23T10:22:00.000Z',
      '2026-11-23T10:37:00.000Z',
      '2026-11-23T10:52:00.000Z',
    ]);
  });

  it('agrees with nextRun, run after run', () => {
    for (const expression of ['rate(7 minutes)', 'cron(15 9 ? * MON-FRI *)', 'cron(0/20 * * * ? *)']) {
      const schedule = parseScheduleExpression(expression);
      const [from, to] = day('2026-11-23T10:00:30Z', '2026-11-30T10:00:30Z');
      const expected: Date[] = [];
      for (
        let next = nextRun(schedule, from, start);
        next && next <= to;
        next = nextRun(schedule, next, start)
      ) {
        expected.push(next);
      }
      expect(iso(runsBetween(schedule, from, to, start)), expression).toEqual(iso(expected));
    }
  });

  it('stops where a cron schedule ends (its year field)', () => {
    const lastYear = parseScheduleExpression('cron(0 0 1 * ? 2026)');
    expect(iso(runsBetween(lastYear, ...day('2026-10-15T00:00:00Z', '2027-06-01T00:00:00Z')))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });

  it(`refuses more than ${MAX_RUNS_BETWEEN} runs with a RangeError`, () => {
    const everyMinute = parseScheduleExpression('rate(1 minute)');
    const from = new Date('2026-01-01T00:00:00Z');
    const at = (minutes: number) => new Date(from.getTime() + minutes * 60_000);
    expect(runsBetween(everyMinute, from, at(MAX_RUNS_BETWEEN))).toHaveLength(MAX_RUNS_BETWEEN);
    expect(() => runsBetween(everyMinute, from, at(MAX_RUNS_BETWEEN + 1))).toThrow(RangeError);
    const everyMinuteCron = parseScheduleExpression('cron(* * * * ? *)');
    expect(() => runsBetween(everyMinuteCron, from, at(MAX_RUNS_BETWEEN + 1))).toThrow(RangeError);
  });

  it('refuses invalid dates', () => {
    expect(() => runsBetween(hourlyCron, new Date('nope'), new Date())).toThrow(RangeError);
  });
});
