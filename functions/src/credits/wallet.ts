/**
 * A customer's wallet in one currency, as the credits context keeps it, and the pure rules around
 * it: burn, runway, status, when the sweep must come back.
 */

import type { BillingSettings } from '#shared/billing/settings.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { decimal, sumOf } from '#shared/catalog/money.ts';
import { type CreditUnits, creditsToString } from '#shared/credits/credit-units.ts';
import {
  type LedgerEntryType,
  type LotAllocation,
  nextExpiry,
  type WalletFunds,
} from '#shared/credits/ledger.ts';
import type { LedgerEntryView, WalletView } from '#shared/credits/wallet.ts';
import type { Actor } from '#shared/subscriptions/lifecycle.ts';

export type StoredWallet = {
  customerId: string;
  currency: CurrencyCode;
  funds: WalletFunds;
  /** Goes up by one with every ledger write; writes are conditional on it. */
  version: number;
  /** Credits per hour of each running service paid from this wallet (kept by the services). */
  rates: Record<string, string>;
  /** Usage the balance could not cover, taken from the next credits that arrive. */
  shortfall: CreditUnits;
  exhaustedAt?: string;
  graceEndsAt?: string;
  /** Services were suspended because the credits ran out: credits arriving resume them. */
  suspendedForCredits?: boolean;
  /** The buyer was last reminded that the balance runs low. */
  lowRemindedAt?: string;
  /** Auto top-up: when the balance drops below `below`, buy the pack with the saved card. */
  autoTopUp?: { below: CreditUnits; packId: string };
  /** A top-up was asked for (credits.top_up_due) and has not arrived yet: not asked again. */
  topUpRequestedAt?: string;
  createdAt: string;
};

export type EntryReference = NonNullable<LedgerEntryView['reference']>;

export type StoredEntry = {
  id: string;
  customerId: string;
  currency: CurrencyCode;
  type: LedgerEntryType;
  /** Signed units: in positive, out negative. */
  amount: CreditUnits;
  balanceAfter: CreditUnits;
  at: string;
  reason: string;
  actor: Actor;
  idempotencyKey: string;
  reference?: EntryReference;
  shortfall?: CreditUnits;
  expiresAt?: string;
  lots: LotAllocation[];
};

export const newWallet = (customerId: string, currency: CurrencyCode, at: string): StoredWallet => ({
  customerId,
  currency,
  funds: { balance: 0, lots: [] },
  version: 0,
  rates: {},
  shortfall: 0,
  createdAt: at,
});

/** Credits per hour the wallet's running services use now. */
export function burnPerHour(wallet: StoredWallet) {
  return sumOf(Object.values(wallet.rates).map((rate) => decimal(rate)));
}

/** Hours the balance lasts at the current burn; undefined when nothing burns. */
export function runwayHours(wallet: StoredWallet): number | undefined {
  const burn = burnPerHour(wallet);
  if (burn.isZero()) return undefined;
  return decimal(wallet.funds.balance).div(100).div(burn).toDecimalPlaces(1).toNumber();
}

export function walletStatus(wallet: StoredWallet, settings: BillingSettings): WalletView['status'] {
  if (wallet.exhaustedAt || wallet.suspendedForCredits) return 'exhausted';
  const runway = runwayHours(wallet);
  return runway !== undefined && runway < settings.lowBalanceRunwayHours ? 'low' : 'ok';
}

/** Reminders while the balance stays low: once a day. */
export const LOW_BALANCE_REMINDER_MS = 24 * 3_600_000;

/** When the sweep must look at the wallet again: a lot expires, grace ends, a reminder is due. */
export function walletDueAt(wallet: StoredWallet, settings: BillingSettings): string | undefined {
  const candidates = [nextExpiry(wallet.funds), wallet.graceEndsAt];
  if (wallet.lowRemindedAt && walletStatus(wallet, settings) === 'low') {
    candidates.push(new Date(Date.parse(wallet.lowRemindedAt) + LOW_BALANCE_REMINDER_MS).toISOString());
  }
  if (wallet.suspendedForCredits && wallet.funds.balance > 0) candidates.push(wallet.createdAt);
  return candidates.filter((at): at is string => at !== undefined).sort()[0];
}

export function walletView(wallet: StoredWallet, settings: BillingSettings): WalletView {
  const runway = runwayHours(wallet);
  return {
    customerId: wallet.customerId,
    currency: wallet.currency,
    balance: creditsToString(wallet.funds.balance),
    creditPrice: settings.creditPrices[wallet.currency] ?? '1.00',
    burnPerHour: burnPerHour(wallet).toString(),
    ...(runway === undefined ? {} : { runwayHours: runway }),
    status: walletStatus(wallet, settings),
    shortfall: creditsToString(wallet.shortfall),
    ...(wallet.exhaustedAt ? { exhaustedAt: wallet.exhaustedAt } : {}),
    ...(wallet.graceEndsAt ? { graceEndsAt: wallet.graceEndsAt } : {}),
    ...(wallet.autoTopUp
      ? {
          autoTopUp: {
            belowCredits: creditsToString(wallet.autoTopUp.below),
            packId: wallet.autoTopUp.packId,
            ...(wallet.topUpRequestedAt ? { requestedAt: wallet.topUpRequestedAt } : {}),
          },
        }
      : {}),
    lots: wallet.funds.lots.map((lot) => ({
      source: lot.source,
      remaining: creditsToString(lot.remaining),
      ...(lot.expiresAt ? { expiresAt: lot.expiresAt } : {}),
    })),
  };
}

export function entryView(entry: StoredEntry): LedgerEntryView {
  return {
    id: entry.id,
    type: entry.type,
    amount: creditsToString(entry.amount),
    balanceAfter: creditsToString(entry.balanceAfter),
    at: entry.at,
    reason: entry.reason,
    actor: entry.actor,
    ...(entry.reference ? { reference: entry.reference } : {}),
    ...(entry.shortfall ? { shortfall: creditsToString(entry.shortfall) } : {}),
    ...(entry.expiresAt ? { expiresAt: entry.expiresAt } : {}),
  };
}
