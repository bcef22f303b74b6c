import { describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.ts';
import {
  canTransition,
  IllegalTransitionError,
  nextState,
  SUBSCRIPTION_ACTIONS,
  SUBSCRIPTION_STATES,
  type SubscriptionAction,
  type SubscriptionState,
} from './lifecycle.ts';

/** The diagram of lifecycle.ts, written out: state → action → next state. Everything else is illegal. */
const ALLOWED: Partial<Record<SubscriptionState, Partial<Record<SubscriptionAction, SubscriptionState>>>> = {
  pending: { provision: 'provisioning', fail: 'failed' },
  provisioning: { activate: 'active', fail: 'failed' },
  active: { stop: 'stopped', resize: 'active', suspend: 'suspended', terminate: 'terminated' },
  stopped: { start: 'active', resize: 'stopped', suspend: 'suspended', terminate: 'terminated' },
  suspended: { resume: 'active', terminate: 'terminated' },
};

const everyPair = SUBSCRIPTION_STATES.flatMap((state) =>
  SUBSCRIPTION_ACTIONS.map((action) => ({ state, action, next: ALLOWED[state]?.[action] })),
);

describe('nextState', () => {
  it.each(everyPair.filter(({ next }) => next !== undefined))(
    '$state + $action → $next',
    ({ state, action, next }) => {
      expect(canTransition(state, action)).toBe(true);
      expect(nextState(state, action)).toBe(next);
    },
  );

  it.each(everyPair.filter(({ next }) => next === undefined))(
    '$state + $action is illegal',
    ({ state, action }) => {
      expect(canTransition(state, action)).toBe(false);
      let thrown: unknown;
      try {
        nextState(state, action);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IllegalTransitionError);
      expect(thrown).toBeInstanceOf(ConflictError);
      expect(thrown).toMatchObject({
        code: 'illegal_transition',
        kind: 'conflict',
        details: { state, action },
      });
    },
  );

  it('lists where an action is allowed from and says so to the caller', () => {
    expect(() => nextState('terminated', 'start')).toThrow('A service that is terminated cannot be started');
    try {
      nextState('pending', 'terminate');
    } catch (error) {
      expect((error as IllegalTransitionError).details).toEqual({
        action: 'terminate',
        state: 'pending',
        allowedFrom: ['active', 'stopped', 'suspended'],
      });
    }
    expect.assertions(2);
  });

  it('resumes to the state the service was suspended from', () => {
    expect(nextState('suspended', 'resume', 'stopped')).toBe('stopped');
    expect(nextState('suspended', 'resume', 'active')).toBe('active');
    expect(nextState('suspended', 'resume')).toBe('active');
    expect(nextState(nextState('stopped', 'suspend'), 'resume', 'stopped')).toBe('stopped');
  });
});
