import * as z from 'zod';
import { CurrencyCode } from '../catalog/money.ts';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import type { Grant } from '../identity/access.ts';
import { storeParams } from '../tenants/api.ts';
import { CreditPack, CreditPackId, CreditPackInput, CreditPackList } from './packs.ts';
import { GrantRequest, LedgerEntryView, WalletView } from './wallet.ts';

const tags = ['credits'];

/** Balances and ledgers: buyers with finance:view (their own), finance staff (any customer's). */
export const VIEW_WALLETS: Grant[] = [
  { kind: 'buyer', permission: 'finance:view' },
  { kind: 'staff', permission: 'finance:read' },
  { kind: 'apiKey', scope: 'finance:view' },
];

const walletQuery = z
  .object({
    /** Default: the store's default currency. */
    currency: CurrencyCode.optional(),
    /** Staff only: whose wallet. */
    customerId: z.string().max(64).optional(),
  })
  .strict();

export const getWallet = defineOperation({
  operationId: 'getWallet',
  method: 'GET',
  path: '/api/v1/stores/{store}/wallet',
  summary: 'Credit balance, burn per hour, runway and status of a wallet',
  tags,
  access: VIEW_WALLETS,
  request: { params: storeParams, query: walletQuery },
  responses: { 200: WalletView },
});

export const listWalletEntries = defineOperation({
  operationId: 'listWalletEntries',
  method: 'GET',
  path: '/api/v1/stores/{store}/wallet/entries',
  summary: 'The wallet’s ledger, newest first',
  tags,
  access: VIEW_WALLETS,
  request: { params: storeParams, query: walletQuery.extend(pageQuery.shape) },
  responses: { 200: pageOf(LedgerEntryView) },
});

export const grantCredits = defineOperation({
  operationId: 'grantCredits',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/customers/{customerId}/wallet/grants',
  summary: 'Give a customer credits (cashback, promotion, goodwill) or adjust their balance',
  description:
    'Send an `Idempotency-Key`: a retry posts once. A negative adjustment takes what is there and ' +
    'never makes the balance negative.',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  idempotent: true,
  request: { params: storeParams.extend({ customerId: z.string().min(1).max(64) }), body: GrantRequest },
  responses: { 201: LedgerEntryView },
});

export const listCreditPacks = defineOperation({
  operationId: 'listCreditPacks',
  method: 'GET',
  path: '/api/v1/stores/{store}/credit-packs',
  summary: 'The credit packs on sale, with their net prices (VAT is added at purchase)',
  description:
    'Public, like the catalog. Staff with `finance:read` may add `includeInactive=true` to see every pack.',
  tags,
  access: PUBLIC,
  request: {
    params: storeParams,
    query: z
      .object({
        /** Only packs priced in this currency. */
        currency: CurrencyCode.optional(),
        includeInactive: z.enum(['true', 'false']).optional(),
      })
      .strict(),
  },
  responses: { 200: CreditPackList },
});

export const upsertCreditPack = defineOperation({
  operationId: 'upsertCreditPack',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/credit-packs/{packId}',
  summary: 'Create or replace a credit pack: credits, bonus credits, net prices, cashback, active',
  description:
    'Every price must be in a currency the store sells credits in (billing settings), with no more ' +
    'decimals than the currency. Send `expectedRevision` to get a 409 instead of overwriting a change.',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  request: { params: storeParams.extend({ packId: CreditPackId }), body: CreditPackInput },
  responses: { 200: CreditPack },
});
