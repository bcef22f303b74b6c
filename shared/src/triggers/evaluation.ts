/**
 * The decision of a capacity trigger, pure: given the rule (the policy with the buyer's tuning),
 * what the trigger remembers, and the metric's value over the window now, what happens — nothing,
 * a notification, a scale step, or a skip worth recording — and what to remember next. Storage,
 * prices and the resize itself are the caller's (functions/src/triggers/evaluation.ts).
 *
 * Rules, in order:
 * - the condition holds when the window's value compares to the threshold as the operator says;
 *   no samples in the window is "does not hold";
 * - it must hold for `durationMinutes` (from the first evaluation that saw it) before acting;
 * - after a firing, nothing fires for `cooldownMinutes`; with a hysteresis, nothing fires until
 *   the value has also cleared the threshold by that margin (re-armed);
 * - a skip (already at the bound, service not active, spending cap, a failed resize) is recorded
 *   at most once per cooldown, so a trigger stuck at its bound does not fill the log.
 */
import { decimal } from '../catalog/money.ts';
import type { ScaleAction, TriggerOperator, TriggerState } from './trigger.ts';

/** What evaluation applies: a policy with the buyer's tuning already merged in. */
export type TriggerRule = {
  operator: TriggerOperator;
  threshold: number;
  hysteresis?: number | undefined;
  durationMinutes: number;
  cooldownMinutes: number;
  action: ScaleAction | { kind: 'notify' };
};

export type TriggerInput = {
  /** The window's aggregate; null without samples. */
  observed: number | null;
  now: Date;
  /** Only active services are acted on. */
  serviceActive: boolean;
  /** Scale rules: the dimension's value now. */
  current?: number | undefined;
};

export type Decision =
  /** Nothing to do; `state` may still differ from before (duration started, re-armed). */
  | { kind: 'none'; state: TriggerState }
  | { kind: 'notify'; state: TriggerState }
  | { kind: 'skip'; outcome: 'skipped_bound' | 'skipped_state'; reason: string; state: TriggerState }
  | {
      kind: 'scale';
      from: number;
      to: number;
      /** What to remember once the resize is made. */
      state: TriggerState;
      /**
       * When the resize cannot be made (spending cap, a failure): what to remember instead, and
       * whether to record it (once per cooldown).
       */
      instead: { state: TriggerState; record: boolean };
    };

export const INITIAL_TRIGGER_STATE: TriggerState = { armed: true };

const MINUTE_MS = 60_000;

export function conditionHolds(value: number, operator: TriggerOperator, threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Whether `value` is clear of the threshold by the hysteresis margin (on the other side of it). */
export function clearedBy(value: number, operator: TriggerOperator, threshold: number, margin: number) {
  return operator === '>' || operator === '>=' ? value < threshold - margin : value > threshold + margin;
}

const elapsed = (since: string | undefined, now: Date): number =>
  since === undefined ? Number.POSITIVE_INFINITY : now.getTime() - Date.parse(since);

/**
 * The dimension's next value: one step in the rule's direction, clamped to [min, max]. Undefined
 * when that does not move it in the rule's direction (at or beyond the bound already).
 */
export function nextValue(action: ScaleAction, current: number): number | undefined {
  const moved = (
    action.direction === 'up' ? decimal(current).plus(action.step) : decimal(current).minus(action.step)
  ).toNumber();
  const clamped = Math.min(Math.max(moved, action.min), action.max);
  if (action.direction === 'up' ? clamped > current : clamped < current) return clamped;
  return undefined;
}

/**
 * What the trigger does now.
 *
 * @example decide(rule, { armed: true }, { observed: 93.2, now, serviceActive: true, current: 2 })
 *   // { kind: 'scale', from: 2, to: 3, state: { armed: false, lastFiredAt: … }, instead: … }
 */
export function decide(rule: TriggerRule, previous: TriggerState, input: TriggerInput): Decision {
  const { observed, now } = input;
  const at = now.toISOString();
  const state: TriggerState = { ...previous };
  // Re-arming comes first: a value that clears the margin and later crosses again may fire.
  if (
    !state.armed &&
    observed !== null &&
    clearedBy(observed, rule.operator, rule.threshold, rule.hysteresis ?? 0)
  ) {
    state.armed = true;
  }
  if (observed === null || !conditionHolds(observed, rule.operator, rule.threshold)) {
    delete state.conditionSince;
    return { kind: 'none', state };
  }
  state.conditionSince ??= at;
  const quiet = { kind: 'none', state } as const;
  if (!state.armed) return quiet;
  if (elapsed(state.conditionSince, now) < rule.durationMinutes * MINUTE_MS) return quiet;
  const cooldownMs = rule.cooldownMinutes * MINUTE_MS;
  if (elapsed(state.lastFiredAt, now) < cooldownMs) return quiet;

  const mayRecordSkip = elapsed(state.lastSkippedAt, now) >= cooldownMs;
  const skipped: TriggerState = { ...state, lastSkippedAt: at };
  const fired: TriggerState = { ...state, lastFiredAt: at };
  delete fired.conditionSince;
  // Without a hysteresis it stays armed: the cooldown alone spaces the firings.
  fired.armed = rule.hysteresis === undefined;

  if (!input.serviceActive) {
    return mayRecordSkip
      ? { kind: 'skip', outcome: 'skipped_state', reason: 'The service is not active', state: skipped }
      : quiet;
  }
  if (rule.action.kind === 'notify') return { kind: 'notify', state: fired };
  const current = input.current ?? 0;
  const to = nextValue(rule.action, current);
  if (to === undefined) {
    return mayRecordSkip
      ? {
          kind: 'skip',
          outcome: 'skipped_bound',
          reason: `${rule.action.dimension} is at ${current}, the ${rule.action.direction === 'up' ? 'maximum' : 'minimum'} allowed`,
          state: skipped,
        }
      : quiet;
  }
  return {
    kind: 'scale',
    from: current,
    to,
    state: fired,
    instead: mayRecordSkip ? { state: skipped, record: true } : { state, record: false },
  };
}

/**
 * Whether a resize from `currentHourly` to `newHourly` breaks the buyer's cap. Only a price that
 * goes up is held to it: scaling down a service that already costs more than the cap is fine.
 */
export function exceedsSpendCap(currentHourly: string, newHourly: string, cap: string | undefined): boolean {
  if (cap === undefined) return false;
  const next = decimal(newHourly);
  return next.greaterThan(cap) && next.greaterThan(currentHourly);
}
