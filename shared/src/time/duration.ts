/**
 * ISO 8601 durations in days and smaller (`P30D`, `PT1H30M`, `P1W`): exact milliseconds. Months
 * and years have no fixed length, so they are refused rather than guessed.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** @example durationMs('P1DT2H') // 93_600_000; durationMs('P1M') // undefined */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const total =
    Number(weeks ?? 0) * 604_800_000 +
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000);
  return Number.isSafeInteger(total) ? total : undefined;
}
