/**
 * A month of billing against DynamoDB Local, driven by a manual clock: 100 services of 10
 * customers with starts, stops, resizes, cancellations and top-ups at random moments, swept once a
 * day (postings catch up 24 hours at a time). Writes fail at random — before they land, or after
 * (a worker stopped before it could acknowledge) — and are redone as SQS would redeliver; some
 * sweeps run twice, some items are processed twice at once. At the end every service's debits
 * equal an independent calculation to the hundredth of a credit, no (service, hour) is posted
 * twice, and every wallet's balance is the sum of its entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueAt } from '#shared/billing/accrual.ts';
import { decimal } from '#shared/catalog/money.ts';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import { IllegalTransitionError } from '#shared/subscriptions/lifecycle.ts';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { creditWallet } from '../credits/ledger-service.ts';
import type { StoredEntry } from '../credits/wallet.ts';
import type { WalletRef, WalletStore } from '../credits/wallet-store.ts';
import type { TransactItem } from '../data/transactions.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { createService, transition } from '../subscriptions/subscription-service.ts';
import type { DueItem } from './billing-store.ts';
import { dueWork, groupDueItems, processDueItems, type SweepDeps } from './sweep.ts';

async function* iterate<T>(items: T[]) {
  yield* items;
}

import { type BillingDeps, buildBillingDeps } from './table-billing.ts';

const START = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = START + 30 * DAY;
const tenant = { id: 'ten_time_travel' };
const system = { kind: 'system', id: 'test' } as const;

/** Deterministic randomness (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(20261123);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const rate = () =>
  decimal(Math.floor(rand() * 3_500_000) + 1)
    .div(1_000_000)
    .toString(); // 0.000001 … 3.5 credits/h
const iso = (ms: number) => new Date(ms).toISOString();

class WorkerStopped extends Error {}

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: BillingDeps;
let faulty: SweepDeps;
const faults = { before: 0, after: 0 };

/** Fails some writes before they land and some after (the answer is lost), at random. */
function unreliable<A extends unknown[], R>(write: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    const roll = rand();
    if (roll < 0.04) {
      faults.before++;
      throw new WorkerStopped('stopped before the write');
    }
    const result = await write(...args);
    if (roll > 0.93) {
      faults.after++;
      throw new WorkerStopped('stopped after the write, before acknowledging');
    }
    return result;
  };
}

/**
 * Redelivers like SQS until the work gets through. A transition that landed before its worker
 * stopped meets its own result on redelivery: the 409 the API would answer (stopping a stopped
 * service) means it is done.
 */
async function delivered(work: () => Promise<unknown>) {
  let stopped = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (stopped && error instanceof IllegalTransitionError) return undefined;
      if (!(error instanceof WorkerStopped) || attempt > 30) throw error;
      stopped = true;
    }
  }
}

beforeAll(async () => {
  table = await freshTable();
  const published: EventEnvelope[] = [];
  const clock = new ManualClock(iso(START));
  deps = buildBillingDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async (_source, events) => void published.push(...events) },
    cache: { view: () => Promise.reject(new Error('no catalog in this test')) },
    checkedBasket: () => Promise.reject(new Error('no basket in this test')),
    startWalk: async () => undefined,
  });
  const wallets = deps.ledger.wallets;
  const unreliableWallets: WalletStore = {
    get: (ref) => wallets.get(ref),
    write: unreliable(
      (tenantId: string, change: Parameters<WalletStore['write']>[1], also?: TransactItem[]) => {
        const services = new Set(change.entries.map((entry) => entry.reference?.id));
        if (change.entries.every((entry) => entry.type === 'debit') && services.size > 1) together++;
        return wallets.write(tenantId, change, also);
      },
    ),
    entryByKey: (ref, key) => wallets.entryByKey(ref, key),
    entries: (ref, page) => wallets.entries(ref, page),
    rateItem: (ref, id, value) => wallets.rateItem(ref, id, value),
    walletsOf: (tenantId, customerId) => wallets.walletsOf(tenantId, customerId),
  };
  faulty = {
    ...deps,
    commit: unreliable(deps.commit),
    ledger: { ...deps.ledger, wallets: unreliableWallets },
  };
});
afterAll(() => table.drop());

/** Wallet writes that debited several services at once. */
let together = 0;

type Plan = { at: number; run: () => Promise<unknown> };

/** Rate changes of one service as the test sees them, for the independent calculation. */
type Model = { changes: Array<{ at: number; rate: string }> };

async function allEntries(ref: WalletRef): Promise<StoredEntry[]> {
  const entries: StoredEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.wallets.entries(ref, { limit: 200, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

describe('a month of hourly billing', () => {
  it('debits every service exactly what it cost, through duplicates, crashes and double sweeps', async () => {
    const customers = Array.from({ length: 10 }, (_, index) => `cus_${index}`);
    const models = new Map<string, Model>();
    const plans: Plan[] = [];

    for (const customerId of customers) {
      const ref = { tenantId: tenant.id, customerId, currency: 'EUR' as const };
      await creditWallet(deps.ledger, ref, {
        type: 'purchase',
        amount: 3_000_000,
        reason: 'opening balance',
        actor: system,
        idempotencyKey: `open-${customerId}`,
        at: iso(START),
      });
      for (let topUp = 0; topUp < 3; topUp++) {
        const at = START + Math.floor(rand() * 29 * DAY);
        plans.push({
          at,
          run: () =>
            delivered(() =>
              creditWallet(faulty.ledger, ref, {
                type: pick(['purchase', 'grant'] as const),
                amount: 100_000 + Math.floor(rand() * 100_000),
                reason: 'top-up',
                actor: system,
                idempotencyKey: `top-up-${customerId}-${topUp}`,
                at: iso(at),
              }),
            ),
        });
      }
    }

    for (let index = 0; index < 100; index++) {
      const id = `sub_${String(index).padStart(26, '0')}`;
      const customerId = customers[index % customers.length] as string;
      const created = START + Math.floor(rand() * 2 * DAY);
      const price = (hourly: string, stoppedHourly: string) => ({
        currency: 'EUR' as const,
        hourly,
        stoppedHourly,
        monthlyEstimate: '0',
        setup: '0',
        credits: { hourly, stoppedHourly },
      });
      const initial = price(rate(), pick(['0', rate()]));
      let current = initial;
      let state: 'active' | 'stopped' | 'terminated' = 'active';
      const model: Model = { changes: [{ at: created, rate: current.hourly }] };
      models.set(id, model);
      plans.push({
        at: created,
        run: () =>
          delivered(() =>
            createService(
              faulty,
              tenant.id,
              {
                id,
                customerId,
                orderId: 'ord_test',
                product: { id: 'prd_test', slug: 'test', name: 'Test service', kind: 'iaas' },
                configuration: { dimensions: {}, options: {} },
                inputs: {},
                paymentMethod: 'credits',
                price: initial,
              },
              iso(created),
            ),
          ),
      });
      // Changes at random moments through the month, each valid in the state it meets.
      const times = Array.from(
        { length: 4 + Math.floor(rand() * 6) },
        () => created + 1 + Math.floor(rand() * (END - created - 1)),
      ).sort((a, b) => a - b);
      for (const at of times) {
        if (state === 'terminated') break;
        const action =
          rand() < 0.05 ? 'terminate' : rand() < 0.5 ? 'resize' : state === 'active' ? 'stop' : 'start';
        let request: Parameters<typeof transition>[3];
        if (action === 'resize') {
          current = price(rate(), pick(['0', rate()]));
          request = {
            action,
            actor: system,
            reason: 'resize',
            resize: { configuration: { dimensions: {}, options: {} }, price: current },
          };
        } else {
          request = { action, actor: system, reason: action };
        }
        if (action === 'stop') state = 'stopped';
        if (action === 'start') state = 'active';
        if (action === 'terminate') state = 'terminated';
        model.changes.push({
          at,
          rate: state === 'active' ? current.hourly : state === 'stopped' ? current.stoppedHourly : '0',
        });
        plans.push({ at, run: () => delivered(() => transition(faulty, tenant, id, request, iso(at))) });
      }
    }

    // Daily sweeps (and the last at the end of the month), every two hours on day 2 (a few hours
    // each: a customer's services fit one transaction); some run twice, some items twice at once.
    const sweeps = Array.from({ length: 30 }, (_, day) => START + (day + 1) * DAY);
    for (let at = START + DAY + 2 * HOUR; at < START + 2 * DAY; at += 2 * HOUR) sweeps.push(at);
    for (const [index, at] of sweeps.entries()) {
      const until = iso(at);
      const day = index;
      const twice = index % 7 === 0;
      plans.push({
        at,
        run: async () => {
          for (let round = 0; round < (twice ? 2 : 1); round++) {
            const items = await dueWork(deps, tenant.id, until);
            // As the queue carries them: a customer's services together (one transaction), or,
            // on odd days, one by one.
            const batches: DueItem[][] = [];
            if (day % 2 === 0)
              for await (const group of groupDueItems(iterate(items), 40)) batches.push(group);
            else batches.push(...items.map((item) => [item]));
            for (const batch of batches) {
              const process = () => delivered(() => processDueItems(faulty, tenant, batch, until));
              await (rand() < 0.1 ? Promise.all([process(), process()]) : process());
            }
          }
        },
      });
    }

    plans.sort((a, b) => a.at - b.at);
    for (const plan of plans) await plan.run();
    expect(faults.before + faults.after).toBeGreaterThan(50);
    // Several services of a customer were posted in one transaction, many times.
    expect(together).toBeGreaterThan(20);

    // The independent calculation: Σ rate × time over [change, next change) until the month's end.
    const debited = new Map<string, number>();
    const keys = new Set<string>();
    for (const customerId of customers) {
      const ref = { tenantId: tenant.id, customerId, currency: 'EUR' as const };
      const entries = await allEntries(ref);
      const wallet = (await deps.ledger.wallets.get(ref)) as NonNullable<
        Awaited<ReturnType<WalletStore['get']>>
      >;
      expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(wallet.funds.balance);
      for (const entry of entries) {
        expect(keys.has(entry.idempotencyKey), entry.idempotencyKey).toBe(false);
        keys.add(entry.idempotencyKey);
        if (entry.reference?.kind !== 'subscription') continue;
        debited.set(
          entry.reference.id,
          (debited.get(entry.reference.id) ?? 0) - entry.amount + (entry.shortfall ?? 0),
        );
      }
    }
    for (const [id, model] of models) {
      let rateMs = decimal(0);
      model.changes.forEach((change, index) => {
        const until = model.changes[index + 1]?.at ?? END;
        rateMs = rateMs.plus(decimal(change.rate).times(until - change.at));
      });
      // Half up, done by hand: credits are never negative, so half up is floor(x + 0.5).
      const expected = rateMs.div(HOUR).times(100).plus(0.5).floor().toNumber();
      expect(debited.get(id) ?? 0, id).toBe(expected);
      // Nothing left to post for the month: the next posting (if any) is after its end.
      const service = (await deps.subscriptions.get(tenant.id, id)) as StoredSubscription;
      expect((dueAt(service.accrual) ?? iso(END + HOUR)) > iso(END)).toBe(true);
    }
  }, 240_000);
});
