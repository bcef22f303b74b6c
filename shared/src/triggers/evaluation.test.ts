import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../catalog/money.ts';
import {
  type Decision,
  decide,
  exceedsSpendCap,
  INITIAL_TRIGGER_STATE,
  nextValue,
  type TriggerRule,
} from './evaluation.ts';
import type { ScaleAction, TriggerState } from './trigger.ts';

const T0 = Date.parse('2026-12-04T20:00:00.000Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);

const scaleUp: ScaleAction = { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 4 };
const rule = (overrides: Partial<TriggerRule> = {}): TriggerRule => ({
  operator: '>',
  threshold: 80,
  hysteresis: 10,
  durationMinutes: 0,
  cooldownMinutes: 30,
  action: scaleUp,
  ...overrides,
});
const input = (observed: number | null, at: number, current = 2, serviceActive = true) => ({
  observed,
  now: minutes(at),
  serviceActive,
  current,
});

describe('a capacity trigger’s decision', () => {
  it('scales one step when the condition holds, then waits for the cooldown and the hysteresis', () => {
    const first = decide(rule(), INITIAL_TRIGGER_STATE, input(93, 0));
    expect(first).toMatchObject({ kind: 'scale', from: 2, to: 3 });
    const state = first.state;
    expect(state).toEqual({ armed: false, lastFiredAt: minutes(0).toISOString() });
    // Still high, cooldown over, but not re-armed: nothing.
    expect(decide(rule(), state, input(95, 45, 3)).kind).toBe('none');
    // Down to 75: not below 80 − 10, still not re-armed.
    const notYet = decide(rule(), state, input(75, 50, 3));
    expect(notYet.state.armed).toBe(false);
    const rearmed = decide(rule(), notYet.state, input(65, 55, 3));
    expect(rearmed).toMatchObject({ kind: 'none', state: { armed: true } });
    expect(decide(rule(), rearmed.state, input(90, 60, 3))).toMatchObject({ kind: 'scale', from: 3, to: 4 });
  });

  it('without a hysteresis fires again once the cooldown is over while the condition holds', () => {
    const noHysteresis = rule({ hysteresis: undefined });
    const first = decide(noHysteresis, INITIAL_TRIGGER_STATE, input(93, 0));
    expect(first.state.armed).toBe(true);
    expect(decide(noHysteresis, first.state, input(93, 29, 3)).kind).toBe('none');
    expect(decide(noHysteresis, first.state, input(93, 30, 3))).toMatchObject({ kind: 'scale', to: 4 });
  });

  it('waits for the condition to hold for the duration; a dip starts it over; no samples is no condition', () => {
    const patient = rule({ durationMinutes: 10 });
    const started = decide(patient, INITIAL_TRIGGER_STATE, input(90, 0));
    expect(started).toEqual({
      kind: 'none',
      state: { armed: true, conditionSince: minutes(0).toISOString() },
    });
    expect(decide(patient, started.state, input(90, 9)).kind).toBe('none');
    const dipped = decide(patient, started.state, input(70, 9));
    expect(dipped.state.conditionSince).toBeUndefined();
    expect(decide(patient, started.state, input(null, 9)).state.conditionSince).toBeUndefined();
    expect(decide(patient, started.state, input(90, 10)).kind).toBe('scale');
  });

  it('records a trigger stuck at its bound or on a stopped service once per cooldown', () => {
    const atMax = decide(rule(), INITIAL_TRIGGER_STATE, input(99, 0, 4));
    expect(atMax).toMatchObject({ kind: 'skip', outcome: 'skipped_bound' });
    expect(decide(rule(), atMax.state, input(99, 5, 4)).kind).toBe('none');
    expect(decide(rule(), atMax.state, input(99, 30, 4)).kind).toBe('skip');
    // Once the bound is raised it fires at once: skips do not start the firing cooldown.
    const raised = rule({ action: { ...scaleUp, max: 8 } });
    expect(decide(raised, atMax.state, input(99, 5, 4))).toMatchObject({ kind: 'scale', to: 5 });

    const stopped = decide(rule(), INITIAL_TRIGGER_STATE, input(99, 0, 2, false));
    expect(stopped).toMatchObject({ kind: 'skip', outcome: 'skipped_state' });
    expect(decide(rule(), stopped.state, input(99, 10, 2, false)).kind).toBe('none');
  });

  it('notifies without touching the service', () => {
    const notify = rule({ action: { kind: 'notify' }, operator: '<', threshold: 5 });
    expect(decide(notify, INITIAL_TRIGGER_STATE, input(2, 0)).kind).toBe('notify');
    expect(decide(notify, INITIAL_TRIGGER_STATE, input(6, 0)).kind).toBe('none');
  });

  it('steps within [min, max] and only in its direction', () => {
    expect(nextValue(scaleUp, 2)).toBe(3);
    expect(nextValue({ ...scaleUp, step: 2 }, 3)).toBe(4);
    expect(nextValue(scaleUp, 4)).toBeUndefined();
    // A service above the policy's maximum is not scaled "up" to it.
    expect(nextValue(scaleUp, 8)).toBeUndefined();
    const down = { ...scaleUp, direction: 'down' as const, step: 0.5, min: 0.5, max: 4 };
    expect(nextValue(down, 1.5)).toBe(1);
    expect(nextValue(down, 0.5)).toBeUndefined();
    expect(nextValue({ ...scaleUp, step: 0.1, min: 0, max: 1 }, 0.2)).toBe(0.3);
  });

  it('holds only price rises to the spending cap', () => {
    expect(exceedsSpendCap('0.10', '0.20', '0.15')).toBe(true);
    expect(exceedsSpendCap('0.10', '0.15', '0.15')).toBe(false);
    expect(exceedsSpendCap('0.30', '0.20', '0.15')).toBe(false);
    expect(exceedsSpendCap('0.10', '0.20', undefined)).toBe(false);
  });
});

/** A run of evaluations, as the service layer carries them out: resize unless the cap says no. */
type Observation = { gap: number; value: number | null; active: boolean };
type Logged = { index: number; at: number; kind: string; from?: number; to?: number };

const priceOf = (value: number) => decimal('0.05').plus(decimal('0.013').times(value)).toString();

function run(
  rules: TriggerRule,
  start: number,
  cap: string | undefined,
  observations: Observation[],
): { log: Logged[]; times: number[]; values: number[] } {
  let state: TriggerState = INITIAL_TRIGGER_STATE;
  let current = start;
  let now = T0;
  const log: Logged[] = [];
  const times: number[] = [];
  const values: number[] = [];
  observations.forEach((observation, index) => {
    now += observation.gap * 60_000;
    times.push(now);
    const decision: Decision = decide(rules, state, {
      observed: observation.value,
      now: new Date(now),
      serviceActive: observation.active,
      current,
    });
    switch (decision.kind) {
      case 'none':
        state = decision.state;
        break;
      case 'notify':
        log.push({ index, at: now, kind: 'fired' });
        state = decision.state;
        break;
      case 'skip':
        log.push({ index, at: now, kind: decision.outcome });
        state = decision.state;
        break;
      case 'scale':
        if (exceedsSpendCap(priceOf(current), priceOf(decision.to), cap)) {
          if (decision.instead.record) log.push({ index, at: now, kind: 'skipped_spend_cap' });
          state = decision.instead.state;
        } else {
          log.push({ index, at: now, kind: 'fired', from: current, to: decision.to });
          current = decision.to;
          state = decision.state;
        }
        break;
    }
    values.push(current);
  });
  return { log, times, values };
}

const operatorArb = fc.constantFrom('>' as const, '>=' as const, '<' as const, '<=' as const);
const scenario = fc
  .record({
    operator: operatorArb,
    threshold: fc.integer({ min: 10, max: 90 }),
    hysteresis: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    durationMinutes: fc.constantFrom(0, 5, 10, 15),
    cooldownMinutes: fc.integer({ min: 5, max: 60 }),
    scale: fc.boolean(),
    direction: fc.constantFrom('up' as const, 'down' as const),
    step: fc.constantFrom(1, 2),
    min: fc.integer({ min: 0, max: 6 }),
    span: fc.integer({ min: 0, max: 12 }),
    startOffset: fc.nat(),
    capSteps: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      observations: fc.array(
        fc.record({
          gap: fc.integer({ min: 1, max: 20 }),
          // Clustered around the threshold, so that crossing, clearing and flapping all happen.
          value: fc.option(fc.integer({ min: shape.threshold - 40, max: shape.threshold + 40 }), {
            nil: null,
            freq: 10,
          }),
          active: fc.integer({ min: 0, max: 9 }).map((draw) => draw < 8),
        }),
        { minLength: 1, maxLength: 80 },
      ),
    }),
  );

describe('a capacity trigger over any series of observations', () => {
  it('fires at most once per cooldown, stays within [min, max] and the spending cap, and does not flap', () => {
    fc.assert(
      fc.property(scenario, ({ shape, observations }) => {
        const action: TriggerRule['action'] = shape.scale
          ? {
              kind: 'scale',
              dimension: 'vcpu',
              direction: shape.direction,
              step: shape.step,
              min: shape.min,
              max: shape.min + shape.span,
            }
          : { kind: 'notify' };
        const rules: TriggerRule = {
          operator: shape.operator,
          threshold: shape.threshold,
          hysteresis: shape.hysteresis,
          durationMinutes: shape.durationMinutes,
          cooldownMinutes: shape.cooldownMinutes,
          action,
        };
        const start = shape.min + (shape.startOffset % (shape.span + 1));
        const cap = shape.capSteps === undefined ? undefined : priceOf(shape.min + shape.capSteps);
        const { log, times } = run(rules, start, cap, observations);
        const cooldownMs = shape.cooldownMinutes * 60_000;
        const holds = (value: number | null) =>
          value !== null &&
          (shape.operator === '>'
            ? value > shape.threshold
            : shape.operator === '>='
              ? value >= shape.threshold
              : shape.operator === '<'
                ? value < shape.threshold
                : value <= shape.threshold);
        const clears = (value: number | null) =>
          value !== null &&
          (shape.operator === '>' || shape.operator === '>='
            ? value < shape.threshold - (shape.hysteresis ?? 0)
            : value > shape.threshold + (shape.hysteresis ?? 0));

        const fired = log.filter((entry) => entry.kind === 'fired');
        const skips = log.filter((entry) => entry.kind !== 'fired');
        for (let index = 1; index < fired.length; index++) {
          const previous = fired[index - 1] as Logged;
          const entry = fired[index] as Logged;
          // Once per cooldown.
          expect(entry.at - previous.at).toBeGreaterThanOrEqual(cooldownMs);
          // Hysteresis: the value cleared the threshold by the margin between two firings.
          if (shape.hysteresis !== undefined) {
            const between = observations.slice(previous.index + 1, entry.index);
            expect(between.some((observation) => clears(observation.value))).toBe(true);
          }
        }
        for (let index = 1; index < skips.length; index++) {
          expect((skips[index] as Logged).at - (skips[index - 1] as Logged).at).toBeGreaterThanOrEqual(
            cooldownMs,
          );
        }
        for (const entry of log) {
          // Only while the condition holds, and has held for the duration.
          expect(holds(observations[entry.index]?.value ?? null)).toBe(true);
          let since = entry.index;
          while (since > 0 && holds(observations[since - 1]?.value ?? null)) since--;
          expect((times[entry.index] as number) - (times[since] as number)).toBeGreaterThanOrEqual(
            shape.durationMinutes * 60_000,
          );
          if (entry.kind !== 'fired' || action.kind !== 'scale') continue;
          const from = entry.from as number;
          const to = entry.to as number;
          // Within the bounds, one step at most, in the policy's direction.
          expect(to).toBeGreaterThanOrEqual(action.min);
          expect(to).toBeLessThanOrEqual(action.max);
          expect(Math.abs(to - from)).toBeLessThanOrEqual(action.step);
          expect(action.direction === 'up' ? to > from : to < from).toBe(true);
          // Never a price rise beyond the cap.
          if (cap !== undefined && to > from) expect(decimal(priceOf(to)).lte(cap)).toBe(true);
          expect(observations[entry.index]?.active).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
