/**
 * Posts a service's finished hours: one debit per (service, hour) for credit services, with the
 * idempotency key `<subscription>#<hour>`, written in the same transaction as the service's
 * billing state (conditional on its revision). A message delivered twice, a worker stopped
 * between two hours, a sweep run twice: each hour is posted exactly once.
 */
import { dueAt, type Posting, postPeriod } from '#shared/billing/accrual.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { debitWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import { postingExponent, type StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';

export type PostingDeps = Pick<SubscriptionDeps, 'subscriptions' | 'commit'> & { ledger: LedgerDeps };

/**
 * Hours posted in one transaction when a service catches up: two items each (entry, key) next to
 * the wallet and the service, well inside the 100 items a transaction may hold.
 */
const HOURS_PER_WRITE = 24;
const MAX_RACES = 50;

const hourLabel = (hour: string) => `${hour.slice(0, 10)} ${hour.slice(11, 16)} UTC`;

/** The service's next finished hours (up to HOURS_PER_WRITE), ended by `until`. */
function finishedHours(subscription: StoredSubscription, until: string): Posting[] {
  const postings: Posting[] = [];
  let accrual = subscription.accrual;
  for (
    let due = dueAt(accrual);
    due && due <= until && postings.length < HOURS_PER_WRITE;
    due = dueAt(accrual)
  ) {
    const posting = postPeriod(accrual, postingExponent(subscription));
    postings.push(posting);
    accrual = posting.accrual;
  }
  return postings;
}

/**
 * Posts every hour of the service that ended by `until`. `known` is the service as just read, to
 * spare a read. Returns how many hours this call posted.
 */
export async function postDueHours(
  deps: PostingDeps,
  tenant: Pick<Tenant, 'id'>,
  subscriptionId: string,
  until: string,
  known?: StoredSubscription,
): Promise<number> {
  let posted = 0;
  let races = 0;
  let subscription = known ?? (await deps.subscriptions.get(tenant.id, subscriptionId));
  while (subscription) {
    const postings = finishedHours(subscription, until);
    const last = postings.at(-1);
    if (!last) return posted;
    const charged = postings.filter((posting) => posting.amount > 0);
    const next: StoredSubscription = {
      ...subscription,
      accrual: last.accrual,
      revision: subscription.revision + 1,
    };
    if (subscription.paymentMethod !== 'credits' && charged.length > 0) {
      next.unbilled =
        (subscription.unbilled ?? 0) + charged.reduce((sum, posting) => sum + posting.amount, 0);
    }
    const serviceItems = deps.subscriptions.updateItems(tenant.id, next, subscription.revision, []);
    let landed: boolean;
    if (subscription.paymentMethod === 'credits' && charged.length > 0) {
      const service = subscription;
      const result = await debitWallet(
        deps.ledger,
        { tenantId: tenant.id, customerId: service.customerId, currency: service.price.currency },
        charged.map((posting) => ({
          type: 'debit' as const,
          amount: posting.amount,
          reason: `${service.product.name}, ${hourLabel(posting.hour)}`,
          actor: { kind: 'system', id: 'billing' } as const,
          idempotencyKey: `${service.id}#${posting.hour}`,
          at: posting.end,
          reference: { kind: 'subscription' as const, id: service.id, hour: posting.hour },
        })),
        { also: () => serviceItems },
      );
      landed = result.kind === 'written';
    } else {
      // Nothing to charge (rounding left less than a cent, or card / invoice usage): the
      // service's billing state alone moves on.
      landed = (await deps.commit(serviceItems)).ok;
    }
    if (landed) {
      posted += postings.length;
      subscription = next;
    } else {
      // Posted by someone else (duplicate), or the service changed meanwhile (a stop, a resize):
      // read it again and post what is due now.
      races++;
      if (races > MAX_RACES) throw new Error(`service ${subscriptionId} kept changing while being posted`);
      await backoff(races);
      subscription = await deps.subscriptions.get(tenant.id, subscriptionId);
    }
  }
  return posted;
}
