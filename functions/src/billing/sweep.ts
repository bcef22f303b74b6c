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
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { transition } from '../subscriptions/subscription-service.ts';
import type { DueItem } from './billing-store.ts';
import { type PostingDeps, postDueHours } from './posting.ts';

export type SweepDeps = PostingDeps &
  SubscriptionDeps & {
    ledger: LedgerDeps;
    dueItems(tenantId: string, until: string): AsyncIterable<DueItem>;
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
    await reviewSubscription(deps, tenant, item.sk.slice('SUBSCRIPTION#'.length), until, item.subscription);
  } else {
    const [, customerId, currency] = item.sk.split('#') as [string, string, CurrencyCode];
    await reviewWallet(deps, tenant, { tenantId: tenant.id, customerId, currency }, until);
  }
}

/** Runs the sweep for one store, item after item (the test clock does this for each hour it passes). */
export async function sweepStore(
  deps: SweepDeps,
  tenant: Pick<Tenant, 'id'>,
  until: string,
): Promise<number> {
  const items = await dueWork(deps, tenant.id, until);
  for (const item of items) await processDueItem(deps, tenant, item, until);
  return items.length;
}

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
