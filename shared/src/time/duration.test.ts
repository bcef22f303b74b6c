import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs } from './duration.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('durationMs', () => {
  it('reads days, weeks, hours, minutes and seconds as exact milliseconds', () => {
    expect(durationMs('P30D')).toBe(30 * DAY);
    expect(durationMs('PT1H30M')).toBe(HOUR + 30 * MINUTE);
    expect(durationMs('P1W')).toBe(7 * DAY);
    expect(durationMs('PT0.5S')).toBe(500);
    expect(durationMs('PT1M')).toBe(MINUTE); // M after T is minutes, not months
    expect(durationMs('P1DT2H')).toBe(DAY + 2 * HOUR);
    expect(durationMs('P2DT3H4M5.678S')).toBe(2 * DAY + 3 * HOUR + 4 * MINUTE + 5678);
    expect(durationMs('PT0S')).toBe(0);
  });

  it('refuses months and years, which have no fixed length', () => {
    expect(durationMs('P1M')).toBeUndefined();
    expect(durationMs('P1Y')).toBeUndefined();
    expect(durationMs('P1Y2D')).toBeUndefined();
  });

  it('refuses a designator with nothing after it', () => {
    expect(durationMs('P')).toBeUndefined();
    expect(durationMs('PT')).toBeUndefined();
    expect(durationMs('P1DT')).toBeUndefined();
  });

  it('refuses garbage, signs, lower case and sub-millisecond seconds', () => {
    for (const text of [
      '',
      '30D',
      'P30',
      'p30d',
      'P30d',
      '-P1D',
      'P-1D',
      'P1.5D',
      'PT1H30',
      'PT0.0005S',
      ' P1D',
    ]) {
      expect(durationMs(text), text).toBeUndefined();
    }
  });

  it('refuses durations too long to be a safe number of milliseconds', () => {
    expect(durationMs('P99999999999999D')).toBeUndefined();
  });

  it('gives the same length in days, hours, minutes or seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (days) => {
        const ms = durationMs(`P${days}D`);
        expect(ms).toBe(days * DAY);
        expect(durationMs(`PT${days * 24}H`)).toBe(ms);
        expect(durationMs(`PT${days * 1440}M`)).toBe(ms);
        expect(durationMs(`PT${days * 86_400}S`)).toBe(ms);
      }),
    );
  });
});
