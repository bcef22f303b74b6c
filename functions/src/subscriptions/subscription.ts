/** A service as the subscriptions context keeps it, and the pure rules of its price and billing. */
import type { Accrual } from '#shared/billing/accrual.ts';
import { dueAt as accrualDueAt } from '#shared/billing/accrual.ts';
import { minorUnitExponent } from '#shared/catalog/money.ts';
import { CREDIT_DECIMALS } from '#shared/credits/credit-units.ts';
import type { Actor, SubscriptionAction, SubscriptionState } from '#shared/subscriptions/lifecycle.ts';
import type {
  PaymentMethod,
  ServicePrice,
  SubscriptionTransition,
  SubscriptionView,
} from '#shared/subscriptions/subscription.ts';

export type StoredSubscription = Omit<SubscriptionView, 'billing' | 'history'> & {
  accrual: Accrual;
  /** The state a suspended service returns to. */
  resumeTo?: 'active' | 'stopped';
  /** Card and invoice services: posted usage not invoiced yet, in minor units of the currency. */
  unbilled?: number;
};

export type StoredTransition = SubscriptionTransition & { id: string };

export type TransitionInput = { action: SubscriptionAction; actor: Actor; reason: string; at: string };

/** The rate billing accrues in a state: credits per hour for credit services, money otherwise. */
export function rateIn(price: ServicePrice, method: PaymentMethod, state: SubscriptionState): string {
  const rates = method === 'credits' && price.credits ? price.credits : price;
  if (state === 'active') return rates.hourly;
  if (state === 'stopped') return rates.stoppedHourly;
  return '0';
}

/** Decimals of what a service's postings are counted in. */
export const postingExponent = (subscription: Pick<StoredSubscription, 'paymentMethod' | 'price'>): number =>
  subscription.paymentMethod === 'credits' ? CREDIT_DECIMALS : minorUnitExponent(subscription.price.currency);

/** When the sweep must look at the service: its next posting, a cancellation, the end of retention. */
export function subscriptionDueAt(subscription: StoredSubscription): string | undefined {
  return [accrualDueAt(subscription.accrual), subscription.cancelAt, subscription.terminateAt]
    .filter((at): at is string => at !== undefined)
    .sort()[0];
}

export function subscriptionView(
  subscription: StoredSubscription,
  history?: StoredTransition[],
): SubscriptionView {
  const { accrual, resumeTo: _resumeTo, unbilled: _unbilled, ...rest } = subscription;
  const next = accrualDueAt(accrual);
  return {
    ...rest,
    billing: { billedThrough: accrual.billedThrough, ...(next ? { nextPostingAt: next } : {}) },
    ...(history ? { history: history.map(({ id: _id, ...transition }) => transition) } : {}),
  };
}
