import { describe, expect, it } from 'vitest';
import { demoProducts } from '#shared/catalog/demo-catalog.ts';
import { UpsertTriggerPolicyRequest } from '#shared/triggers/trigger.ts';
import { onGrid, policyIssues } from './policies.ts';

const postgres = demoProducts.find((product) => product.slug === 'managed-postgresql');
if (!postgres) throw new Error('the demo catalog has no managed-postgresql');
const product = { slug: postgres.slug, dimensions: postgres.dimensions ?? [] };

const policy = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  productId: 'prd_01jd2x0000000000000000000a',
  name: 'More CPU under load',
  metric: 'cpu_pct',
  aggregation: 'avg',
  windowMinutes: 10,
  operator: '>',
  threshold: 80,
  durationMinutes: 5,
  action: { kind: 'scale', dimension: 'vcpu', direction: 'up', step: 1, min: 1, max: 8, ...action },
  cooldownMinutes: 30,
  hysteresis: 15,
  ...extra,
});
const parsed = (body: unknown) => UpsertTriggerPolicyRequest.parse(body);
const paths = (body: unknown) =>
  UpsertTriggerPolicyRequest.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('trigger policies against their product', () => {
  it('takes a scale action on a dimension of the product, on its steps, within its range', () => {
    expect(policyIssues(product, parsed(policy({})))).toEqual([]);
    expect(policyIssues(product, parsed(policy({ dimension: 'ram_gb', step: 4, min: 2, max: 32 })))).toEqual(
      [],
    );
    expect(policyIssues(product, parsed({ ...policy({}), action: { kind: 'notify' } }))).toEqual([]);
  });

  it('names every field that does not fit, by path', () => {
    expect(policyIssues(product, parsed(policy({ dimension: 'gpus' })))).toEqual([
      expect.objectContaining({ path: 'body.action.dimension', code: 'unknown_dimension' }),
    ]);
    // RAM moves in steps of 2 GB from 2 to 128.
    expect(
      policyIssues(product, parsed(policy({ dimension: 'ram_gb', step: 3, min: 3, max: 256 }))).map(
        (issue) => issue.path,
      ),
    ).toEqual(['body.action.step', 'body.action.min', 'body.action.max']);
  });

  it('checks the shape first: window, metric, operator, min ≤ max, a reachable threshold', () => {
    expect(paths(policy({ min: 9, max: 2 }))).toEqual(['action.min']);
    expect(paths(policy({}, { windowMinutes: 7 }))).toEqual(['windowMinutes']);
    expect(paths(policy({}, { windowMinutes: 1445, metric: 'gpu_pct', operator: '=>' }))).toEqual([
      'metric',
      'windowMinutes',
      'operator',
    ]);
    expect(paths(policy({}, { threshold: 120 }))).toEqual(['threshold']);
    // A notify action carries nothing else.
    expect(paths({ ...policy({}), action: { kind: 'notify', step: 1 } })).toEqual(['action']);
  });

  it('tells grid values with decimal arithmetic', () => {
    expect(onGrid(0.3, 0, 0.1)).toBe(true);
    expect(onGrid(0.35, 0, 0.1)).toBe(false);
    expect(onGrid(12, 2, 2)).toBe(true);
    expect(onGrid(11, 2, 2)).toBe(false);
  });
});
