import type { BillingSettings } from '#shared/billing/settings.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';

/** A sandbox store's clock: how far ahead of real time it is, and an advance in progress. */
export type StoredTestClock = {
  aheadMs: number;
  status: 'ready' | 'advancing';
  /** While advancing: where the advance goes, and how far it has got (the store's time meanwhile). */
  advancingTo?: string;
  position?: string;
  /** Bumped on every change; writes are conditional on it. */
  revision: number;
};

/** An item with work due (the `dueWork` index): a service to post or end, a wallet to look at. */
export type DueItem = {
  kind: 'subscription' | 'wallet';
  sk: string;
  dueAt: string;
  /** A service as the index holds it (may be a moment old): spares the worker a read. */
  subscription?: StoredSubscription;
};

export interface BillingStore {
  settings(tenantId: string): Promise<BillingSettings | undefined>;
  saveSettings(tenantId: string, settings: BillingSettings): Promise<void>;
  clock(tenantId: string): Promise<StoredTestClock | undefined>;
  /** Writes the clock if its revision is still `expectedRevision` (0: none yet); false otherwise. */
  saveClock(tenantId: string, clock: StoredTestClock, expectedRevision: number): Promise<boolean>;
  /** Items of the tenant with work due at or before `until`, earliest first within each shard. */
  dueItems(tenantId: string, until: string): AsyncIterable<DueItem>;
}
