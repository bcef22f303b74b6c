/**
 * Capacity-trigger policies: the merchant says, per product, which usage moves which dimension,
 * how far and how often. Checked against the product: the dimension must be one of its own and
 * step, min and max must fit the dimension's range and steps.
 */
import type { Product } from '#shared/catalog/catalog.ts';
import { decimal } from '#shared/catalog/money.ts';
import type { CapacityDimension } from '#shared/catalog/product.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { FieldIssue } from '#shared/http/error-body.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { TriggerPolicyView, UpsertTriggerPolicyRequest } from '#shared/triggers/trigger.ts';
import type { StoredTriggerPolicy, TriggerStore } from './trigger-store.ts';

export type PolicyDeps = {
  triggers: Pick<TriggerStore, 'listPolicies' | 'getPolicy' | 'createPolicy' | 'replacePolicy'>;
  /** The product as the catalog keeps it, whatever its status. */
  product(tenantId: string, productId: string): Promise<Product | undefined>;
  clock: Clock;
};

/** Whether `value` is `base` plus a whole number of `step`s (decimal arithmetic: 0.1 + 0.2 is 0.3). */
export const onGrid = (value: number, base: number, step: number): boolean =>
  decimal(value).minus(base).div(step).isInteger();

/** Where `value` breaks the dimension's range or steps; undefined when it fits. */
export function boundProblem(dimension: CapacityDimension, value: number): string | undefined {
  if (value < dimension.min || value > dimension.max) {
    return `must be within ${dimension.key}'s range ${dimension.min}–${dimension.max}`;
  }
  if (!onGrid(value, dimension.min, dimension.step)) {
    return `must be ${dimension.min} plus a multiple of ${dimension.step} (${dimension.key}'s step)`;
  }
  return undefined;
}

/** Every way the policy does not fit the product, by path. */
export function policyIssues(
  product: Pick<Product, 'slug' | 'dimensions'>,
  request: UpsertTriggerPolicyRequest,
): FieldIssue[] {
  const { action } = request;
  if (action.kind !== 'scale') return [];
  const dimension = product.dimensions.find((candidate) => candidate.key === action.dimension);
  if (!dimension) {
    const known = product.dimensions.map((candidate) => candidate.key).join(', ') || 'none';
    return [
      {
        path: 'body.action.dimension',
        message: `${product.slug} has no dimension ${action.dimension} (it has: ${known})`,
        code: 'unknown_dimension',
      },
    ];
  }
  const issues: FieldIssue[] = [];
  if (!onGrid(action.step, 0, dimension.step)) {
    issues.push({
      path: 'body.action.step',
      message: `must be a multiple of ${dimension.step} (${dimension.key}'s step)`,
      code: 'invalid_step',
    });
  }
  for (const bound of ['min', 'max'] as const) {
    const problem = boundProblem(dimension, action[bound]);
    if (problem) issues.push({ path: `body.action.${bound}`, message: problem, code: 'out_of_range' });
  }
  return issues;
}

const view = (policy: StoredTriggerPolicy): TriggerPolicyView => policy;

/** The store's policies, oldest first; one product's with `productId`. */
export async function listTriggerPolicies(
  deps: PolicyDeps,
  tenant: Tenant,
  query: { productId?: string | undefined },
): Promise<{ items: TriggerPolicyView[] }> {
  const policies = await deps.triggers.listPolicies(tenant.id);
  return {
    items: policies
      .filter((policy) => query.productId === undefined || policy.productId === query.productId)
      .map(view),
  };
}

export type UpsertPolicyOutcome = { created: boolean; policy: TriggerPolicyView };

export async function upsertTriggerPolicy(
  deps: PolicyDeps,
  tenant: Tenant,
  request: UpsertTriggerPolicyRequest,
): Promise<UpsertPolicyOutcome> {
  const { id, expectedRevision, ...settings } = request;
  const current = id ? await deps.triggers.getPolicy(tenant.id, id) : undefined;
  if (id && !current) throw new NotFoundError('trigger_policy_not_found', `There is no trigger policy ${id}`);
  if (expectedRevision !== undefined && expectedRevision !== (current?.revision ?? 0)) {
    throw new ConflictError(
      'revision_conflict',
      `The policy is at revision ${current?.revision ?? 'none'}, not ${expectedRevision}`,
      { revision: current?.revision },
    );
  }
  const product = await deps.product(tenant.id, settings.productId);
  const issues: FieldIssue[] = [];
  if (!product) {
    issues.push({
      path: 'body.productId',
      message: 'no such product in this store',
      code: 'unknown_product',
    });
  } else if (current && current.productId !== settings.productId) {
    issues.push({
      path: 'body.productId',
      message: `the policy belongs to ${current.productId}; make a new policy for another product`,
      code: 'product_fixed',
    });
  } else {
    issues.push(...policyIssues(product, request));
  }
  if (issues.length > 0) {
    throw new ValidationError(
      issues[0]?.code ?? 'invalid_policy',
      `The policy does not fit: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }

  const at = deps.clock.now().toISOString();
  if (current) {
    const changed: StoredTriggerPolicy = {
      ...settings,
      id: current.id,
      revision: current.revision + 1,
      createdAt: current.createdAt,
      updatedAt: at,
    };
    if (!(await deps.triggers.replacePolicy(tenant.id, changed, current.revision))) {
      throw new ConflictError('revision_conflict', 'The policy changed meanwhile; load it and try again');
    }
    return { created: false, policy: view(changed) };
  }
  const policy: StoredTriggerPolicy = {
    ...settings,
    id: newId('tgp', deps.clock),
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.triggers.createPolicy(tenant.id, policy))) {
    throw new ConflictError('trigger_policy_exists', 'A policy with this id exists');
  }
  return { created: true, policy: view(policy) };
}
