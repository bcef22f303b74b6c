import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../catalog/money.ts';
import { meteringDueAt, postMeteredHour, settledHours, settlesAt, startMetering } from './metering.ts';

const H = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour)).toISOString();

describe('metering', () => {
  it('starts with the hour the service is created in and posts each hour an hour after it ends', () => {
    const metering = startMetering('2026-12-01T03:17:00.000Z');
    expect(metering.through).toBe(H(3));
    expect(settlesAt(H(3))).toBe(H(5));
    expect(meteringDueAt(metering)).toBe(H(5));
    expect(settledHours(metering, '2026-12-01T04:59:59.999Z', undefined, 24)).toEqual([]);
    expect(settledHours(metering, H(7), undefined, 24)).toEqual([H(3), H(4), H(5)]);
    expect(settledHours(metering, H(7), undefined, 2)).toEqual([H(3), H(4)]);
  });

  it('meters an ended service up to the hour it ended in, then stops', () => {
    const metering = startMetering(H(3));
    const ended = '2026-12-01T04:20:00.000Z';
    expect(settledHours(metering, H(12), ended, 24)).toEqual([H(3), H(4)]);
    expect(meteringDueAt({ ...metering, through: H(5) }, ended)).toBeUndefined();
    expect(meteringDueAt({ ...metering, through: H(4) }, ended)).toBe(H(6));
    // Ended exactly on an hour: that hour holds no usage of the service.
    expect(settledHours(metering, H(12), H(4), 24)).toEqual([H(3)]);
  });

  it('refuses to post an hour out of turn', () => {
    expect(() => postMeteredHour(startMetering(H(3)), H(4), new Map(), {}, 2)).toThrow(RangeError);
  });

  it('posts exactly what the usage cost, rounded once overall (no drift from sub-cent hours)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 48 }),
        fc.constantFrom('0.05', '0.0123', '0.5', '1'),
        (milliGbPerHour, unitPrice) => {
          let metering = startMetering(H(0));
          let total = 0;
          milliGbPerHour.forEach((milliGb, index) => {
            const hour = new Date(Date.parse(H(0)) + index * 3_600_000).toISOString();
            const quantities = new Map([['egress_gb', decimal(milliGb).div(1000)]]);
            const posted = postMeteredHour(metering, hour, quantities, { egress_gb: unitPrice }, 2);
            metering = posted.metering;
            for (const posting of posted.postings) {
              expect(posting.amount).toBeGreaterThanOrEqual(0);
              expect(posting.settledAt).toBe(settlesAt(hour));
              total += posting.amount;
            }
            // An hour without usage posts nothing.
            if (milliGb === 0) expect(posted.postings).toEqual([]);
          });
          const exact = decimal(milliGbPerHour.reduce((sum, milliGb) => sum + milliGb, 0))
            .div(1000)
            .times(unitPrice);
          expect(total).toBe(exact.times(100).toDecimalPlaces(0, 4).toNumber());
        },
      ),
    );
  });
});
