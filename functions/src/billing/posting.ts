/**
 * Posts a service's finished hours: one debit per (service, hour) for credit services, with the
 * idempotency key `<subscription>#<hour>`, written in the same transaction as the service's
 * billing state (conditional on its revision). A message delivered twice, a worker stopped
 * between two hours, a sweep run twice: each hour is posted exactly once.
 */
import { dueAt, type Posting, postPeriod } from '#shared/billing/accrual.ts';
import type { MeterPosting } from '#shared/billing/metering.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { debitWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import {
  addUnbilled,
  meteredDueAt,
  postingExponent,
  type StoredSubscription,
} from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import type { UsageStore } from '../usage/usage-store.ts';
import { settledMeteredHours } from './metered-usage.ts';

export type PostingDeps = Pick<SubscriptionDeps, 'subscriptions' | 'commit'> & {
  ledger: LedgerDeps;
  /** Where metered services' usage is read (the usage context's samples). */
  usage: Pick<UsageStore, 'buckets'>;
};

/**
 * Hours posted in one transaction when a service catches up: two items each (entry, key) next to
 * the wallet and the service, well inside the 100 items a transaction may hold.
 */
const HOURS_PER_WRITE = 24;
/** Hours of metered usage posted in one transaction (per metric: two items each, as above). */
const METERED_ITEMS_PER_WRITE = 12;
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
    const meters = Object.keys(subscription.price.meters ?? {}).length;
    const metered = await settledMeteredHours(
      deps.usage,
      tenant.id,
      subscription,
      until,
      Math.max(1, Math.floor(METERED_ITEMS_PER_WRITE / Math.max(1, meters))),
    );
    if (postings.length === 0 && !metered) return posted;
    const charged = postings.filter((posting) => posting.amount > 0);
    const usageCharged = (metered?.postings ?? []).filter((posting) => posting.amount > 0);
    const next: StoredSubscription = {
      ...subscription,
      accrual: postings.at(-1)?.accrual ?? subscription.accrual,
      ...(metered ? { metering: metered.metering } : {}),
      revision: subscription.revision + 1,
    };
    if (subscription.paymentMethod !== 'credits' && charged.length + usageCharged.length > 0) {
      // By month, so the monthly invoice takes exactly its month (functions/src/invoices); metered
      // usage by the month its hour settled in (the last hours of a month go on the next one).
      next.unbilled = addUnbilled(subscription.unbilled, [
        ...charged,
        ...usageCharged.map((posting) => ({ hour: posting.settledAt, amount: posting.amount })),
      ]);
    }
    const serviceItems = deps.subscriptions.updateItems(tenant.id, next, subscription.revision, []);
    let landed: boolean;
    if (subscription.paymentMethod === 'credits' && charged.length + usageCharged.length > 0) {
      const service = subscription;
      const debits = [
        ...charged.map((posting) => debitOf(service, posting)),
        ...usageCharged.map((posting) => usageDebitOf(service, posting)),
      ].sort((a, b) => a.at.localeCompare(b.at));
      const result = await debitWallet(
        deps.ledger,
        { tenantId: tenant.id, customerId: service.customerId, currency: service.price.currency },
        debits,
        { also: () => serviceItems },
      );
      landed = result.kind === 'written';
    } else {
      // Nothing to charge (rounding left less than a cent, or card / invoice usage): the
      // service's billing state alone moves on.
      landed = (await deps.commit(serviceItems)).ok;
    }
    if (landed) {
      posted += postings.length + (metered?.hours ?? 0);
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

/**
 * Items a grouped posting may write: the wallet, each service, an entry and a key per hour; the
 * rest of the 100 a transaction may hold is room for expiry entries the change may add.
 */
const GROUP_ITEM_BUDGET = 80;

/**
 * Posts the finished hours of several credit services of one customer and currency in ONE
 * transaction (the wallet, every debit, every service's billing state): a transaction per
 * customer rather than per service is what the sweep's throughput rests on. Whatever does not
 * fit, is not a credit service, or loses a race (a duplicate, a service that changed) goes
 * through postDueHours one service at a time, which is always right. Returns the hours posted.
 */
export async function postCustomerHours(
  deps: PostingDeps,
  tenant: Pick<Tenant, 'id'>,
  services: StoredSubscription[],
  until: string,
): Promise<number> {
  type Planned = { service: StoredSubscription; postings: Posting[]; next: StoredSubscription };
  const grouped: Planned[] = [];
  const alone: StoredSubscription[] = [];
  let items = 1;
  const first = services[0];
  for (const service of services) {
    const metered = meteredDueAt(service);
    if (metered !== undefined && metered <= until) {
      // Metered usage needs its own read: such a service posts alone.
      alone.push(service);
      continue;
    }
    const postings = finishedHours(service, until);
    const last = postings.at(-1);
    if (!last) continue;
    const charged = postings.filter((posting) => posting.amount > 0).length;
    const sameWallet =
      first !== undefined &&
      service.customerId === first.customerId &&
      service.price.currency === first.price.currency;
    if (service.paymentMethod !== 'credits' || !sameWallet || items + 1 + 2 * charged > GROUP_ITEM_BUDGET) {
      alone.push(service);
      continue;
    }
    items += 1 + 2 * charged;
    grouped.push({
      service,
      postings,
      next: { ...service, accrual: last.accrual, revision: service.revision + 1 },
    });
  }
  let posted = 0;
  if (grouped.length === 1) alone.push((grouped.pop() as Planned).service);
  if (grouped.length > 1 && first) {
    const debits = grouped
      .flatMap(({ service, postings }) =>
        postings.filter((posting) => posting.amount > 0).map((posting) => debitOf(service, posting)),
      )
      // In time order, so a low runway or exhaustion is noted at the hour it happened.
      .sort((a, b) => a.at.localeCompare(b.at));
    const serviceItems = () =>
      grouped.flatMap(({ service, next }) =>
        deps.subscriptions.updateItems(tenant.id, next, service.revision, []),
      );
    const ref = { tenantId: tenant.id, customerId: first.customerId, currency: first.price.currency };
    const landed =
      debits.length > 0
        ? (await debitWallet(deps.ledger, ref, debits, { also: serviceItems })).kind === 'written'
        : (await deps.commit(serviceItems())).ok;
    for (const planned of grouped) {
      if (landed) posted += planned.postings.length;
      // Landed: whatever is still due (a service more than a day behind) follows one by one.
      // Not landed: one by one from a fresh read, which sorts out duplicates and changes.
      posted += await postDueHours(
        deps,
        tenant,
        planned.service.id,
        until,
        landed ? planned.next : undefined,
      );
    }
  }
  for (const service of alone) posted += await postDueHours(deps, tenant, service.id, until, service);
  return posted;
}

/** What a unit of a metered counter is called on a ledger line. */
const METER_LABELS: Record<string, (quantity: string) => string> = {
  egress_gb: (quantity) => `egress ${quantity} GB`,
};

function usageDebitOf(service: StoredSubscription, posting: MeterPosting) {
  const label = METER_LABELS[posting.metric]?.(posting.quantity) ?? `${posting.metric} ${posting.quantity}`;
  return {
    type: 'debit' as const,
    amount: posting.amount,
    reason: `${service.product.name}, ${label}, ${hourLabel(posting.hour)}`,
    actor: { kind: 'system', id: 'billing' } as const,
    idempotencyKey: `${service.id}#${posting.hour}#${posting.metric}`,
    at: posting.settledAt,
    reference: { kind: 'subscription' as const, id: service.id, hour: posting.hour, metric: posting.metric },
  };
}

function debitOf(service: StoredSubscription, posting: Posting) {
  return {
    type: 'debit' as const,
    amount: posting.amount,
    reason: `${service.product.name}, ${hourLabel(posting.hour)}`,
    actor: { kind: 'system', id: 'billing' } as const,
    idempotencyKey: `${service.id}#${posting.hour}`,
    at: posting.end,
    reference: { kind: 'subscription' as const, id: service.id, hour: posting.hour },
  };
}
