import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  queueDelaySeconds,
  retryPolicyFromEnv,
} from './retry-policy.ts';

const now = new Date('2026-12-04T12:00:00Z');
const inHours = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();

describe('webhook retry policy', () => {
  it('backs off exponentially: 5 s, 30 s, 2 min … then every 8 h', () => {
    const middle = () => 0.5;
    const delays = [1, 2, 3, 9, 10, 11, 30].map(
      (failures) =>
        ((nextAttemptAt(DEFAULT_RETRY_POLICY, failures, now, inHours(1000), middle) as Date).getTime() -
          now.getTime()) /
        1000,
    );
    expect(delays).toEqual([5, 30, 120, 4 * 3600, 8 * 3600, 8 * 3600, 8 * 3600]);
  });

  it('jitters each delay within ±20 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (n, r) => {
        const at = nextAttemptAt(DEFAULT_RETRY_POLICY, n, now, inHours(1000), () => r) as Date;
        const base = DEFAULT_RETRY_POLICY.delaysMs[Math.min(n, 10) - 1] as number;
        const delay = at.getTime() - now.getTime();
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.2));
      }),
    );
  });

  it('gives up when the next attempt would be after 72 hours', () => {
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, 10, now, inHours(7), () => 0.5)).toBeUndefined();
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, 10, now, inHours(9), () => 0.5)).toBeDefined();
    // A whole run from the event: about 15 attempts fit in 72 hours, none after.
    let at = now;
    let attempts = 1;
    const giveUpAt = inHours(72);
    for (;;) {
      const next = nextAttemptAt(DEFAULT_RETRY_POLICY, attempts, at, giveUpAt);
      if (!next) break;
      expect(next.getTime()).toBeLessThanOrEqual(Date.parse(giveUpAt));
      at = next;
      attempts++;
    }
    expect(attempts).toBeGreaterThanOrEqual(13);
    expect(attempts).toBeLessThanOrEqual(18);
  });

  it('reads shorter delays from the environment, ignoring nonsense', () => {
    expect(
      retryPolicyFromEnv({ WEBHOOK_RETRY_DELAYS_MS: '100,200', WEBHOOK_GIVE_UP_AFTER_MS: '3000' }),
    ).toMatchObject({ delaysMs: [100, 200], giveUpAfterMs: 3000 });
    expect(retryPolicyFromEnv({ WEBHOOK_RETRY_DELAYS_MS: 'soon' })).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('splits long waits into SQS delays of at most 15 minutes', () => {
    expect(queueDelaySeconds(new Date(now.getTime() + 4_200), now)).toBe(5);
    expect(queueDelaySeconds(inHours(4), now)).toBe(900);
    expect(queueDelaySeconds(inHours(-1), now)).toBe(0);
  });
});
