/** A customer's wallet of credits in one currency, and its append-only ledger. */
import * as z from 'zod';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';
import { ActorView } from '../subscriptions/subscription.ts';
import { CreditAmount, SignedCreditAmount } from './credit-units.ts';
import { LEDGER_ENTRY_TYPES } from './ledger.ts';

export const WalletStatus = z.enum(['ok', 'low', 'exhausted']).meta({ id: 'WalletStatus' });

export const WalletView = z
  .object({
    customerId: z.string(),
    currency: CurrencyCode,
    balance: CreditAmount,
    /** What one credit costs in the wallet's currency. */
    creditPrice: DecimalString,
    /** Credits per hour the customer's running services use now. */
    burnPerHour: DecimalString,
    /** Hours the balance lasts at the current burn; absent when nothing burns. */
    runwayHours: z.number().optional(),
    status: WalletStatus,
    /** Usage the balance could not cover (taken from the next top-up). */
    shortfall: CreditAmount,
    exhaustedAt: z.iso.datetime().optional(),
    /** Services are suspended then unless credits arrive. */
    graceEndsAt: z.iso.datetime().optional(),
    /** Below `belowCredits` the pack is bought with the saved card; `requestedAt` while on its way. */
    autoTopUp: z
      .object({ belowCredits: CreditAmount, packId: z.string(), requestedAt: z.iso.datetime().optional() })
      .strict()
      .optional(),
    lots: z.array(
      z
        .object({
          source: z.enum(['grant', 'bonus', 'adjustment', 'purchase', 'reversal']),
          remaining: CreditAmount,
          expiresAt: z.iso.datetime().optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'Wallet' });
export type WalletView = z.infer<typeof WalletView>;

export const LedgerEntryView = z
  .object({
    id: z.string(),
    type: z.enum(LEDGER_ENTRY_TYPES),
    /** Signed: credits in are positive, credits out negative. */
    amount: SignedCreditAmount,
    balanceAfter: CreditAmount,
    at: z.iso.datetime(),
    reason: z.string(),
    actor: ActorView,
    /** What the entry is about: a subscription hour, an order, an incident, a corrected entry. */
    reference: z
      .object({
        kind: z.enum(['subscription', 'order', 'incident', 'entry', 'pack', 'invoice', 'creditPurchase']),
        id: z.string(),
        hour: z.iso.datetime().optional(),
        /** With an incident: the service the credit is for. */
        subscription: z.string().optional(),
        /** With a subscription hour of metered usage: the counter (egress_gb). */
        metric: z.string().optional(),
      })
      .strict()
      .optional(),
    /** A debit larger than the balance: what it could not take. */
    shortfall: CreditAmount.optional(),
    expiresAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'LedgerEntry' });
export type LedgerEntryView = z.infer<typeof LedgerEntryView>;

export const GrantRequest = z
  .object({
    currency: CurrencyCode,
    /** Positive; an adjustment may be negative (it takes what is there). */
    amount: SignedCreditAmount,
    type: z.enum(['grant', 'adjustment']).default('grant'),
    /** Why (shown to the buyer): "Cashback for October", "Correction of invoice 2026-0042". */
    reason: z.string().trim().min(3).max(500),
    expiresAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'GrantRequest' });
export type GrantRequest = z.infer<typeof GrantRequest>;
