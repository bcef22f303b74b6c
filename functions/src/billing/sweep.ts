/**
 * The work the hourly sweep does for one store up to a time: post the services' finished hours,
 * end services whose cancellation or retention is due, and look at wallets with something due
 * (expiring credits, the end of a grace period, a reminder, services to resume).
 */
import type { BillingSettings } from '#shared/billing/settings.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { changeWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { LOW_BALANCE_REMINDER_MS, walletStatus } from '../credits/wallet.ts';
import type { WalletRef } from '../credits/wallet-store.ts';
import type { InvoiceDeps } from '../invoices/invoice-service.ts';
import { invoiceFinishedMonths } from '../invoices/usage-invoicing.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { transition } from '../subscriptions/subscription-service.ts';
import type { DueItem } from './billing-store.ts';
import { type PostingDeps, postCustomerHours, postDueHours } from './posting.ts';

export type SweepDeps = PostingDeps &
  SubscriptionDeps & {
    ledger: LedgerDeps;
    dueItems(tenantId: string, until: string): AsyncIterable<DueItem>;
    /** Monthly usage invoices for card / invoice services; without it, none are issued. */
    invoicing?: InvoiceDeps;
  };

export const CREDITS_EXHAUSTED = 'Credits ran out';
const SYSTEM = { kind: 'system', id: 'billing' } as const;

/** The store's items with work due by `until`: services first, then wallets (they see the new debits). */
export async function dueWork(
  deps: Pick<SweepDeps, 'dueItems'>,
  tenantId: string,
  until: string,
): Promise<DueItem[]> {
  const items: DueItem[] = [];
  for await (const item of deps.dueItems(tenantId, until)) items.push(item);
  return items.sort((a, b) =>
    a.kind === b.kind ? a.dueAt.localeCompare(b.dueAt) : a.kind === 'subscription' ? -1 : 1,
  );
}

/** Does one item's due work; safe to repeat and to run in any order. */
export async function processDueItem(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  item: DueItem,
  until: string,
) {
  if (item.kind === 'subscription') {
    const subscriptionId = item.sk.slice('SUBSCRIPTION#'.length);
    await reviewSubscription(deps, tenant, subscriptionId, until, item.subscription);
    // Invoices: a finished month of card / invoice usage (functions/src/invoices/usage-invoicing.ts).
    if (deps.invoicing) {
      const review = (at: Pick<Tenant, 'id'>, id: string, to: string) => reviewSubscription(deps, at, id, to);
      await invoiceFinishedMonths(
        { ...deps, invoicing: deps.invoicing, review },
        tenant,
        subscriptionId,
        until,
        item.subscription,
      );
    }
  } else {
    const [, customerId, currency] = item.sk.split('#') as [string, string, CurrencyCode];
    await reviewWallet(deps, tenant, { tenantId: tenant.id, customerId, currency }, until);
  }
}

/**
 * Does several items' due work: the services of one customer and currency that only have hours
 * to post are posted together (one transaction), the rest item by item; wallets last, so they
 * see the new debits. Safe to repeat and to run in any order, as processDueItem.
 */
export async function processDueItems(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  items: DueItem[],
  until: string,
) {
  const groups = new Map<string, StoredSubscription[]>();
  const rest: DueItem[] = [];
  for (const item of items) {
    const service = item.subscription;
    if (
      item.kind === 'subscription' &&
      service &&
      service.paymentMethod === 'credits' &&
      !endingBy(service, until)
    ) {
      const key = `${service.customerId}#${service.price.currency}`;
      groups.set(key, [...(groups.get(key) ?? []), service]);
    } else {
      rest.push(item);
    }
  }
  for (const services of groups.values()) await postCustomerHours(deps, tenant, services, until);
  const ordered = rest.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'subscription' ? -1 : 1));
  for (const item of ordered) await processDueItem(deps, tenant, item, until);
}

/** The due items a sweep message carries: a customer's services together, at most this many. */
export const MAX_ITEMS_PER_GROUP = 20;

/**
 * Groups due items for the billing-items queue: the services of one customer and currency
 * found within `window` consecutive items travel together (so they post in one transaction),
 * everything else alone. Streams: a group leaves once full, or when the window has passed it.
 */
export async function* groupDueItems(
  items: AsyncIterable<DueItem>,
  window = 1_000,
): AsyncGenerator<DueItem[]> {
  const open = new Map<string, { items: DueItem[]; seen: number }>();
  let seen = 0;
  for await (const item of items) {
    seen++;
    const service = item.subscription;
    if (item.kind !== 'subscription' || !service) {
      yield [item];
    } else {
      const key = `${service.customerId}#${service.price.currency}`;
      const group = open.get(key) ?? { items: [], seen };
      group.items.push(item);
      open.set(key, group);
      if (group.items.length >= MAX_ITEMS_PER_GROUP) {
        open.delete(key);
        yield group.items;
      }
    }
    for (const [key, group] of open) {
      // Maps keep insertion order: the oldest groups come first.
      if (seen - group.seen < window) break;
      open.delete(key);
      yield group.items;
    }
  }
  for (const group of open.values()) yield group.items;
}

/** Runs the sweep for one store (the test clock does this for each hour it passes). */
export async function sweepStore(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  until: string,
): Promise<number> {
  const items = await dueWork(deps, tenant.id, until);
  await processDueItems(deps, tenant, items, until);
  return items.length;
}

/** A provisioning platform that did not confirm the service in time. */
const unconfirmedBy = (service: StoredSubscription, until: string) =>
  service.state === 'provisioning' &&
  service.provisioningDeadline !== undefined &&
  service.provisioningDeadline <= until;

/**
 * A cancellation or the end of retention (or of provisioning) due by `until`: the service ends,
 * not just posts.
 */
const endingBy = (service: StoredSubscription, until: string) =>
  ([service.cancelAt, service.terminateAt].some((at) => at !== undefined && at <= until) &&
    service.state !== 'terminated') ||
  unconfirmedBy(service, until);

async function reviewSubscription(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  subscriptionId: string,
  until: string,
  /** As the index had it: a stale copy only costs a failed conditional write and a read. */
  known?: StoredSubscription,
) {
  const subscription = known ?? (await deps.subscriptions.get(tenant.id, subscriptionId));
  if (!subscription) return;
  if (unconfirmedBy(subscription, until)) {
    // Failing publishes subscription.failed: the payments context refunds the order item.
    await transition(
      deps,
      tenant,
      subscriptionId,
      {
        action: 'fail',
        actor: { kind: 'system', id: 'provisioning' },
        reason: 'The provisioning platform did not confirm the service in time',
        // The index's copy may be older than a confirmation that came meanwhile.
        onlyIfState: 'provisioning',
      },
      subscription.provisioningDeadline as string,
    );
    return;
  }
  const ending = [subscription.cancelAt, subscription.terminateAt]
    .filter((at): at is string => at !== undefined && at <= until)
    .sort()[0];
  if (ending && subscription.state !== 'terminated') {
    // Post the hours before the end first, so the end splits its hour at the right moment.
    await postDueHours(deps, tenant, subscriptionId, ending, subscription);
    await transition(
      deps,
      tenant,
      subscriptionId,
      {
        action: 'terminate',
        actor: SYSTEM,
        reason:
          subscription.cancelAt === ending ? 'Cancelled at the end of the term' : 'Retention period over',
      },
      ending,
    );
    await postDueHours(deps, tenant, subscriptionId, until);
    return;
  }
  await postDueHours(deps, tenant, subscriptionId, until, subscription);
}

/**
 * A wallet's due work: expiries (posted by any change), grace over → suspend the customer's
 * credit services in the currency; credits back → resume what the credits suspended; a daily
 * reminder while the balance stays low.
 */
export async function reviewWallet(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  ref: WalletRef,
  until: string,
) {
  const wallet = await deps.ledger.wallets.get(ref);
  if (!wallet) return;
  const settings = await deps.ledger.billingSettings(tenant.id);
  const graceOver =
    wallet.graceEndsAt !== undefined && wallet.graceEndsAt <= until && wallet.funds.balance === 0;
  if (graceOver) {
    // Services first: if this stops half way, the grace end is still due and the next sweep finishes.
    await suspendForCredits(deps, tenant, ref, wallet.graceEndsAt as string, settings);
  }
  if (wallet.suspendedForCredits && wallet.funds.balance > 0)
    await resumeForCredits(deps, tenant, ref, until);
  await changeWallet(
    deps.ledger,
    ref,
    (change) => {
      const current = change.wallet;
      if (current.graceEndsAt && current.graceEndsAt <= until && current.funds.balance === 0) {
        const { graceEndsAt: _grace, ...rest } = current;
        change.wallet = { ...rest, suspendedForCredits: true };
      } else if (current.suspendedForCredits && current.funds.balance > 0 && wallet.suspendedForCredits) {
        const { suspendedForCredits: _suspended, ...rest } = current;
        change.wallet = rest;
      }
      const reminderDue =
        current.lowRemindedAt !== undefined &&
        Date.parse(current.lowRemindedAt) + LOW_BALANCE_REMINDER_MS <= Date.parse(until) &&
        walletStatus(change.wallet, settings) === 'low';
      if (reminderDue) change.wallet = { ...change.wallet, lowRemindedAt: until };
    },
    { at: until },
  );
}

async function suspendForCredits(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  ref: WalletRef,
  at: string,
  settings: BillingSettings,
) {
  const terminateAt = new Date(Date.parse(at) + settings.retentionDays * 86_400_000).toISOString();
  for (const subscription of await deps.subscriptions.allOfCustomer(tenant.id, ref.customerId)) {
    if (subscription.paymentMethod !== 'credits' || subscription.price.currency !== ref.currency) continue;
    if (subscription.state !== 'active' && subscription.state !== 'stopped') continue;
    // Hours before the suspension are still owed: post them before the rate drops.
    await postDueHours(deps, tenant, subscription.id, at, subscription);
    await transition(
      deps,
      tenant,
      subscription.id,
      { action: 'suspend', actor: SYSTEM, reason: CREDITS_EXHAUSTED, terminateAt },
      at,
    );
  }
}

/** Resumes the customer's services that running out of credits suspended (not a merchant's suspensions). */
export async function resumeForCredits(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  ref: WalletRef,
  at: string,
) {
  for (const subscription of await deps.subscriptions.allOfCustomer(tenant.id, ref.customerId)) {
    if (subscription.state !== 'suspended' || subscription.suspendedReason !== CREDITS_EXHAUSTED) continue;
    if (subscription.price.currency !== ref.currency) continue;
    await transition(
      deps,
      tenant,
      subscription.id,
      { action: 'resume', actor: SYSTEM, reason: 'Credits topped up', onlyIfSuspendedFor: CREDITS_EXHAUSTED },
      at,
    );
  }
}
