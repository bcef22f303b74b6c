/**
 * Every change of a wallet goes through here: read, apply the pure ledger rules, write wallet and
 * entries in one transaction conditional on the wallet's version, with an idempotency key per
 * entry. A lost race is retried; a key seen before means the change was made already.
 */
import type { BillingSettings } from '#shared/billing/settings.ts';
import { assertUnits, type CreditUnits, creditsToString } from '#shared/credits/credit-units.ts';
import { addLot, expireLots, LOT_PRIORITY, takeCredits } from '#shared/credits/ledger.ts';
import { ConflictError } from '#shared/errors.ts';
import type { EventEnvelope, EventPublisher } from '#shared/events/envelope.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Actor } from '#shared/subscriptions/lifecycle.ts';
import type { Clock } from '#shared/time/clock.ts';
import { backoff, type TransactItem } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import {
  type EntryReference,
  newWallet,
  runwayHours,
  type StoredEntry,
  type StoredWallet,
  walletDueAt,
} from './wallet.ts';
import type { WalletRef, WalletStore } from './wallet-store.ts';

export type LedgerDeps = {
  wallets: WalletStore;
  billingSettings(tenantId: string): Promise<BillingSettings>;
  events: EventPublisher;
  /** For ids only: ledger times come from the caller (the tenant's clock). */
  clock: Clock;
  /**
   * Wallets this instance wrote a moment ago. Safe to start from: every write is conditional on
   * the version, so a stale copy costs one failed write and a read. The hourly sweep posts many
   * services of one customer in a row; each then skips a read. (Its burn, which transitions
   * change without a new version, may be that moment old.)
   */
  recentWallets?: Map<string, { wallet: StoredWallet; writtenAt: number }>;
};

/** How long a wallet this instance wrote is used without reading it again. */
const RECENT_WALLET_MS = 5_000;
const RECENT_WALLETS_MAX = 10_000;
const walletKey = (ref: WalletRef) => `${ref.tenantId}/${ref.customerId}/${ref.currency}`;

async function currentWallet(deps: LedgerDeps, ref: WalletRef): Promise<StoredWallet | undefined> {
  const recent = deps.recentWallets?.get(walletKey(ref));
  if (recent && Date.now() - recent.writtenAt < RECENT_WALLET_MS) return recent.wallet;
  return deps.wallets.get(ref);
}

function remember(deps: LedgerDeps, ref: WalletRef, wallet: StoredWallet | undefined): void {
  const recent = deps.recentWallets;
  if (!recent) return;
  recent.delete(walletKey(ref));
  if (!wallet) return;
  if (recent.size >= RECENT_WALLETS_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(walletKey(ref), { wallet, writtenAt: Date.now() });
}

export const CREDITS_EVENT_SOURCE = 'nimbus.credits';
const MAX_ATTEMPTS = 100;

type Draft = Omit<StoredEntry, 'id' | 'customerId' | 'currency' | 'balanceAfter' | 'lots'> &
  Partial<Pick<StoredEntry, 'id' | 'lots'>>;

export type LedgerResult =
  | { kind: 'written'; wallet: StoredWallet; entries: StoredEntry[] }
  | { kind: 'duplicate' }
  | { kind: 'alsoFailed'; indexes: number[] };

/** Builds entries with ids and running balances as a change proceeds. */
export class ChangeBuilder {
  readonly entries: StoredEntry[] = [];
  constructor(
    public wallet: StoredWallet,
    private readonly clock: Clock,
  ) {}

  /** Records an entry after `wallet` has been updated to the state it leaves. */
  record(draft: Draft): StoredEntry {
    const entry: StoredEntry = {
      ...draft,
      id: draft.id ?? newId('led', this.clock),
      customerId: this.wallet.customerId,
      currency: this.wallet.currency,
      balanceAfter: this.wallet.funds.balance,
      lots: draft.lots ?? [],
    };
    this.entries.push(entry);
    return entry;
  }
}

/** Posts expiry entries for lots that have run out at `at` (always the first step of a change). */
function expireDue(change: ChangeBuilder, at: string): void {
  const lotsBefore = change.wallet.funds.lots;
  const { funds, expired } = expireLots(change.wallet.funds, at);
  let balance = change.wallet.funds.balance;
  for (const lot of expired) {
    balance -= lot.amount;
    change.wallet = { ...change.wallet, funds: { balance, lots: funds.lots } };
    change.record({
      type: 'expiry',
      amount: -lot.amount,
      at: lotsBefore.find((candidate) => candidate.id === lot.lotId)?.expiresAt ?? at,
      reason: 'Credits expired',
      actor: { kind: 'system', id: 'ledger' },
      idempotencyKey: `expiry#${lot.lotId}`,
      reference: { kind: 'entry', id: lot.lotId },
      lots: [lot],
    });
  }
}

/**
 * Runs `apply` against the current wallet until the write lands. `also` adds items that must be
 * written with the wallet (a service's billing state); if one of their conditions fails, nothing
 * is written and the caller decides.
 */
export async function changeWallet(
  deps: LedgerDeps,
  ref: WalletRef,
  apply: (change: ChangeBuilder, settings: BillingSettings) => void,
  options: { create?: boolean; also?: (wallet: StoredWallet) => TransactItem[]; at: string },
): Promise<LedgerResult> {
  const settings = await deps.billingSettings(ref.tenantId);
  for (let attempt = 1; ; attempt++) {
    const current = await currentWallet(deps, ref);
    if (!current && !options.create) {
      throw new ConflictError('no_wallet', `The customer has no ${ref.currency} credits yet`);
    }
    const before = current ?? newWallet(ref.customerId, ref.currency, options.at);
    const change = new ChangeBuilder(before, deps.clock);
    expireDue(change, options.at);
    apply(change, settings);
    if (change.entries.length === 0 && change.wallet === before)
      return { kind: 'written', wallet: before, entries: [] };
    const wallet = { ...change.wallet, version: before.version + 1 };
    const outcome = await deps.wallets.write(
      ref.tenantId,
      {
        wallet,
        expectedVersion: before.version,
        entries: change.entries,
        dueAt: walletDueAt(wallet, settings),
      },
      options.also?.(wallet),
    );
    if (outcome.kind === 'written') {
      remember(deps, ref, wallet);
      await publishWalletEvents(deps, ref, before, wallet, options.at);
      return { kind: 'written', wallet, entries: change.entries };
    }
    // Whatever failed, the next attempt (here or the caller's) reads the wallet afresh.
    remember(deps, ref, undefined);
    if (outcome.kind !== 'stale') return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`wallet ${ref.customerId}/${ref.currency} stayed contended`);
    await backoff(attempt);
  }
}

/** credits.low when the runway first drops under the threshold, credits.exhausted at zero. */
async function publishWalletEvents(
  deps: LedgerDeps,
  ref: WalletRef,
  before: StoredWallet,
  after: StoredWallet,
  at: string,
): Promise<void> {
  const events: EventEnvelope[] = [];
  const event = (type: string, data: Record<string, unknown>): EventEnvelope => ({
    id: newId('evt', deps.clock),
    type,
    time: at,
    tenant: ref.tenantId,
    subject: ref.customerId,
    schemaVersion: 1,
    data: {
      customerId: ref.customerId,
      currency: ref.currency,
      balance: creditsToString(after.funds.balance),
      ...data,
    },
  });
  if (after.topUpRequestedAt && after.topUpRequestedAt !== before.topUpRequestedAt && after.autoTopUp) {
    events.push(event('credits.top_up_due', { packId: after.autoTopUp.packId }));
  }
  if (after.exhaustedAt && !before.exhaustedAt) {
    events.push(event('credits.exhausted', { graceEndsAt: after.graceEndsAt }));
  } else if (after.lowRemindedAt && after.lowRemindedAt !== before.lowRemindedAt) {
    events.push(event('credits.low', { runwayHours: runwayHours(after) }));
  }
  if (events.length === 0) return;
  try {
    await deps.events.publish(CREDITS_EVENT_SOURCE, events);
  } catch (error) {
    // The ledger is the record; a lost notification must not undo or repeat a posted change.
    logger.error('wallet events not published', error as Error);
  }
}

/** After a debit: ask for the auto top-up, start the grace period at zero, remember a low runway once. */
function noteBalance(change: ChangeBuilder, settings: BillingSettings, at: string): void {
  const { autoTopUp, topUpRequestedAt } = change.wallet;
  if (autoTopUp && !topUpRequestedAt && change.wallet.funds.balance < autoTopUp.below) {
    change.wallet = { ...change.wallet, topUpRequestedAt: at };
  }
  const wallet = change.wallet;
  if (wallet.funds.balance === 0 && (wallet.shortfall > 0 || Object.keys(wallet.rates).length > 0)) {
    if (!wallet.exhaustedAt) {
      change.wallet = {
        ...wallet,
        exhaustedAt: at,
        graceEndsAt: new Date(Date.parse(at) + settings.graceHours * 3_600_000).toISOString(),
      };
    }
    return;
  }
  const runway = runwayHours(wallet);
  if (runway !== undefined && runway < settings.lowBalanceRunwayHours && !wallet.lowRemindedAt) {
    change.wallet = { ...wallet, lowRemindedAt: at };
  }
}

/**
 * After credits arrive: the grace period is over, a low runway may be fine again. An auto top-up
 * asked for is done once purchased credits arrive, or the balance is above its threshold again
 * (the next drop below asks anew).
 */
function noteTopUp(change: ChangeBuilder, settings: BillingSettings, purchased: boolean): void {
  const {
    exhaustedAt: _exhausted,
    graceEndsAt: _grace,
    topUpRequestedAt,
    lowRemindedAt,
    ...rest
  } = change.wallet;
  const runway = runwayHours(change.wallet);
  const stillLow = runway !== undefined && runway < settings.lowBalanceRunwayHours;
  const topUpPending =
    topUpRequestedAt !== undefined &&
    !purchased &&
    change.wallet.funds.balance < (change.wallet.autoTopUp?.below ?? 0);
  change.wallet = {
    ...rest,
    ...(stillLow && lowRemindedAt ? { lowRemindedAt } : {}),
    ...(topUpPending ? { topUpRequestedAt } : {}),
  };
}

export type CreditInput = {
  type: 'purchase' | 'bonus' | 'grant' | 'adjustment' | 'reversal';
  amount: CreditUnits;
  reason: string;
  actor: Actor;
  idempotencyKey: string;
  at: string;
  reference?: EntryReference;
  expiresAt?: string;
};

/**
 * Adds credits as a new lot; usage the balance could not cover earlier is taken from them first.
 * Returns the written entries (the credit first), or `duplicate`.
 */
export function creditWallet(
  deps: LedgerDeps,
  ref: WalletRef,
  input: CreditInput,
  also?: (wallet: StoredWallet) => TransactItem[],
) {
  assertUnits(input.amount);
  if (input.amount <= 0) throw new RangeError('credit a positive amount');
  return changeWallet(
    deps,
    ref,
    (change, settings) => {
      // The lot's id is its entry's: an expiry or a reversal points at the entry that brought it.
      const lotId = newId('led', deps.clock);
      change.wallet = {
        ...change.wallet,
        funds: addLot(change.wallet.funds, {
          id: lotId,
          source: input.type,
          remaining: input.amount,
          priority: LOT_PRIORITY[input.type],
          createdAt: input.at,
          ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        }),
      };
      const credit = change.record({
        id: lotId,
        type: input.type,
        amount: input.amount,
        at: input.at,
        reason: input.reason,
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        ...(input.reference ? { reference: input.reference } : {}),
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        lots: [{ lotId, amount: input.amount }],
      });
      if (change.wallet.shortfall > 0) {
        const taken = takeCredits(
          change.wallet.funds,
          Math.min(change.wallet.shortfall, change.wallet.funds.balance),
          input.at,
        );
        change.wallet = {
          ...change.wallet,
          funds: taken.funds,
          shortfall: change.wallet.shortfall - taken.taken,
        };
        change.record({
          type: 'debit',
          amount: -taken.taken,
          at: input.at,
          reason: 'Usage the balance could not cover earlier',
          actor: { kind: 'system', id: 'ledger' },
          idempotencyKey: `${input.idempotencyKey}#settle`,
          reference: { kind: 'entry', id: credit.id },
          lots: taken.allocations,
        });
      }
      if (change.wallet.funds.balance > 0)
        noteTopUp(change, settings, input.reference?.kind === 'creditPurchase');
    },
    { create: true, at: input.at, ...(also ? { also } : {}) },
  );
}

export type DebitInput = {
  /** The entry's id, when the caller must know it before the write (an order refers to it). */
  id?: string;
  type: 'debit' | 'adjustment';
  amount: CreditUnits;
  reason: string;
  actor: Actor;
  idempotencyKey: string;
  at: string;
  reference?: EntryReference;
};

/**
 * Takes credits within a change and records the entry; never below zero: what the balance cannot
 * cover is the entry's shortfall (and, for usage, the wallet's, taken from the next credits).
 */
export function recordDebit(change: ChangeBuilder, input: DebitInput): StoredEntry {
  assertUnits(input.amount);
  if (input.amount < 0) throw new RangeError('debit a positive amount');
  const taken = takeCredits(change.wallet.funds, input.amount, input.at);
  change.wallet = {
    ...change.wallet,
    funds: taken.funds,
    // Adjustments take what is there; only usage leaves a debt.
    shortfall: change.wallet.shortfall + (input.type === 'debit' ? taken.shortfall : 0),
  };
  return change.record({
    ...(input.id ? { id: input.id } : {}),
    type: input.type,
    amount: -taken.taken,
    at: input.at,
    reason: input.reason,
    actor: input.actor,
    idempotencyKey: input.idempotencyKey,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(taken.shortfall > 0 ? { shortfall: taken.shortfall } : {}),
    lots: taken.allocations,
  });
}

/**
 * Posts debits, in order, in one transaction (several hours of a service catching up, say):
 * the wallet notes a low runway or exhaustion at the debit where it happened.
 */
export function debitWallet(
  deps: LedgerDeps,
  ref: WalletRef,
  inputs: DebitInput | DebitInput[],
  options: { also?: (wallet: StoredWallet) => TransactItem[]; create?: boolean } = {},
) {
  const debits = Array.isArray(inputs) ? inputs : [inputs];
  const first = debits[0];
  if (!first) throw new RangeError('debit something');
  return changeWallet(
    deps,
    ref,
    (change, settings) => {
      for (const input of debits) {
        expireDue(change, input.at);
        recordDebit(change, input);
        noteBalance(change, settings, input.at);
      }
    },
    { at: first.at, ...options },
  );
}
