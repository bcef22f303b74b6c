import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, PricingDecimal } from '../catalog/money.ts';
import {
  type Accrual,
  changeRate,
  dueAt,
  hourOf,
  isIdle,
  minorUnits,
  nextHour,
  type Posting,
  postPeriod,
  startAccrual,
} from './accrual.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();
/** 2026-03-02 at hh:mm(:ss.mmm) UTC. */
const t = (time: string): string => `2026-03-02T${time.length === 5 ? `${time}:00.000` : time}Z`;

/** Posts every period that has ended at `now`. */
function postUntil(accrual: Accrual, now: string, exponent = 2): { accrual: Accrual; postings: Posting[] } {
  const postings: Posting[] = [];
  let current = accrual;
  for (let due = dueAt(current); due !== undefined && due <= now; due = dueAt(current)) {
    const posting = postPeriod(current, exponent);
    postings.push(posting);
    current = posting.accrual;
  }
  return { accrual: current, postings };
}

describe('hourOf and nextHour', () => {
  it('find the clock hour (UTC) an instant falls in, and the next boundary strictly after it', () => {
    expect(hourOf(t('10:17'))).toBe(t('10:00'));
    expect(hourOf(t('10:00'))).toBe(t('10:00'));
    expect(hourOf(t('10:59:59.999'))).toBe(t('10:00'));
    expect(hourOf('2026-03-02T10:17:00+02:00')).toBe(t('08:00'));
    expect(nextHour(t('10:17'))).toBe(t('11:00'));
    expect(nextHour(t('10:00'))).toBe(t('11:00'));
    expect(nextHour('2026-03-02T23:30:00.000Z')).toBe('2026-03-03T00:00:00.000Z');
  });

  it('refuse what is not a time', () => {
    expect(() => hourOf('yesterday')).toThrow(RangeError);
    expect(() => nextHour('')).toThrow(RangeError);
  });
});

describe('startAccrual', () => {
  it('normalises the rate and refuses a negative one', () => {
    expect(startAccrual(t('10:17'), '1.50').rate).toBe('1.5');
    expect(startAccrual(t('10:17'), '0.0000').rate).toBe('0');
    expect(() => startAccrual(t('10:17'), '-0.01')).toThrow(RangeError);
  });
});

describe('postPeriod', () => {
  it('posts the rest of the first hour, then whole hours', () => {
    const started = startAccrual(t('10:17'), '1.2');
    expect(dueAt(started)).toBe(t('11:00'));
    const first = postPeriod(started, 2);
    // 1.2 an hour × 43 minutes
    expect(first).toMatchObject({ start: t('10:17'), end: t('11:00'), hour: t('10:00'), amount: 86 });
    expect(dueAt(first.accrual)).toBe(t('12:00'));
    const second = postPeriod(first.accrual, 2);
    expect(second).toMatchObject({ start: t('11:00'), end: t('12:00'), hour: t('11:00'), amount: 120 });
  });

  it('splits the hour at a rate change', () => {
    const resized = changeRate(startAccrual(t('10:17'), '1.2'), t('10:30'), '2.4');
    const first = postPeriod(resized, 2);
    // 1.2 an hour × 13 minutes + 2.4 an hour × 30 minutes
    expect(first).toMatchObject({ start: t('10:17'), end: t('11:00'), amount: 146 });
    expect(postPeriod(first.accrual, 2).amount).toBe(240);
  });

  it('posts in the minor unit of the exponent, half up', () => {
    const hour = changeRate(startAccrual(t('10:00'), '150.5'), t('11:00'), '0');
    expect(postPeriod(hour, 0).amount).toBe(151); // yen
    expect(postPeriod(hour, 2).amount).toBe(15050); // cents
    const halfCent = changeRate(startAccrual(t('10:00'), '0.005'), t('11:00'), '0');
    expect(postPeriod(halfCent, 2).amount).toBe(1);
  });

  it('never drifts: a tenth of a cent an hour posts a cent every ten hours', () => {
    const { postings } = postUntil(startAccrual(t('00:00'), '0.001'), '2026-03-03T00:00:00.000Z');
    expect(postings).toHaveLength(24);
    expect(postings.map((posting) => posting.amount)).toEqual(
      Array.from({ length: 24 }, (_, index) => (index === 4 || index === 14 ? 1 : 0)),
    );
  });
});

describe('stop and start', () => {
  it('posts the stretch before a stop, then idles with nothing due', () => {
    const stopped = changeRate(startAccrual(t('10:17'), '1.2'), t('10:30'), '0');
    expect(isIdle(stopped)).toBe(false);
    expect(dueAt(stopped)).toBe(t('11:00'));
    const posted = postPeriod(stopped, 2);
    expect(posted.amount).toBe(26); // 1.2 × 13/60
    expect(isIdle(posted.accrual)).toBe(true);
    expect(dueAt(posted.accrual)).toBeUndefined();
  });

  it('skips the idle hours on a restart: the next period starts at the hour of the restart', () => {
    const idle = postPeriod(changeRate(startAccrual(t('10:17'), '1.2'), t('10:30'), '0'), 2).accrual;
    const restarted = changeRate(idle, t('14:20'), '1.2');
    expect(restarted.billedThrough).toBe(t('14:00'));
    expect(dueAt(restarted)).toBe(t('15:00'));
    expect(postPeriod(restarted, 2)).toMatchObject({ start: t('14:00'), hour: t('14:00'), amount: 80 });
  });

  it('bills a service created stopped from the hour it first starts', () => {
    const created = startAccrual(t('10:17'), '0');
    expect(dueAt(created)).toBeUndefined();
    expect(changeRate(created, t('10:40'), '1').billedThrough).toBe(t('10:17')); // same hour: nothing to skip
    const started = changeRate(created, t('13:05'), '1.2');
    expect(postPeriod(started, 2)).toMatchObject({ start: t('13:00'), end: t('14:00'), amount: 110 });
  });
});

describe('changeRate', () => {
  const posted = postPeriod(startAccrual(t('10:17'), '1.2'), 2).accrual;

  it('refuses a change before what is posted or before the last change', () => {
    expect(() => changeRate(posted, t('10:59:59.999'), '2')).toThrow(RangeError);
    expect(() => changeRate(posted, t('10:59:59.999'), '1.2')).toThrow(RangeError);
    const resized = changeRate(posted, t('11:30'), '2');
    expect(() => changeRate(resized, t('11:29'), '3')).toThrow(RangeError);
    expect(() => changeRate(posted, t('11:30'), '-1')).toThrow(RangeError);
  });

  it('changes nothing when the rate stays the same', () => {
    expect(changeRate(posted, t('11:30'), '1.20')).toBe(posted);
  });
});

describe('minorUnits', () => {
  it('rounds Σ rate × ms to whole minor units, half up', () => {
    expect(minorUnits(decimal('0.005').times(HOUR), 2)).toBe(1);
    expect(minorUnits(decimal('0.004999').times(HOUR), 2)).toBe(0);
    expect(minorUnits(decimal('2.5').times(HOUR), 0)).toBe(3);
    expect(minorUnits(decimal('1').times(1), 2)).toBe(0); // a millisecond at 1 an hour
  });
});

describe('accrual property', () => {
  /** A rate with 0 to 10 decimals, or stopped. */
  const rate = fc.oneof(
    { arbitrary: fc.constant('0'), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 10 }))
        .map(([digits, places]) =>
          decimal(digits)
            .div(10 ** places)
            .toFixed(places),
        ),
      weight: 3,
    },
  );
  /** Time to the next change: none, milliseconds, minutes, hours or days. */
  const gap = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 120_000 }),
    fc.integer({ min: 1, max: 3 * HOUR }),
    fc.integer({ min: 1, max: 4 * DAY }),
  );
  const change = fc.record({
    gap,
    rate,
    /** Move the change onto the next hour boundary, where posting and change meet. */
    onTheHour: fc.boolean(),
    /** Post the period ending exactly at the change before it rather than after. */
    postFirst: fc.boolean(),
    /** In lazy runs: whether the postings catch up at this change. */
    catchUp: fc.boolean(),
  });
  const schedule = fc.record({
    start: fc
      .integer({ min: 0, max: 30 * DAY })
      .map((offset) => Date.parse('2026-01-01T00:00:00.000Z') + offset),
    firstRate: rate,
    changes: fc.array(change, { maxLength: 30, size: 'max' }), // up to ~60 days
    end: gap,
    exponent: fc.constantFrom(0, 2),
    lazy: fc.boolean(),
  });

  it('posts, over distinct hours, exactly the total accrued cost rounded once', () => {
    fc.assert(
      fc.property(schedule, ({ start, firstRate, changes, end, exponent, lazy }) => {
        const stretches: { from: number; rate: string }[] = [{ from: start, rate: firstRate }];
        let accrual = startAccrual(iso(start), firstRate);
        const postings: Posting[] = [];
        const post = (now: number, inclusive: boolean) => {
          for (let due = dueAt(accrual); due !== undefined; due = dueAt(accrual)) {
            if (Date.parse(due) > now || (!inclusive && Date.parse(due) === now)) break;
            const posting = postPeriod(accrual, exponent);
            postings.push(posting);
            accrual = posting.accrual;
          }
        };

        let now = start;
        for (const step of [
          ...changes,
          { gap: end, rate: '0', onTheHour: false, postFirst: true, catchUp: true },
        ]) {
          now += step.gap;
          if (step.onTheHour) now = Date.parse(hourOf(iso(now))) + (now % HOUR === 0 ? 0 : HOUR);
          if (!lazy || step.catchUp) post(now, step.postFirst);

          const billedThrough = Date.parse(accrual.billedThrough);
          if (billedThrough > start) {
            expect(() => changeRate(accrual, iso(billedThrough - 1), step.rate)).toThrow(RangeError);
          }
          accrual = changeRate(accrual, iso(now), step.rate);
          stretches.push({ from: now, rate: step.rate });
        }
        post(Number.POSITIVE_INFINITY, true); // terminated: everything ends and is posted
        expect(dueAt(accrual)).toBeUndefined();

        // the total, computed from the schedule alone
        const rateMs = stretches
          .slice(0, -1)
          .reduce(
            (sum, stretch, index) =>
              sum.plus(
                decimal(stretch.rate).times((stretches[index + 1] as { from: number }).from - stretch.from),
              ),
            decimal(0),
          );
        const total = rateMs
          .div(HOUR)
          .times(10 ** exponent)
          .toDecimalPlaces(0, PricingDecimal.ROUND_HALF_UP)
          .toNumber();
        expect(postings.reduce((sum, posting) => sum + posting.amount, 0)).toBe(total);

        // one posting per hour at most, in order, each whole and never negative
        expect(new Set(postings.map((posting) => posting.hour)).size).toBe(postings.length);
        postings.forEach((posting, index) => {
          expect(posting.hour).toBe(hourOf(posting.start));
          expect(posting.end).toBe(nextHour(posting.start));
          expect(posting.start >= (postings[index - 1]?.end ?? iso(start))).toBe(true);
          expect(Number.isSafeInteger(posting.amount) && posting.amount >= 0).toBe(true);
        });

        // posted on time, no hour is posted that had nothing running in it
        if (!lazy) {
          for (const posting of postings) {
            const [from, to] = [Date.parse(posting.start), Date.parse(posting.end)];
            const running = stretches.some(
              (stretch, index) =>
                stretch.rate !== '0' &&
                Math.min(stretches[index + 1]?.from ?? stretch.from, to) > Math.max(stretch.from, from),
            );
            expect(running, `nothing ran in ${posting.hour}`).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 20_000);
});
