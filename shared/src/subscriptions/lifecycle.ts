/**
 * The lifecycle of a service (subscription), pure:
 *
 *   pending ─► provisioning ─► active ◄─► stopped
 *      │            │            │  ▲         │
 *      └─► failed ◄─┘            ▼  │         ▼
 *                             suspended ─► terminated
 *
 * (active and stopped may also be terminated directly: a cancellation.) Every transition names
 * an actor and a reason; those that mean something to the outside world publish an event.
 */
import { ConflictError } from '../errors.ts';

export const SUBSCRIPTION_STATES = [
  'pending',
  'provisioning',
  'active',
  'stopped',
  'suspended',
  'terminated',
  'failed',
] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const SUBSCRIPTION_ACTIONS = [
  'provision',
  'activate',
  'fail',
  'start',
  'stop',
  'resize',
  'suspend',
  'resume',
  'terminate',
] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

export type ActorKind = 'buyer' | 'merchant' | 'system' | 'platform';
export type Actor = { kind: ActorKind; id: string };

/** Event published for each action (`provision` and `fail` have their own: created / failed). */
export const SUBSCRIPTION_EVENTS: Record<SubscriptionAction, string> = {
  provision: 'subscription.provisioning',
  activate: 'subscription.activated',
  fail: 'subscription.failed',
  start: 'subscription.started',
  stop: 'subscription.stopped',
  resize: 'subscription.resized',
  suspend: 'subscription.suspended',
  resume: 'subscription.resumed',
  terminate: 'subscription.terminated',
};

const FROM: Record<SubscriptionAction, readonly SubscriptionState[]> = {
  provision: ['pending'],
  activate: ['provisioning'],
  fail: ['pending', 'provisioning'],
  start: ['stopped'],
  stop: ['active'],
  resize: ['active', 'stopped'],
  suspend: ['active', 'stopped'],
  resume: ['suspended'],
  terminate: ['active', 'stopped', 'suspended'],
};

/** States a service is billed in (at its running rate when active, its stopped rate when stopped). */
export const BILLED_STATES: readonly SubscriptionState[] = ['active', 'stopped'];
export const FINAL_STATES: readonly SubscriptionState[] = ['terminated', 'failed'];

export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly action: SubscriptionAction,
    readonly state: SubscriptionState,
  ) {
    super('illegal_transition', `A service that is ${state} cannot ${verb(action)}`, {
      action,
      state,
      allowedFrom: [...FROM[action]],
    });
  }
}

const verb = (action: SubscriptionAction): string =>
  ({
    provision: 'be provisioned',
    activate: 'be activated',
    fail: 'fail',
    start: 'be started',
    stop: 'be stopped',
    resize: 'be resized',
    suspend: 'be suspended',
    resume: 'be resumed',
    terminate: 'be terminated',
  })[action];

export function canTransition(state: SubscriptionState, action: SubscriptionAction): boolean {
  return FROM[action].includes(state);
}

/**
 * The state after `action`. `resumeTo` is the state the service was suspended from.
 *
 * @example nextState('active', 'stop') // 'stopped'
 * @example nextState('terminated', 'start') // throws IllegalTransitionError (409)
 */
export function nextState(
  state: SubscriptionState,
  action: SubscriptionAction,
  resumeTo: 'active' | 'stopped' = 'active',
): SubscriptionState {
  if (!canTransition(state, action)) throw new IllegalTransitionError(action, state);
  switch (action) {
    case 'provision':
      return 'provisioning';
    case 'activate':
    case 'start':
      return 'active';
    case 'fail':
      return 'failed';
    case 'stop':
      return 'stopped';
    case 'resize':
      return state;
    case 'suspend':
      return 'suspended';
    case 'resume':
      return resumeTo;
    case 'terminate':
      return 'terminated';
  }
}
