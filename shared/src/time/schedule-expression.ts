/**
 * AWS schedule expressions (EventBridge Scheduler), for the local scheduler and for Lambda code
 * that needs to know when a schedule fires (catching up on the runs since the last one).
 * - `rate(5 minutes)`: every interval, counted from when the schedule starts (as AWS does): the
 *   first run is one interval after the start, none before it;
 * - `cron(min hour day-of-month month day-of-week year)`: evaluated by croner in UTC, with AWS's
 *   Quartz-style weekdays (1 = SUN) and `?` for "no specific value".
 */
import { Cron } from 'croner';

export type ParsedSchedule = { kind: 'rate'; intervalMs: number } | { kind: 'cron'; cron: Cron };

const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The most runs runsBetween returns; a longer span is a mistake (or wants paging), not a list. */
export const MAX_RUNS_BETWEEN = 100_000;

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
        // UTC as a fixed offset: the same times as `timezone: 'UTC'`, without Intl on every step
        // (about ten times faster, which runsBetween over long spans notices).
        utcOffset: 0,
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
    const periods = Math.max(1, Math.floor(elapsed / schedule.intervalMs) + 1);
    return new Date(startedAt.getTime() + periods * schedule.intervalMs);
  }
  return schedule.cron.nextRun(after) ?? undefined;
}

/**
 * Every due time t with `fromExclusive < t <= toInclusive`, oldest first: the runs nextRun would
 * name one after another. A rate schedule counts from `startedAt` (by default `fromExclusive`,
 * so runs fall one interval apart from there). More than MAX_RUNS_BETWEEN runs is a RangeError.
 */
export function runsBetween(
  schedule: ParsedSchedule,
  fromExclusive: Date,
  toInclusive: Date,
  startedAt: Date = fromExclusive,
): Date[] {
  const end = toInclusive.getTime();
  if (Number.isNaN(fromExclusive.getTime()) || Number.isNaN(end) || Number.isNaN(startedAt.getTime())) {
    throw new RangeError('runsBetween needs valid dates');
  }
  const tooMany = () =>
    new RangeError(
      `More than ${MAX_RUNS_BETWEEN} runs between ${fromExclusive.toISOString()} and ${toInclusive.toISOString()}`,
    );
  let next = nextRun(schedule, fromExclusive, startedAt);
  if (!next || next.getTime() > end) return [];
  if (schedule.kind === 'rate') {
    const first = next.getTime();
    const count = Math.floor((end - first) / schedule.intervalMs) + 1;
    if (count > MAX_RUNS_BETWEEN) throw tooMany();
    return Array.from({ length: count }, (_, index) => new Date(first + index * schedule.intervalMs));
  }
  const runs: Date[] = [];
  while (next && next.getTime() <= end) {
    if (runs.length === MAX_RUNS_BETWEEN) throw tooMany();
    runs.push(next);
    next = nextRun(schedule, next, startedAt);
  }
  return runs;
}
