import { describe, expect, it } from 'vitest';
import { nextRun, parseScheduleExpression } from './schedule-expression.ts';

const start = new Date('2026-11-23T10:00:30Z');

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
