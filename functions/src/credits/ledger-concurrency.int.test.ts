/**
 * The ledger under contention and repetition, against DynamoDB Local: 50 debits at once on one
 * wallet lose no update; the same debit sent twice posts once; balance = sum of entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BILLING_SETTINGS } from '#shared/billing/settings.ts';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import { systemClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { DynamoDbWalletStore } from './adapters/dynamodb-wallet-store.ts';
import { creditWallet, debitWallet, type LedgerDeps } from './ledger-service.ts';
import type { WalletRef } from './wallet-store.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: LedgerDeps;
const published: EventEnvelope[] = [];

beforeAll(async () => {
  table = await freshTable();
  deps = {
    wallets: new DynamoDbWalletStore(table.documentClient, table.tableName),
    billingSettings: async () => DEFAULT_BILLING_SETTINGS,
    events: { publish: async (_source, events) => void published.push(...events) },
    clock: systemClock,
  };
});
afterAll(() => table.drop());

const system = { kind: 'system', id: 'test' } as const;
const at = '2026-11-23T10:00:00.000Z';

async function sumOfEntries(ref: WalletRef): Promise<number> {
  let sum = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.wallets.entries(ref, { limit: 100, cursor });
    sum += page.items.reduce((total, entry) => total + entry.amount, 0);
    cursor = page.nextCursor;
  } while (cursor);
  return sum;
}

describe('the credit ledger on DynamoDB', () => {
  it('takes 50 concurrent debits on one wallet without losing one', async () => {
    const ref: WalletRef = { tenantId: 'ten_concurrent', customerId: 'cus_1', currency: 'EUR' };
    await creditWallet(deps, ref, {
      type: 'purchase',
      amount: 10_000,
      reason: 'pack',
      actor: system,
      idempotencyKey: 'buy-1',
      at,
    });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        debitWallet(deps, ref, {
          type: 'debit',
          amount: 137,
          reason: `hour ${index}`,
          actor: system,
          idempotencyKey: `debit-${index}`,
          at,
        }),
      ),
    );
    expect(results.every((result) => result.kind === 'written')).toBe(true);
    const wallet = await deps.wallets.get(ref);
    expect(wallet?.funds.balance).toBe(10_000 - 50 * 137);
    expect(await sumOfEntries(ref)).toBe(wallet?.funds.balance);
  });

  it('posts a debit sent twice once, and never goes below zero', async () => {
    const ref: WalletRef = { tenantId: 'ten_repeat', customerId: 'cus_1', currency: 'EUR' };
    await creditWallet(deps, ref, {
      type: 'grant',
      amount: 500,
      reason: 'welcome',
      actor: system,
      idempotencyKey: 'grant-1',
      at,
    });
    const debit = {
      type: 'debit' as const,
      amount: 300,
      reason: 'hour',
      actor: system,
      idempotencyKey: 'sub_1#10:00',
      at,
    };
    const [first, second] = await Promise.all([debitWallet(deps, ref, debit), debitWallet(deps, ref, debit)]);
    expect([first.kind, second.kind].sort()).toEqual(['duplicate', 'written']);
    expect((await deps.wallets.get(ref))?.funds.balance).toBe(200);

    const short = await debitWallet(deps, ref, { ...debit, idempotencyKey: 'sub_1#11:00' });
    expect(short.kind === 'written' && short.entries.at(-1)).toMatchObject({ amount: -200, shortfall: 100 });
    const wallet = await deps.wallets.get(ref);
    expect(wallet).toMatchObject({ funds: { balance: 0 }, shortfall: 100 });
    expect(wallet?.exhaustedAt).toBe(at);
    expect(published.map((event) => event.type)).toContain('credits.exhausted');
    expect(await sumOfEntries(ref)).toBe(0);

    // The next credits pay the shortfall first.
    await creditWallet(deps, ref, {
      type: 'purchase',
      amount: 1_000,
      reason: 'pack',
      actor: system,
      idempotencyKey: 'buy-2',
      at,
    });
    const paid = await deps.wallets.get(ref);
    expect(paid).toMatchObject({ funds: { balance: 900 }, shortfall: 0 });
    expect(paid?.exhaustedAt).toBeUndefined();
    expect(await sumOfEntries(ref)).toBe(900);
  });
});
