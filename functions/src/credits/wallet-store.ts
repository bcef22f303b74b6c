import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { TransactItem } from '../data/transactions.ts';
import type { StoredEntry, StoredWallet } from './wallet.ts';

export type WalletRef = { tenantId: string; customerId: string; currency: CurrencyCode };

/**
 * What a ledger write did. `duplicate`: an entry with the idempotency key exists (the write was
 * done before). `stale`: the wallet changed since it was read, or a write raced: read and retry.
 * `alsoFailed`: a condition of an item written along with the wallet failed (by index in `also`).
 */
export type WalletWriteOutcome =
  | { kind: 'written' }
  | { kind: 'duplicate' }
  | { kind: 'stale' }
  | { kind: 'alsoFailed'; indexes: number[] };

export type WalletWrite = {
  wallet: StoredWallet;
  /** Version the wallet had when read (0: it did not exist). */
  expectedVersion: number;
  /** Each with its own idempotency key; none may exist yet. */
  entries: StoredEntry[];
  /** When the sweep must look at the wallet again. */
  dueAt: string | undefined;
};

/** Wallets and their ledgers; every balance change and its entries are written in one transaction. */
export interface WalletStore {
  get(ref: WalletRef): Promise<StoredWallet | undefined>;
  write(tenantId: string, change: WalletWrite, also?: TransactItem[]): Promise<WalletWriteOutcome>;
  entryByKey(ref: WalletRef, idempotencyKey: string): Promise<StoredEntry | undefined>;
  entries(
    ref: WalletRef,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredEntry[]; nextCursor?: string }>;
  /** The transaction item that sets (or, with undefined, removes) a service's rate on its wallet. */
  rateItem(ref: WalletRef, subscriptionId: string, rate: string | undefined): TransactItem;
  /** The customer's wallets, in every currency. */
  walletsOf(tenantId: string, customerId: string): Promise<StoredWallet[]>;
}
