/**
 * The outage credit one service earns for one incident, pure.
 *
 * Rule (docs/billing.md, "SLA incidents"): over the incident's [start, end), every stretch the
 * service was billed in counts at the rate it was billed at — running at its hourly rate, stopped
 * at its stopped rate when the policy includes stopped services — to the millisecond, with the
 * same [from, to) edges as hourly billing (a service started at `end` gets nothing, one stopped at
 * `start` gets nothing while stopped). The credit is `creditPercent` of that cost, rounded once
 * to the hundredth of a credit (half up), raised to `minimumCredits` when the service was touched
 * at all. Incidents shorter than `minimumOutageMinutes` earn nothing. The stretches are summed
 * with the billing accrual itself (shared/src/billing/accrual.ts), so the two cannot disagree on
 * edges or rounding.
 */
import { changeRate, isIdle, postPeriod, startAccrual } from '../billing/accrual.ts';
import { decimal } from '../catalog/money.ts';
import type { SlaPolicy } from '../catalog/sla.ts';
import { CREDIT_DECIMALS, type CreditUnits, parseCredits } from '../credits/credit-units.ts';
import type { SubscriptionState } from '../subscriptions/lifecycle.ts';

/** A state the service entered at `at` (its transition history, oldest first). */
export type StateChange = { at: string; to: SubscriptionState };

export type OutageCreditInput = {
  start: string;
  end: string;
  /** Chronological; before the first change the service did not exist. */
  changes: readonly StateChange[];
  /** Credits per hour while running and while stopped (the service's price, in credits). */
  rates: { active: string; stopped: string };
  policy: SlaPolicy;
};

export type OutageCredit = {
  /** Hundredths of a credit to grant (0: nothing). */
  units: CreditUnits;
  /** Milliseconds of the incident the service was counted for (running, or stopped if included). */
  affectedMs: number;
};

const ms = (at: string) => Date.parse(at);

/** The state in force at `at`: the last change at or before it ([from, to): a change at `at` counts). */
export function stateAt(changes: readonly StateChange[], at: string): SubscriptionState | undefined {
  let state: SubscriptionState | undefined;
  for (const change of changes) {
    if (ms(change.at) > ms(at)) break;
    state = change.to;
  }
  return state;
}

/**
 * @example
 * outageCredit({ start: '…T10:00Z', end: '…T10:30Z', changes: [{ at: '…T09:00Z', to: 'active' }],
 *   rates: { active: '2', stopped: '0' }, policy: { creditPercent: 100, … } })
 * // { units: 100, affectedMs: 1_800_000 } — half an hour at 2 credits/h
 */
export function outageCredit(input: OutageCreditInput): OutageCredit {
  const { start, end, policy } = input;
  const startMs = ms(start);
  const endMs = ms(end);
  if (!(endMs > startMs)) throw new RangeError('an incident ends after it starts');
  if (endMs - startMs < policy.minimumOutageMinutes * 60_000) return { units: 0, affectedMs: 0 };

  const factor = decimal(policy.creditPercent).div(100);
  const counted = (state: SubscriptionState | undefined): string | undefined => {
    if (state === 'active') return input.rates.active;
    if (state === 'stopped' && policy.includeStopped) return input.rates.stopped;
    return undefined;
  };
  const creditRate = (state: SubscriptionState | undefined): string => {
    const rate = counted(state);
    return rate === undefined ? '0' : decimal(rate).times(factor).toString();
  };

  // The billing accrual over the incident alone, at the credit rate: its postings add up to the
  // exact total rounded once.
  let state = stateAt(input.changes, start);
  let accrual = startAccrual(start, creditRate(state));
  let affectedMs = 0;
  let since = startMs;
  const close = (at: number) => {
    if (counted(state) !== undefined) affectedMs += at - since;
    since = at;
  };
  for (const change of input.changes) {
    const at = ms(change.at);
    if (at <= startMs || at >= endMs) continue;
    close(at);
    state = change.to;
    accrual = changeRate(accrual, change.at, creditRate(state));
  }
  close(endMs);
  accrual = changeRate(accrual, end, '0');
  let units = 0;
  while (!isIdle(accrual)) {
    const posting = postPeriod(accrual, CREDIT_DECIMALS);
    units += posting.amount;
    accrual = posting.accrual;
  }
  if (affectedMs > 0 && policy.minimumCredits !== undefined) {
    units = Math.max(units, parseCredits(policy.minimumCredits));
  }
  return { units, affectedMs };
}
