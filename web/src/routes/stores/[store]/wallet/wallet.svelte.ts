import {
  fetchWallet,
  fetchWalletEntries,
  type LedgerEntryView,
  type WalletQuery,
  type WalletView,
} from '#lib/api/credits.ts';
import type { ApiOptions, ApiResult } from '#lib/api/http.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';

export const PAGE_SIZE = 20;

/**
 * A wallet and its ledger, newest first, 20 entries at a time: the buyer's own (wallet page) or,
 * for staff, a customer's (`customerId`, the console's customer page). `guard` sees every answer.
 */
export class WalletState {
  readonly wallet: Resource<WalletView>;
  readonly entries: CursorList<LedgerEntryView>;

  constructor(
    store: string,
    query: WalletQuery,
    guard: <T>(pending: Promise<ApiResult<T>>) => Promise<ApiResult<T>>,
    options: Pick<ApiOptions, 'fetch'> = {},
  ) {
    this.wallet = new Resource((signal) => guard(fetchWallet(store, query, { ...options, signal })));
    this.entries = new CursorList((cursor, signal) =>
      guard(fetchWalletEntries(store, { ...query, limit: PAGE_SIZE, cursor }, { ...options, signal })),
    );
  }

  reload(): Promise<unknown> {
    return Promise.all([this.wallet.refresh(), this.entries.reload()]);
  }

  dispose(): void {
    this.wallet.dispose();
    this.entries.dispose();
  }
}
