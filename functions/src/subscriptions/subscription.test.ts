import { describe, expect, it } from 'vitest';
import { startAccrual } from '#shared/billing/accrual.ts';
import { addUnbilled, type StoredSubscription, subscriptionDueAt } from './subscription.ts';

describe('unbilled usage by month', () => {
  it('adds each posted hour to the month it began in', () => {
    const months = addUnbilled({ '2026-03': 100 }, [
      { hour: '2026-03-31T22:00:00.000Z', amount: 10 },
      { hour: '2026-03-31T23:00:00.000Z', amount: 10 },
      { hour: '2026-04-01T00:00:00.000Z', amount: 7 },
    ]);
    expect(months).toEqual({ '2026-03': 120, '2026-04': 7 });
  });

  it('reads the single number of earlier versions as the first posted month', () => {
    expect(addUnbilled(50, [{ hour: '2026-05-02T00:00:00.000Z', amount: 1 }])).toEqual({ '2026-05': 51 });
  });

  it('keeps an idle service due at the start of the month after its oldest unbilled month', () => {
    const idle = {
      accrual: startAccrual('2026-03-15T00:00:00.000Z', '0'),
      unbilled: { '2026-04': 5, '2026-03': 3000 },
    } as unknown as StoredSubscription;
    expect(subscriptionDueAt(idle)).toBe('2026-04-01T00:00:00.000Z');
    expect(
      subscriptionDueAt({ ...idle, unbilled: undefined } as unknown as StoredSubscription),
    ).toBeUndefined();
  });
});
