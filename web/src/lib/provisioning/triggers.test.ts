import { describe, expect, it } from 'vitest';
import type { TriggerFiringView, TriggerPolicyView } from '#lib/api/triggers.ts';
import {
  actionPhrase,
  checkPolicy,
  checkTuning,
  conditionPhrase,
  emptyPolicyForm,
  firingChange,
  firingReading,
  formatMinutes,
  policyFormOf,
  tuningFormOf,
} from './triggers.ts';

const vcpu = {
  key: 'vcpu',
  label: 'vCPU',
  unit: 'vCPU',
  min: 1,
  max: 16,
  step: 1,
  default: 2,
  control: 'slider' as const,
};

const ram = { ...vcpu, key: 'ram_gb', label: 'Memory', unit: 'GB', min: 2, max: 64, step: 2 };

const policy: TriggerPolicyView = {
  id: 'tgp_01jd2x8k3m4n5p6q7r8s9t0v1w',
  productId: 'prd_01jd2x8k3m4n5p6q7r8s9t0v1w',
  name: 'More CPU under load',
  metric: 'cpu_pct',
  aggregation: 'avg',
  windowMinutes: 10,
  operator: '>',
  threshold: 80,
  durationMinutes: 5,
  action: { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 8 },
  cooldownMinutes: 30,
  hysteresis: 20,
  enabled: true,
  revision: 3,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

describe('policy words', () => {
  it('says the condition and the action', () => {
    expect(conditionPhrase(policy, 80, 'en')).toBe('CPU (average over 10 minutes) above 80 % for 5 minutes');
    expect(conditionPhrase({ ...policy, durationMinutes: 0 }, 75.5, 'en')).toBe(
      'CPU (average over 10 minutes) above 75.5 %',
    );
    expect(actionPhrase(policy.action, [vcpu], {}, 'en')).toBe('Add 1 vCPU (1–8 vCPU)');
    expect(actionPhrase(policy.action, [vcpu], { max: 4 }, 'en')).toBe('Add 1 vCPU (1–4 vCPU)');
    expect(
      actionPhrase({ kind: 'scale', dimension: 'ram_gb', step: 2, direction: 'down', min: 2, max: 32 }, [
        ram,
      ]),
    ).toBe('Remove 2 GB of Memory (2–32 GB)');
    expect(actionPhrase({ kind: 'notify' })).toBe('Notify only');
    expect(formatMinutes(90)).toBe('1 hour 30 minutes');
    expect(formatMinutes(1440)).toBe('1 day');
  });
});

describe('checkPolicy', () => {
  it('turns a filled form into the API body, and back', () => {
    const checked = checkPolicy(policyFormOf(policy), { id: policy.id, revision: 3 });
    expect(checked.errors).toBeUndefined();
    const { id, revision, createdAt, updatedAt, ...settings } = policy;
    expect(checked.body).toEqual({ ...settings, id, expectedRevision: revision });
  });

  it('starts a new policy on the product’s first dimension', () => {
    const form = { ...emptyPolicyForm(policy.productId, [vcpu]), name: 'Up' };
    expect(checkPolicy(form).body?.action).toEqual({
      kind: 'scale',
      dimension: 'vcpu',
      direction: 'up',
      step: 1,
      min: 1,
      max: 16,
    });
    expect(emptyPolicyForm(policy.productId, []).actionKind).toBe('notify');
  });

  it('names each field that cannot be sent', () => {
    const form = {
      ...policyFormOf(policy),
      name: ' ',
      windowMinutes: '7',
      threshold: '120',
      durationMinutes: '-1',
      cooldownMinutes: '2',
      hysteresis: 'x',
      min: '9',
      step: '0',
    };
    const errors = checkPolicy(form).errors;
    expect([...(errors?.keys() ?? [])].sort()).toEqual(
      [
        'action.min',
        'action.step',
        'cooldownMinutes',
        'durationMinutes',
        'hysteresis',
        'name',
        'threshold',
        'windowMinutes',
      ].sort(),
    );
    expect(errors?.get('threshold')).toBe('CPU is a percentage: from 0 to 100.');
  });

  it('sends no hysteresis when left empty, and notify without a dimension', () => {
    const body = checkPolicy({ ...policyFormOf(policy), hysteresis: '', actionKind: 'notify' }).body;
    expect(body && 'hysteresis' in body).toBe(false);
    expect(body?.action).toEqual({ kind: 'notify' });
  });
});

describe('checkTuning', () => {
  it('leaves empty fields to the policy', () => {
    expect(checkTuning({ ...tuningFormOf(undefined), enabled: true }, policy).body).toEqual({
      enabled: true,
    });
  });

  it('sends the tuned values with the revision', () => {
    const form = {
      enabled: true,
      threshold: '70',
      min: '2',
      max: '4',
      maxHourlySpend: '0,50',
      cooldownMinutes: '60',
    };
    expect(checkTuning(form, policy, 2).body).toEqual({
      enabled: true,
      threshold: 70,
      min: 2,
      max: 4,
      maxHourlySpend: '0.50',
      cooldownMinutes: 60,
      expectedRevision: 2,
    });
  });

  it('keeps the tuning within the merchant’s bounds', () => {
    const form = {
      enabled: true,
      threshold: '101',
      min: '0',
      max: '9',
      maxHourlySpend: '-1',
      cooldownMinutes: '10',
    };
    const errors = checkTuning(form, policy).errors;
    expect(errors?.get('min')).toBe('Between 1 and 8, or leave it empty.');
    expect(errors?.get('max')).toBe('Between 1 and 8, or leave it empty.');
    expect(errors?.get('cooldownMinutes')).toMatch(/^Whole minutes from 30/);
    expect(errors?.has('threshold')).toBe(true);
    expect(errors?.has('maxHourlySpend')).toBe(true);
    expect(
      checkTuning(
        { ...form, threshold: '', min: '5', max: '3', maxHourlySpend: '', cooldownMinutes: '' },
        policy,
      ).errors?.get('min'),
    ).toBe('Must not be more than the highest.');
  });
});

describe('firings in words', () => {
  const firing: TriggerFiringView = {
    id: 'tgf_01jd2x8k3m4n5p6q7r8s9t0v1w',
    subscriptionId: 'sub_01jd2x8k3m4n5p6q7r8s9t0v1w',
    policyId: policy.id,
    at: '2026-12-01T10:05:00.000Z',
    metric: 'cpu_pct',
    aggregation: 'avg',
    windowMinutes: 10,
    observed: 92.000001,
    operator: '>',
    threshold: 80,
    action: policy.action,
    from: { dimensions: { vcpu: 2, ram_gb: 4 } },
    to: { dimensions: { vcpu: 3, ram_gb: 4 } },
    outcome: 'resized',
    previousHourly: '0.04',
    newHourly: '0.06',
    reason: 'cpu_pct avg 92 > 80',
  };

  it('reads the observed value against the threshold and the change', () => {
    expect(firingReading(firing, 'en')).toBe('92 % above 80 %');
    expect(firingChange(firing, [vcpu], 'en')).toBe('vCPU: 2 vCPU → 3 vCPU');
    expect(firingChange({ ...firing, outcome: 'skipped_bound', to: firing.from }, [vcpu], 'en')).toBe(
      'vCPU: 2 vCPU',
    );
    expect(firingChange({ ...firing, action: { kind: 'notify' } })).toBeUndefined();
  });
});
