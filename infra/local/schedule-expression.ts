/**
 * AWS schedule expressions (EventBridge Scheduler), translated for the local scheduler.
 * - `rate(5 minutes)`: every interval, counted from when the schedule starts (as AWS does);
 * - `cron(min hour day-of-month month day-of-week year)`: evaluated by croner in UTC, with AWS's
 *   Quartz-style weekdays (1 = SUN) and `?` for "no specific value".
 */
import { Cron } from 'croner';

export type ParsedSchedule = { kind: 'rate'; intervalMs: number } | { kind: 'cron'; cron: Cron };

const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expression: string): ParsedSchedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] as string;
    const singular = unit.replace(/s$/, '');
    if (value < 1) throw new Error(`Invalid schedule '${expression}': the value must be at least 1`);
    if ((value === 1) !== (unit === singular)) {
      throw new Error(
        `Invalid schedule '${expression}': AWS wants 'rate(1 ${singular})' or 'rate(N ${singular}s)'`,
      );
    }
    return { kind: 'rate', intervalMs: value * (unitMs[singular] as number) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) {
    const fields = (cron[1] as string).trim().split(/\s+/);
    if (fields.length !== 6) {
      throw new Error(
        `Invalid schedule '${expression}': AWS cron has 6 fields (minutes hours day-of-month month day-of-week year)`,
      );
    }
    if (fields[2] !== '?' && fields[4] !== '?') {
      throw new Error(`Invalid schedule '${expression}': one of day-of-month or day-of-week must be '?'`);
    }
    const pattern = `0 ${fields.join(' ')}`;
    return {
      kind: 'cron',
      cron: new Cron(pattern, {
        mode: '7-part',
        alternativeWeekdays: true,
        sloppyRanges: true,
        timezone: 'UTC',
        paused: true,
      }),
    };
  }
  throw new Error(`Invalid schedule '${expression}': use rate(...) or cron(...)`);
}

/** The first due time strictly after `after` (for a rate schedule, counted from `startedAt`). */
export function nextRun(schedule: ParsedSchedule, after: Date, startedAt: Date): Date | undefined {
  if (schedule.kind === 'rate') {
    const elapsed = after.getTime() - startedAt.getTime();
    const periods = Math.floor(elapsed / schedule.intervalMs) + 1;
    return new Date(startedAt.getTime() + periods * schedule.intervalMs);
  }
  return schedule.cron.nextRun(after) ?? undefined;
}
