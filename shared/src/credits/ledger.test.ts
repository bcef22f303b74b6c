import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLot,
  type CreditLot,
  checkFunds,
  EMPTY_FUNDS,
  expireLots,
  type LedgerEntryType,
  LOT_PRIORITY,
  nextExpiry,
  takeCredits,
  takeFromLot,
  type WalletFunds,
} from './ledger.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
/** The instant `hours` after T0 (fractions allowed). */
const at = (hours: number): string => new Date(T0 + hours * HOUR).toISOString();

type Source = CreditLot['source'];
const SOURCES = Object.keys(LOT_PRIORITY) as Source[];

function lot(
  id: string,
  source: Source,
  remaining: number,
  createdAt: string,
  expiresAt?: string,
): CreditLot {
  const made: CreditLot = { id, source, remaining, priority: LOT_PRIORITY[source], createdAt };
  return expiresAt === undefined ? made : { ...made, expiresAt };
}

const fundsOf = (...lots: CreditLot[]): WalletFunds => lots.reduce(addLot, EMPTY_FUNDS);
const ids = (funds: WalletFunds): string[] => funds.lots.map((each) => each.id);

/** Use order written out independently of ledger.ts: priority, expiry (none = last), age, id. */
function comesBefore(a: CreditLot, b: CreditLot): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (a.expiresAt !== b.expiresAt) {
    if (a.expiresAt === undefined) return false;
    if (b.expiresAt === undefined) return true;
    return a.expiresAt < b.expiresAt;
  }
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.id < b.id;
}

describe('addLot', () => {
  it('adds the lot to the balance', () => {
    const funds = fundsOf(lot('a', 'purchase', 500, at(0)), lot('b', 'bonus', 120, at(1)));
    expect(funds.balance).toBe(620);
    expect(() => checkFunds(funds)).not.toThrow();
  });

  it('refuses an empty, negative or fractional lot and a lot id twice', () => {
    expect(() => addLot(EMPTY_FUNDS, lot('a', 'purchase', 0, at(0)))).toThrow(RangeError);
    expect(() => addLot(EMPTY_FUNDS, lot('a', 'purchase', -5, at(0)))).toThrow(RangeError);
    expect(() => addLot(EMPTY_FUNDS, lot('a', 'purchase', 1.5, at(0)))).toThrow(RangeError);
    const funds = fundsOf(lot('a', 'purchase', 100, at(0)));
    expect(() => addLot(funds, lot('a', 'grant', 100, at(1)))).toThrow('lot a exists');
  });
});

describe('use order', () => {
  const lots = [
    lot('paid-old', 'purchase', 100, at(0)),
    lot('paid-expiring', 'purchase', 100, at(5), at(100)),
    lot('bonus', 'bonus', 100, at(10)),
    lot('adjustment', 'adjustment', 100, at(11)),
    lot('grant-late', 'grant', 100, at(3), at(200)),
    lot('grant-soon', 'grant', 100, at(4), at(50)),
    lot('grant-young', 'grant', 100, at(2)),
    lot('grant-old', 'grant', 100, at(1)),
  ];
  const expected = [
    'grant-soon', // grants first, soonest expiry first
    'grant-late',
    'grant-old', // then grants that never expire, oldest first
    'grant-young',
    'bonus',
    'adjustment',
    'paid-expiring', // paid credits last, the expiring one before the one that keeps
    'paid-old',
  ];

  it('is priority, then expiry soonest, then oldest', () => {
    expect(ids(fundsOf(...lots))).toEqual(expected);
  });

  it('does not depend on the order the lots came in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(lots, { minLength: lots.length }), (shuffled) => {
        expect(ids(fundsOf(...shuffled))).toEqual(expected);
      }),
    );
  });

  it('is the order takeCredits uses them in', () => {
    const { allocations } = takeCredits(fundsOf(...lots), 750, at(20));
    expect(allocations.map((each) => each.lotId)).toEqual(expected);
    expect(allocations.map((each) => each.amount)).toEqual([100, 100, 100, 100, 100, 100, 100, 50]);
  });
});

describe('takeCredits', () => {
  const funds = fundsOf(lot('grant', 'grant', 300, at(0)), lot('paid', 'purchase', 500, at(0)));

  it('takes from the first lot and leaves the rest of it', () => {
    const result = takeCredits(funds, 200, at(1));
    expect(result).toMatchObject({
      taken: 200,
      shortfall: 0,
      allocations: [{ lotId: 'grant', amount: 200 }],
    });
    expect(result.funds.balance).toBe(600);
    expect(result.funds.lots.map((each) => [each.id, each.remaining])).toEqual([
      ['grant', 100],
      ['paid', 500],
    ]);
  });

  it('drops lots it empties', () => {
    const result = takeCredits(funds, 400, at(1));
    expect(result.allocations).toEqual([
      { lotId: 'grant', amount: 300 },
      { lotId: 'paid', amount: 100 },
    ]);
    expect(result.funds).toEqual({ balance: 400, lots: [{ ...funds.lots[1], remaining: 400 }] });
  });

  it('never goes below zero: takes what is there and reports the shortfall', () => {
    const result = takeCredits(funds, 1100, at(1));
    expect(result).toMatchObject({ taken: 800, shortfall: 300, funds: { balance: 0, lots: [] } });
    expect(takeCredits(EMPTY_FUNDS, 50, at(1))).toMatchObject({ taken: 0, shortfall: 50, allocations: [] });
  });

  it('takes nothing for nothing and refuses negative or fractional amounts', () => {
    expect(takeCredits(funds, 0, at(1))).toMatchObject({ funds, taken: 0, shortfall: 0, allocations: [] });
    expect(() => takeCredits(funds, -1, at(1))).toThrow(RangeError);
    expect(() => takeCredits(funds, 0.5, at(1))).toThrow(RangeError);
  });

  it('skips lots expired at the time of the debit, from the instant they expire', () => {
    const expiring = fundsOf(lot('grant', 'grant', 300, at(0), at(10)), lot('paid', 'purchase', 500, at(0)));
    expect(takeCredits(expiring, 100, at(10)).allocations).toEqual([{ lotId: 'paid', amount: 100 }]);
    expect(takeCredits(expiring, 100, at(10 - 1 / HOUR)).allocations).toEqual([
      { lotId: 'grant', amount: 100 },
    ]);
    const result = takeCredits(expiring, 900, at(11));
    expect(result).toMatchObject({ taken: 500, shortfall: 400 });
    expect(result.funds.lots).toEqual([expiring.lots[0]]); // left for expireLots to post
  });
});

describe('expireLots', () => {
  const funds = fundsOf(
    lot('soon', 'grant', 300, at(0), at(10)),
    lot('later', 'bonus', 200, at(0), at(20)),
    lot('never', 'purchase', 500, at(0)),
  );

  it('removes the lots expired at `at` and reports what was left in each', () => {
    const result = expireLots(funds, at(10));
    expect(result.expired).toEqual([{ lotId: 'soon', amount: 300 }]);
    expect(result.funds.balance).toBe(700);
    expect(ids(result.funds)).toEqual(['later', 'never']);
    const both = expireLots(funds, at(30));
    expect(both.expired).toEqual([
      { lotId: 'soon', amount: 300 },
      { lotId: 'later', amount: 200 },
    ]);
    expect(both.funds).toEqual({ balance: 500, lots: [funds.lots[2]] });
  });

  it('expires only what is left of a lot', () => {
    const used = takeCredits(funds, 250, at(5)).funds;
    expect(expireLots(used, at(10)).expired).toEqual([{ lotId: 'soon', amount: 50 }]);
  });

  it('leaves the funds alone when nothing has expired', () => {
    const result = expireLots(funds, at(9));
    expect(result.expired).toEqual([]);
    expect(result.funds).toBe(funds);
  });
});

describe('takeFromLot', () => {
  const funds = fundsOf(lot('grant', 'grant', 300, at(0)), lot('paid', 'purchase', 500, at(0)));

  it('takes from that lot only, whatever the use order', () => {
    const result = takeFromLot(funds, 'paid', 200);
    expect(result.taken).toBe(200);
    expect(result.funds.balance).toBe(600);
    expect(result.funds.lots.map((each) => [each.id, each.remaining])).toEqual([
      ['grant', 300],
      ['paid', 300],
    ]);
  });

  it('takes at most what is left, and drops the emptied lot', () => {
    const result = takeFromLot(funds, 'paid', 900);
    expect(result.taken).toBe(500);
    expect(result.funds).toEqual({ balance: 300, lots: [funds.lots[0]] });
  });

  it('takes nothing from a lot that is gone', () => {
    expect(takeFromLot(funds, 'spent', 100)).toEqual({ funds, taken: 0 });
  });

  it('refuses negative or fractional amounts', () => {
    expect(() => takeFromLot(funds, 'paid', -100)).toThrow(RangeError);
    expect(() => takeFromLot(funds, 'paid', 1.5)).toThrow(RangeError);
  });
});

describe('nextExpiry', () => {
  it('is the soonest expiry of the lots, or undefined', () => {
    expect(nextExpiry(EMPTY_FUNDS)).toBeUndefined();
    expect(nextExpiry(fundsOf(lot('paid', 'purchase', 500, at(0))))).toBeUndefined();
    const funds = fundsOf(
      lot('paid', 'purchase', 500, at(0), at(30)), // last in use order, first to expire
      lot('grant', 'grant', 300, at(0), at(40)),
      lot('bonus', 'bonus', 300, at(0)),
    );
    expect(nextExpiry(funds)).toBe(at(30));
    expect(nextExpiry(expireLots(funds, at(30)).funds)).toBe(at(40));
    expect(nextExpiry(takeFromLot(funds, 'paid', 500).funds)).toBe(at(40));
  });
});

describe('checkFunds', () => {
  it('catches a balance that is not the sum of the lots, and empty lots', () => {
    const funds = fundsOf(lot('a', 'purchase', 100, at(0)));
    expect(() => checkFunds({ ...funds, balance: 99 })).toThrow('balance 99 ≠ sum of lots 100');
    expect(() =>
      checkFunds({ balance: 0, lots: [{ ...lot('a', 'grant', 1, at(0)), remaining: 0 }] }),
    ).toThrow();
  });
});

describe('ledger property', () => {
  type Op =
    | { kind: 'add'; wait: number; source: Source; amount: number; expiresIn: number | undefined }
    | { kind: 'take'; wait: number; amount: number }
    | { kind: 'takeFromLot'; wait: number; pick: number; amount: number }
    | { kind: 'expire'; wait: number };

  /** Waits and expiries in whole hours collide often, so ties and "expires exactly now" happen. */
  const wait = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 72 }).map((hours) => hours * HOUR),
  );
  const amount = fc.integer({ min: 0, max: 2_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      wait,
      source: fc.constantFrom(...SOURCES),
      amount: fc.integer({ min: 1, max: 2_000 }),
      expiresIn: fc.option(
        fc.integer({ min: 0, max: 120 }).map((hours) => hours * HOUR),
        { nil: undefined },
      ),
    }),
    fc.record({ kind: fc.constant('take' as const), wait, amount }),
    fc.record({ kind: fc.constant('takeFromLot' as const), wait, pick: fc.nat(), amount }),
    fc.record({ kind: fc.constant('expire' as const), wait }),
  );

  type Entry = { type: LedgerEntryType; amount: number };

  it('keeps balance = sum of the entries written, never negative, lots in use order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let funds = EMPTY_FUNDS;
        let now = T0;
        let sequence = 0;
        const entries: Entry[] = [];
        const totals = { added: 0, taken: 0, expired: 0 };

        for (const step of ops) {
          now += step.wait;
          const time = new Date(now).toISOString();
          const before = funds;
          switch (step.kind) {
            case 'add': {
              sequence += 1;
              const expiresAt =
                step.expiresIn === undefined ? undefined : new Date(now + step.expiresIn).toISOString();
              funds = addLot(
                funds,
                lot(`lot-${String(sequence).padStart(4, '0')}`, step.source, step.amount, time, expiresAt),
              );
              entries.push({ type: step.source, amount: step.amount });
              totals.added += step.amount;
              break;
            }
            case 'take': {
              const result = takeCredits(funds, step.amount, time);
              // reference: greedy over the lots not expired, in the order they are kept in
              const usable = before.lots.filter(
                (each) => each.expiresAt === undefined || each.expiresAt > time,
              );
              let left = step.amount;
              const expected = [];
              for (const each of usable) {
                if (left === 0) break;
                const used = Math.min(each.remaining, left);
                expected.push({ lotId: each.id, amount: used });
                left -= used;
              }
              expect(result.allocations).toEqual(expected);
              expect(result.taken + result.shortfall).toBe(step.amount);
              expect(result.shortfall).toBe(left);
              funds = result.funds;
              if (result.taken > 0) entries.push({ type: 'debit', amount: -result.taken });
              totals.taken += result.taken;
              break;
            }
            case 'takeFromLot': {
              const target = before.lots[step.pick % Math.max(before.lots.length, 1)];
              const result = takeFromLot(funds, target?.id ?? 'no-such-lot', step.amount);
              expect(result.taken).toBe(Math.min(target?.remaining ?? 0, step.amount));
              funds = result.funds;
              if (result.taken > 0) entries.push({ type: 'reversal', amount: -result.taken });
              totals.taken += result.taken;
              break;
            }
            case 'expire': {
              const result = expireLots(funds, time);
              const due = before.lots.filter(
                (each) => each.expiresAt !== undefined && each.expiresAt <= time,
              );
              expect(result.expired).toEqual(due.map((each) => ({ lotId: each.id, amount: each.remaining })));
              expect(
                nextExpiry(result.funds) === undefined || (nextExpiry(result.funds) as string) > time,
              ).toBe(true);
              funds = result.funds;
              for (const expired of result.expired) entries.push({ type: 'expiry', amount: -expired.amount });
              totals.expired += result.expired.reduce((sum, each) => sum + each.amount, 0);
              break;
            }
          }

          checkFunds(funds);
          expect(funds.balance).toBeGreaterThanOrEqual(0);
          expect(funds.balance).toBe(entries.reduce((sum, entry) => sum + entry.amount, 0));
          expect(funds.balance).toBe(totals.added - totals.taken - totals.expired);
          funds.lots.slice(1).forEach((each, index) => {
            expect(comesBefore(funds.lots[index] as CreditLot, each)).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
