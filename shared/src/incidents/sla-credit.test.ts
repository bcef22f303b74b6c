import { describe, expect, it } from 'vitest';
import { SlaPolicy } from '../catalog/sla.ts';
import { outageCredit, type StateChange, stateAt } from './sla-credit.ts';

const t = (time: string) => `2026-03-02T${time}.000Z`;
const policy = (input: Partial<SlaPolicy> = {}) => SlaPolicy.parse({ creditPercent: 100, ...input });
const activeSince = (time: string): StateChange[] => [
  { at: t(time), to: 'provisioning' },
  { at: t(time), to: 'active' },
];
const rates = { active: '2', stopped: '0.3' };

describe('outageCredit', () => {
  it('credits the running time of the incident at the hourly rate, to the hundredth', () => {
    // 30 min at 2 credits/h = 1.00
    expect(
      outageCredit({
        start: t('10:00:00'),
        end: t('10:30:00'),
        changes: activeSince('09:00:00'),
        rates,
        policy: policy(),
      }),
    ).toEqual({ units: 100, affectedMs: 1_800_000 });
  });

  it('counts only running stretches; stopped time counts when the policy includes it', () => {
    const changes: StateChange[] = [
      ...activeSince('09:00:00'),
      { at: t('10:10:00'), to: 'stopped' },
      { at: t('10:20:00'), to: 'active' },
    ];
    const window = { start: t('10:00:00'), end: t('10:30:00'), changes, rates };
    // 20 min × 2/h = 0.6667 → 0.67
    expect(outageCredit({ ...window, policy: policy() })).toEqual({ units: 67, affectedMs: 1_200_000 });
    // + 10 min × 0.3/h = 0.05 → 0.71667 → 0.72 (rounded once, not per stretch)
    expect(outageCredit({ ...window, policy: policy({ includeStopped: true }) }).units).toBe(72);
    // 200 %: 1.3333 → 1.33
    expect(outageCredit({ ...window, policy: policy({ creditPercent: 200 }) }).units).toBe(133);
  });

  it('uses [from, to) edges: a service created at the end or stopped at the start gets nothing', () => {
    const window = { start: t('10:00:00'), end: t('11:00:00'), rates, policy: policy() };
    expect(outageCredit({ ...window, changes: activeSince('11:00:00') }).units).toBe(0);
    expect(
      outageCredit({
        ...window,
        changes: [...activeSince('08:00:00'), { at: t('10:00:00'), to: 'stopped' }],
      }),
    ).toEqual({ units: 0, affectedMs: 0 });
    // created a quarter of an hour in: 45 min × 2 = 1.50
    expect(outageCredit({ ...window, changes: activeSince('10:15:00') }).units).toBe(150);
    // stopped one millisecond before the end: still counts to the millisecond
    const almost = outageCredit({
      ...window,
      changes: [...activeSince('08:00:00'), { at: '2026-03-02T10:59:59.999Z', to: 'stopped' }],
    });
    expect(almost.affectedMs).toBe(3_599_999);
    expect(almost.units).toBe(200);
  });

  it('gives suspended, terminated and not yet created services nothing', () => {
    const window = {
      start: t('10:00:00'),
      end: t('11:00:00'),
      rates,
      policy: policy({ includeStopped: true }),
    };
    expect(
      outageCredit({
        ...window,
        changes: [...activeSince('08:00:00'), { at: t('09:00:00'), to: 'suspended' }],
      }).units,
    ).toBe(0);
    expect(
      outageCredit({
        ...window,
        changes: [...activeSince('08:00:00'), { at: t('09:00:00'), to: 'terminated' }],
      }).units,
    ).toBe(0);
    expect(outageCredit({ ...window, changes: [] }).units).toBe(0);
  });

  it('spans hours like billing does, rounding the total once', () => {
    // 1 h 45 min × 0.0766 = 0.13405 → 0.13
    expect(
      outageCredit({
        start: t('09:30:00'),
        end: t('11:15:00'),
        changes: activeSince('01:00:00'),
        rates: { active: '0.0766', stopped: '0' },
        policy: policy(),
      }).units,
    ).toBe(13);
  });

  it('applies the minimum credit to a touched service and ignores incidents under the threshold', () => {
    const base = { changes: activeSince('08:00:00'), rates: { active: '0.01', stopped: '0' } };
    expect(
      outageCredit({
        ...base,
        start: t('10:00:00'),
        end: t('11:00:00'),
        policy: policy({ minimumCredits: '1.50' }),
      }).units,
    ).toBe(150);
    expect(
      outageCredit({
        ...base,
        start: t('10:00:00'),
        end: t('10:04:59'),
        policy: policy({ minimumOutageMinutes: 5, minimumCredits: '1.00' }),
      }).units,
    ).toBe(0);
    // not running: no minimum either
    expect(
      outageCredit({
        changes: activeSince('12:00:00'),
        rates,
        start: t('10:00:00'),
        end: t('11:00:00'),
        policy: policy({ minimumCredits: '1.00' }),
      }).units,
    ).toBe(0);
  });

  it('rejects an incident that does not end after it starts', () => {
    expect(() =>
      outageCredit({ start: t('10:00:00'), end: t('10:00:00'), changes: [], rates, policy: policy() }),
    ).toThrow(RangeError);
  });
});

describe('stateAt', () => {
  it('takes a change at the instant itself as in force', () => {
    const changes: StateChange[] = [...activeSince('09:00:00'), { at: t('10:00:00'), to: 'stopped' }];
    expect(stateAt(changes, t('08:59:59'))).toBeUndefined();
    expect(stateAt(changes, t('09:59:59'))).toBe('active');
    expect(stateAt(changes, t('10:00:00'))).toBe('stopped');
  });
});
