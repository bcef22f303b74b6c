/** A service as the subscriptions context keeps it, and the pure rules of its price and billing. */
import type { Accrual } from '#shared/billing/accrual.ts';
import { dueAt as accrualDueAt } from '#shared/billing/accrual.ts';
import { type Metering, meteringDueAt } from '#shared/billing/metering.ts';
import { minorUnitExponent } from '#shared/catalog/money.ts';
import { CREDIT_DECIMALS } from '#shared/credits/credit-units.ts';
import type { Actor, SubscriptionAction, SubscriptionState } from '#shared/subscriptions/lifecycle.ts';
import type {
  PaymentMethod,
  ServicePrice,
  SubscriptionTransition,
  SubscriptionView,
} from '#shared/subscriptions/subscription.ts';
import type { SealedValue } from '../payments/secret-box.ts';

export type StoredSubscription = Omit<SubscriptionView, 'billing' | 'history' | 'access'> & {
  accrual: Accrual;
  /** The state a suspended service returns to. */
  resumeTo?: 'active' | 'stopped';
  /** While provisioning: when it fails unless the platform has confirmed it (the connector's timeout). */
  provisioningDeadline?: string;
  /** How the buyer reaches the service, from the platform; the password sealed (payments' SecretBox). */
  access?: { url?: string; username?: string; notes?: string; password?: SealedValue };
  /**
   * Card and invoice services: posted usage not invoiced yet, in minor units of the currency, by
   * the calendar month (UTC) of the hour: `{ '2026-03': 7300 }`. The monthly invoice run takes a
   * month out once the month is over (functions/src/invoices/usage-invoicing.ts).
   */
  unbilled?: Record<string, number>;
  /** Services whose product prices usage (price.meters): the hours of usage posted so far. */
  metering?: Metering;
};

/** When a service stopped being metered: it ended (terminated, or failed before it ran). */
export const meteringEndedAt = (subscription: Pick<StoredSubscription, 'state' | 'stateSince'>) =>
  subscription.state === 'terminated' || subscription.state === 'failed'
    ? subscription.stateSince
    : undefined;

/** When the service's next hour of metered usage is due to post, if one is. */
export const meteredDueAt = (subscription: StoredSubscription): string | undefined =>
  meteringDueAt(subscription.metering, meteringEndedAt(subscription));

/** Adds posted hours to the month each hour began in. */
export function addUnbilled(
  unbilled: StoredSubscription['unbilled'] | number,
  postings: ReadonlyArray<{ hour: string; amount: number }>,
): Record<string, number> {
  // Before months were kept, usage was one number: it belongs to the first month posted now.
  const months: Record<string, number> =
    typeof unbilled === 'number'
      ? postings[0]
        ? { [postings[0].hour.slice(0, 7)]: unbilled }
        : {}
      : { ...unbilled };
  for (const posting of postings) {
    const month = posting.hour.slice(0, 7);
    months[month] = (months[month] ?? 0) + posting.amount;
  }
  return months;
}

/** When the month invoice run must look at the service: the start of the month after its oldest unbilled month. */
function unbilledDueAt(subscription: StoredSubscription): string | undefined {
  const oldest = Object.keys(subscription.unbilled ?? {}).sort()[0];
  if (!oldest) return undefined;
  const [year, month] = oldest.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString();
}

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

/**
 * When the sweep must look at the service: its next posting, a cancellation, the end of retention,
 * a finished month not invoiced yet.
 */
export function subscriptionDueAt(subscription: StoredSubscription): string | undefined {
  return [
    accrualDueAt(subscription.accrual),
    meteredDueAt(subscription),
    subscription.cancelAt,
    subscription.terminateAt,
    unbilledDueAt(subscription),
    subscription.state === 'provisioning' ? subscription.provisioningDeadline : undefined,
  ]
    .filter((at): at is string => at !== undefined)
    .sort()[0];
}

export function subscriptionView(
  subscription: StoredSubscription,
  history?: StoredTransition[],
): SubscriptionView {
  const {
    accrual,
    resumeTo: _resumeTo,
    unbilled: _unbilled,
    metering,
    provisioningDeadline,
    access,
    ...rest
  } = subscription;
  const next = accrualDueAt(accrual);
  return {
    ...rest,
    billing: {
      billedThrough: accrual.billedThrough,
      ...(next ? { nextPostingAt: next } : {}),
      ...(metering ? { meteredThrough: metering.through } : {}),
    },
    ...(provisioningDeadline && subscription.state === 'provisioning' ? { provisioningDeadline } : {}),
    // The password is opened for the buyer only (getSubscription); others learn that one exists.
    ...(access
      ? {
          access: {
            ...(access.url ? { url: access.url } : {}),
            ...(access.username ? { username: access.username } : {}),
            ...(access.notes ? { notes: access.notes } : {}),
            hasPassword: access.password !== undefined,
          },
        }
      : {}),
    ...(history ? { history: history.map(({ id: _id, ...transition }) => transition) } : {}),
  };
}
