/**
 * When a webhook that failed is tried again: exponential backoff with jitter, until 72 hours after
 * the event. Pure; the delays come from the environment so tests can shrink them.
 */

export type RetryPolicy = {
  /** Delay after the 1st, 2nd, … failed attempt; the last one repeats. */
  delaysMs: readonly number[];
  /** Retrying stops this long after the event (or after a replay). */
  giveUpAfterMs: number;
  /** ± this share of each delay is random, so a platform coming back is not hit by all at once. */
  jitter: number;
};

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** 5 s, 30 s, 2 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, then every 8 h: ~15 attempts in 72 h. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [
    5 * SECOND,
    30 * SECOND,
    2 * MINUTE,
    5 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    4 * HOUR,
    8 * HOUR,
  ],
  giveUpAfterMs: 72 * HOUR,
  jitter: 0.2,
};

/**
 * The policy of this deployment: WEBHOOK_RETRY_DELAYS_MS (comma-separated) and
 * WEBHOOK_GIVE_UP_AFTER_MS override the defaults (tests use seconds, not hours).
 */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const delays = env.WEBHOOK_RETRY_DELAYS_MS?.split(',').map(Number);
  const giveUp = env.WEBHOOK_GIVE_UP_AFTER_MS ? Number(env.WEBHOOK_GIVE_UP_AFTER_MS) : undefined;
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(delays && delays.length > 0 && delays.every((ms) => Number.isFinite(ms) && ms >= 0)
      ? { delaysMs: delays }
      : {}),
    ...(giveUp !== undefined && Number.isFinite(giveUp) && giveUp > 0 ? { giveUpAfterMs: giveUp } : {}),
  };
}

/**
 * When to try again after `failedAttempts` failures, or undefined when that would be past
 * `giveUpAt` (the delivery gives up).
 *
 * @example nextAttemptAt(DEFAULT_RETRY_POLICY, 1, now, giveUpAt, () => 0.5) // now + 5 s
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  failedAttempts: number,
  now: Date,
  giveUpAt: string,
  random: () => number = Math.random,
): Date | undefined {
  const { delaysMs } = policy;
  const base = delaysMs[Math.min(failedAttempts, delaysMs.length) - 1] ?? 0;
  const delay = Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
  const at = new Date(now.getTime() + delay);
  return at.getTime() <= Date.parse(giveUpAt) ? at : undefined;
}

/** SQS delays a message by at most 15 minutes: longer waits take several hops. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** The DelaySeconds of a message meant to arrive at `at` (0 when due). */
export function queueDelaySeconds(at: Date | string, now: Date): number {
  const ms = (typeof at === 'string' ? Date.parse(at) : at.getTime()) - now.getTime();
  return Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(ms / 1000)));
}
