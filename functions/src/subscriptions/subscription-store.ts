import type { SubscriptionState } from '#shared/subscriptions/lifecycle.ts';
import type { TransactItem } from '../data/transactions.ts';
import type { StoredSubscription, StoredTransition } from './subscription.ts';

export type Page = { limit: number; cursor?: string | undefined };

/** Services of these products, or (either) configured with the option `region` = region. */
export type TouchingScope = { productIds: string[]; region?: string | undefined; start: string; end: string };

/**
 * Services and their transition history. Writes are handed out as transaction items so that a
 * service changes together with what depends on it (its wallet's burn, a ledger debit).
 */
export interface SubscriptionStore {
  get(tenantId: string, subscriptionId: string): Promise<StoredSubscription | undefined>;
  list(
    tenantId: string,
    filter: { customerId?: string | undefined; state?: SubscriptionState | undefined },
    page: Page,
  ): Promise<{ items: StoredSubscription[]; nextCursor?: string }>;
  /** Every service of a customer (for suspending or resuming them all). */
  allOfCustomer(tenantId: string, customerId: string): Promise<StoredSubscription[]>;
  history(tenantId: string, subscriptionId: string, limit: number): Promise<StoredTransition[]>;
  /**
   * One page of the tenant's services that may have run during [start, end) and belong to one of
   * `productIds` or are configured for `region` (an incident's scope). A superset: callers check
   * each service again. Oldest first, so a stored cursor resumes where a page ended.
   */
  pageTouching(
    tenantId: string,
    scope: TouchingScope,
    page: Page,
  ): Promise<{ items: StoredSubscription[]; nextCursor?: string }>;
  /** Creates the service (fails if it exists) with its first transitions. */
  createItems(
    tenantId: string,
    subscription: StoredSubscription,
    transitions: StoredTransition[],
  ): TransactItem[];
  /** Replaces the service if its revision is still `expectedRevision`; the first item holds that condition. */
  updateItems(
    tenantId: string,
    subscription: StoredSubscription,
    expectedRevision: number,
    transitions: StoredTransition[],
  ): TransactItem[];
}
