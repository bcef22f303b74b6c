/**
 * Ledger arithmetic of a wallet, pure. A wallet's credits sit in lots (one per purchase, bonus,
 * grant…), each with what remains of it, a priority and maybe an expiry. Taking credits uses lots
 * in order: lower priority number first (grants and bonuses before paid credits), then the one
 * expiring soonest, then the oldest. The balance is always the sum of what remains in the lots,
 * and never below zero: a debit larger than the balance takes what is there and reports the
 * shortfall.
 */
import { assertUnits, type CreditUnits } from './credit-units.ts';

export const LEDGER_ENTRY_TYPES = [
  'purchase',
  'bonus',
  'grant',
  'debit',
  'expiry',
  'adjustment',
  'reversal',
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/** Which credits go first (lower first): free credits before paid ones, so buyers keep what they paid for longest. */
export const LOT_PRIORITY: Record<'grant' | 'bonus' | 'adjustment' | 'purchase' | 'reversal', number> = {
  grant: 10,
  bonus: 20,
  adjustment: 30,
  reversal: 40,
  purchase: 40,
};

export type CreditLot = {
  id: string;
  /** Where the credits came from. */
  source: keyof typeof LOT_PRIORITY;
  /** Units left in the lot; lots at zero are dropped. */
  remaining: CreditUnits;
  priority: number;
  createdAt: string;
  expiresAt?: string;
};

export type WalletFunds = { balance: CreditUnits; lots: CreditLot[] };

export const EMPTY_FUNDS: WalletFunds = { balance: 0, lots: [] };

export type LotAllocation = { lotId: string; amount: CreditUnits };

const byUseOrder = (a: CreditLot, b: CreditLot): number =>
  a.priority - b.priority ||
  (a.expiresAt ?? '\uffff').localeCompare(b.expiresAt ?? '\uffff') ||
  a.createdAt.localeCompare(b.createdAt) ||
  a.id.localeCompare(b.id);

/** Adds credits as a new lot. */
export function addLot(funds: WalletFunds, lot: CreditLot): WalletFunds {
  assertUnits(lot.remaining);
  if (lot.remaining <= 0) throw new RangeError('a lot holds more than zero credits');
  if (funds.lots.some((existing) => existing.id === lot.id)) throw new Error(`lot ${lot.id} exists`);
  return { balance: funds.balance + lot.remaining, lots: [...funds.lots, lot].sort(byUseOrder) };
}

const isExpired = (lot: CreditLot, at: string): boolean => lot.expiresAt !== undefined && lot.expiresAt <= at;

/**
 * Takes up to `amount` units, lot by lot in use order, skipping lots expired at `at` (post their
 * expiry first with {@link expireLots}). What could not be taken is the shortfall.
 *
 * @example takeCredits({ balance: 500, lots }, 800, now) // { taken: 500, shortfall: 300, … }
 */
export function takeCredits(
  funds: WalletFunds,
  amount: CreditUnits,
  at: string,
): { funds: WalletFunds; taken: CreditUnits; shortfall: CreditUnits; allocations: LotAllocation[] } {
  assertUnits(amount);
  if (amount < 0) throw new RangeError('take a positive amount');
  let wanted = amount;
  const allocations: LotAllocation[] = [];
  const lots: CreditLot[] = [];
  for (const lot of funds.lots) {
    if (wanted === 0 || isExpired(lot, at)) {
      lots.push(lot);
      continue;
    }
    const used = Math.min(lot.remaining, wanted);
    wanted -= used;
    allocations.push({ lotId: lot.id, amount: used });
    if (lot.remaining > used) lots.push({ ...lot, remaining: lot.remaining - used });
  }
  const taken = amount - wanted;
  return { funds: { balance: funds.balance - taken, lots }, taken, shortfall: wanted, allocations };
}

/** Takes what is left of one lot (a refunded purchase, a reversed grant). */
export function takeFromLot(
  funds: WalletFunds,
  lotId: string,
  amount: CreditUnits,
): { funds: WalletFunds; taken: CreditUnits } {
  assertUnits(amount);
  if (amount < 0) throw new RangeError('take a positive amount');
  const lot = funds.lots.find((candidate) => candidate.id === lotId);
  if (!lot) return { funds, taken: 0 };
  const taken = Math.min(lot.remaining, amount);
  const lots = funds.lots.flatMap((candidate) =>
    candidate.id !== lotId
      ? [candidate]
      : candidate.remaining > taken
        ? [{ ...candidate, remaining: candidate.remaining - taken }]
        : [],
  );
  return { funds: { balance: funds.balance - taken, lots }, taken };
}

/** Lots that have expired at `at` with credits left: each becomes one expiry entry. */
export function expireLots(funds: WalletFunds, at: string): { funds: WalletFunds; expired: LotAllocation[] } {
  const expired = funds.lots
    .filter((lot) => isExpired(lot, at))
    .map((lot) => ({ lotId: lot.id, amount: lot.remaining }));
  if (expired.length === 0) return { funds, expired };
  const lots = funds.lots.filter((lot) => !isExpired(lot, at));
  const gone = expired.reduce((sum, lot) => sum + lot.amount, 0);
  return { funds: { balance: funds.balance - gone, lots }, expired };
}

/** The earliest expiry among lots with credits left, for the sweep to come back then. */
export function nextExpiry(funds: WalletFunds): string | undefined {
  let next: string | undefined;
  for (const lot of funds.lots) if (lot.expiresAt && (!next || lot.expiresAt < next)) next = lot.expiresAt;
  return next;
}

/** The invariant every wallet keeps: balance = what remains in its lots, nothing negative. */
export function checkFunds(funds: WalletFunds): void {
  const sum = funds.lots.reduce((total, lot) => total + lot.remaining, 0);
  if (sum !== funds.balance) throw new Error(`balance ${funds.balance} ≠ sum of lots ${sum}`);
  if (funds.balance < 0 || funds.lots.some((lot) => lot.remaining <= 0))
    throw new Error('negative or empty lot');
}
