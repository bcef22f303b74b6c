/**
 * Posts a service's finished hours: one debit per (service, hour) for credit services, with the
 * idempotency key `<subscription>#<hour>`, written in the same transaction as the service's
 * billing state (conditional on its revision). A message delivered twice, a worker stopped
 * between two hours, a sweep run twice: each hour is posted exactly once.
 */
import { dueAt, postPeriod } from '#shared/billing/accrual.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { debitWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import { postingExponent, type StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';

export type PostingDeps = Pick<SubscriptionDeps, 'subscriptions' | 'commit'> & { ledger: LedgerDeps };

const MAX_HOURS_PER_CALL = 24 * 400;

const hourLabel = (hour: string) => `${hour.slice(0, 10)} ${hour.slice(11, 16)} UTC`;

/** Posts every hour of the service that ended by `until`. Returns how many were posted by this call. */
export async function postDueHours(
  deps: PostingDeps,
  tenant: Pick<Tenant, 'id'>,
  subscriptionId: string,
  until: string,
): Promise<number> {
  let posted = 0;
  let races = 0;
  for (let step = 0; step < MAX_HOURS_PER_CALL; step++) {
    const subscription = await deps.subscriptions.get(tenant.id, subscriptionId);
    const due = subscription && dueAt(subscription.accrual);
    if (!subscription || !due || due > until) return posted;
    const posting = postPeriod(subscription.accrual, postingExponent(subscription));
    const next: StoredSubscription = {
      ...subscription,
      accrual: posting.accrual,
      revision: subscription.revision + 1,
      ...(subscription.paymentMethod !== 'credits' && posting.amount > 0
        ? { unbilled: (subscription.unbilled ?? 0) + posting.amount }
        : {}),
    };
    const serviceItems = deps.subscriptions.updateItems(tenant.id, next, subscription.revision, []);
    let landed: boolean;
    if (subscription.paymentMethod === 'credits' && posting.amount > 0) {
      const result = await debitWallet(
        deps.ledger,
        { tenantId: tenant.id, customerId: subscription.customerId, currency: subscription.price.currency },
        {
          type: 'debit',
          amount: posting.amount,
          reason: `${subscription.product.name}, ${hourLabel(posting.hour)}`,
          actor: { kind: 'system', id: 'billing' },
          idempotencyKey: `${subscription.id}#${posting.hour}`,
          at: posting.end,
          reference: { kind: 'subscription', id: subscription.id, hour: posting.hour },
        },
        { also: () => serviceItems },
      );
      // duplicate: this hour was posted by someone else, and the service moved on with it.
      landed = result.kind !== 'alsoFailed';
    } else {
      landed = (await deps.commit(serviceItems)).ok;
    }
    if (landed) posted++;
    else {
      // The service changed meanwhile (a stop, a resize): read it again and post what is due now.
      races++;
      if (races > 50) throw new Error(`service ${subscriptionId} kept changing while being posted`);
      await backoff(races);
    }
  }
  return posted;
}
