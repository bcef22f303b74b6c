/**
 * Credit wallets (`/api/v1/stores/{store}/wallet...`): balance, burn, runway and status, and the
 * ledger page by page; staff read any customer's (`customerId`) and grant or adjust credits
 * (`admin/customers/{id}/wallet/grants`, finance:manage). Answers are checked with the shared schemas.
 */
import type * as z from 'zod';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { CreditPack, type CreditPackInput, CreditPackList } from '#shared/credits/packs.ts';
import { type GrantRequest, LedgerEntryView, WalletView } from '#shared/credits/wallet.ts';
import { pageOf } from '#shared/http/paging.ts';
import { type ApiOptions, type ApiResult, getJson, postOnce, requestJson } from './http.ts';
import { adminPath, storePath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type { CreditPack, LedgerEntryView, WalletView };
/** What the console sends to create or replace a pack (defaults filled in by the API). */
export type CreditPackBody = z.input<typeof CreditPackInput>;
export type WalletStatus = WalletView['status'];
export type LedgerEntryType = LedgerEntryView['type'];
/** What the console sends to grant credits (the type defaults to grant). */
export type Grant = z.input<typeof GrantRequest>;

export const parseWallet = schemaParser(WalletView);
export const parseLedgerEntry = schemaParser(LedgerEntryView);
export const parseEntryPage = schemaParser(pageOf(LedgerEntryView)) as (
  body: unknown,
) => CursorPage<LedgerEntryView> | undefined;

export const parseCreditPack = schemaParser(CreditPack);
export const parseCreditPackList = schemaParser(CreditPackList);

export type WalletQuery = {
  /** Default: the store's default currency. */
  currency?: CurrencyCode | undefined;
  /** Staff only: whose wallet. */
  customerId?: string | undefined;
};

function walletSearch(query: WalletQuery, page?: { limit?: number; cursor?: string | undefined }): string {
  const search = new URLSearchParams();
  if (query.currency) search.set('currency', query.currency);
  if (query.customerId) search.set('customerId', query.customerId);
  if (page) search.set('limit', String(page.limit ?? 20));
  if (page?.cursor) search.set('cursor', page.cursor);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `GET wallet` (buyers with finance:view; staff with finance:read and a `customerId`). */
export function fetchWallet(
  store: string,
  query: WalletQuery = {},
  options?: ApiOptions,
): Promise<ApiResult<WalletView>> {
  return getJson(storePath(store, `/wallet${walletSearch(query)}`), parseWallet, options);
}

/** `GET wallet/entries`, newest first. */
export function fetchWalletEntries(
  store: string,
  query: WalletQuery & { limit?: number; cursor?: string | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<LedgerEntryView>>> {
  const { limit, cursor, ...wallet } = query;
  return getJson(
    storePath(store, `/wallet/entries${walletSearch(wallet, { ...(limit ? { limit } : {}), cursor })}`),
    parseEntryPage,
    options,
  );
}

/** `POST admin/customers/{id}/wallet/grants` (201): one entry; keep the key across retries. */
export function grantCredits(
  store: string,
  customerId: string,
  grant: Grant,
  options: ApiOptions & { idempotencyKey?: string } = {},
): Promise<ApiResult<LedgerEntryView>> {
  return postOnce(
    adminPath(store, `/customers/${encodeURIComponent(customerId)}/wallet/grants`),
    parseLedgerEntry,
    grant,
    options,
  );
}

/**
 * `GET credit-packs` (public): the active packs by position, net prices (VAT is added at purchase).
 * Staff with finance:read add `includeInactive` to see every pack.
 */
export async function fetchCreditPacks(
  store: string,
  query: { includeInactive?: boolean; currency?: CurrencyCode | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<CreditPack[]>> {
  const search = new URLSearchParams();
  if (query.includeInactive) search.set('includeInactive', 'true');
  if (query.currency) search.set('currency', query.currency);
  const text = search.toString();
  const result = await getJson(
    storePath(store, `/credit-packs${text ? `?${text}` : ''}`),
    parseCreditPackList,
    options,
  );
  return result.ok ? { ...result, data: result.data.items } : result;
}

/** `PUT admin/credit-packs/{packId}` (finance:manage): creates or replaces the pack. 409 on a stale `expectedRevision`. */
export function saveCreditPack(
  store: string,
  packId: string,
  pack: CreditPackBody,
  options?: ApiOptions,
): Promise<ApiResult<CreditPack>> {
  return requestJson(adminPath(store, `/credit-packs/${encodeURIComponent(packId)}`), parseCreditPack, {
    ...options,
    method: 'PUT',
    body: pack,
  });
}
