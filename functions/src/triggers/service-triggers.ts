/**
 * A buyer's capacity triggers on one service: which of the product's policies are on, tuned
 * within the merchant's bounds, and what they did (firings).
 */
import type { Product } from '#shared/catalog/catalog.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { FieldIssue } from '#shared/http/error-body.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { INITIAL_TRIGGER_STATE, type TriggerRule } from '#shared/triggers/evaluation.ts';
import {
  type ServiceTriggerList,
  type ServiceTriggerTuning,
  type ServiceTriggerView,
  type SetServiceTriggerRequest,
  type TriggerFiringView,
  thresholdProblem,
} from '#shared/triggers/trigger.ts';
import { visibleSubscription } from '../subscriptions/subscription-service.ts';
import type { Page, SubscriptionStore } from '../subscriptions/subscription-store.ts';
import { boundProblem } from './policies.ts';
import type { StoredServiceTrigger, StoredTriggerPolicy, TriggerStore } from './trigger-store.ts';

export type ServiceTriggerDeps = {
  triggers: TriggerStore;
  subscriptions: SubscriptionStore;
  product(tenantId: string, productId: string): Promise<Product | undefined>;
  clock: Clock;
};

/** The policy with the buyer's tuning: what evaluation applies and the view shows as `effective`. */
export function effectiveRule(
  policy: StoredTriggerPolicy,
  tuning: ServiceTriggerTuning,
): TriggerRule & {
  maxHourlySpend?: string | undefined;
} {
  const { action } = policy;
  let effectiveAction: TriggerRule['action'] = action;
  if (action.kind === 'scale') {
    // A tuning made before the merchant narrowed the policy still stays inside the new bounds.
    let min = Math.max(action.min, tuning.min ?? action.min);
    let max = Math.min(action.max, tuning.max ?? action.max);
    if (min > max) [min, max] = [action.min, action.max];
    effectiveAction = { ...action, min, max };
  }
  return {
    operator: policy.operator,
    threshold: tuning.threshold ?? policy.threshold,
    hysteresis: policy.hysteresis,
    durationMinutes: policy.durationMinutes,
    cooldownMinutes: Math.max(policy.cooldownMinutes, tuning.cooldownMinutes ?? 0),
    action: effectiveAction,
    maxHourlySpend: tuning.maxHourlySpend,
  };
}

export function serviceTriggerView(
  trigger: StoredServiceTrigger,
  policy: StoredTriggerPolicy,
): ServiceTriggerView {
  const rule = effectiveRule(policy, trigger.tuning);
  return {
    subscriptionId: trigger.subscriptionId,
    policyId: trigger.policyId,
    enabled: trigger.enabled,
    ...trigger.tuning,
    effective: {
      threshold: rule.threshold,
      cooldownMinutes: rule.cooldownMinutes,
      ...(rule.action.kind === 'scale' ? { min: rule.action.min, max: rule.action.max } : {}),
      ...(rule.maxHourlySpend !== undefined ? { maxHourlySpend: rule.maxHourlySpend } : {}),
    },
    state: trigger.state,
    revision: trigger.revision,
    updatedAt: trigger.updatedAt,
  };
}

/** Where the tuning leaves the merchant's bounds, by path. */
function tuningIssues(
  policy: StoredTriggerPolicy,
  product: Product | undefined,
  tuning: ServiceTriggerTuning,
) {
  const issues: FieldIssue[] = [];
  if (tuning.threshold !== undefined) {
    const problem = thresholdProblem(policy.metric, tuning.threshold);
    if (problem) issues.push({ path: 'body.threshold', message: problem, code: 'out_of_range' });
  }
  if (tuning.cooldownMinutes !== undefined && tuning.cooldownMinutes < policy.cooldownMinutes) {
    issues.push({
      path: 'body.cooldownMinutes',
      message: `must be at least the policy's ${policy.cooldownMinutes} minutes`,
      code: 'out_of_range',
    });
  }
  const { action } = policy;
  for (const bound of ['min', 'max'] as const) {
    const value = tuning[bound];
    if (value === undefined) continue;
    if (action.kind !== 'scale') {
      issues.push({
        path: `body.${bound}`,
        message: 'this policy only notifies',
        code: 'not_a_scale_policy',
      });
      continue;
    }
    if (value < action.min || value > action.max) {
      issues.push({
        path: `body.${bound}`,
        message: `must be within the policy's ${action.min}–${action.max}`,
        code: 'out_of_range',
      });
      continue;
    }
    const dimension = product?.dimensions.find((candidate) => candidate.key === action.dimension);
    const problem = dimension && boundProblem(dimension, value);
    if (problem) issues.push({ path: `body.${bound}`, message: problem, code: 'out_of_range' });
  }
  if (tuning.maxHourlySpend !== undefined && action.kind !== 'scale') {
    issues.push({
      path: 'body.maxHourlySpend',
      message: 'this policy only notifies',
      code: 'not_a_scale_policy',
    });
  }
  return issues;
}

/** The policy the service's product has under this id, or 404. */
async function policyOfService(
  deps: ServiceTriggerDeps,
  tenantId: string,
  productId: string,
  policyId: string,
): Promise<StoredTriggerPolicy> {
  const policy = await deps.triggers.getPolicy(tenantId, policyId);
  if (!policy || policy.productId !== productId) {
    throw new NotFoundError(
      'trigger_policy_not_found',
      `The service's product has no trigger policy ${policyId}`,
    );
  }
  return policy;
}

export async function setServiceTrigger(
  deps: ServiceTriggerDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  policyId: string,
  request: SetServiceTriggerRequest,
): Promise<ServiceTriggerView> {
  const service = await visibleSubscription(deps, tenant, principal, subscriptionId);
  const policy = await policyOfService(deps, tenant.id, service.product.id, policyId);
  if (request.enabled && !policy.enabled) {
    throw new ConflictError('trigger_policy_disabled', `The merchant has turned ${policy.name} off`);
  }
  const { enabled, expectedRevision, ...tuning } = request;
  const issues = tuningIssues(policy, await deps.product(tenant.id, policy.productId), tuning);
  if (issues.length > 0) {
    throw new ValidationError(
      issues[0]?.code ?? 'invalid_tuning',
      `Outside what the merchant allows: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  const current = await deps.triggers.serviceTrigger(tenant.id, subscriptionId, policyId);
  if (expectedRevision !== undefined && expectedRevision !== (current?.revision ?? 0)) {
    throw new ConflictError(
      'revision_conflict',
      `The trigger is at revision ${current?.revision ?? 'none'}, not ${expectedRevision}`,
      { revision: current?.revision },
    );
  }
  const next: StoredServiceTrigger = {
    subscriptionId,
    policyId,
    customerId: service.customerId,
    enabled,
    tuning,
    // Turning a trigger on starts it afresh: no duration carried over from when it was off.
    state: current?.enabled
      ? current.state
      : {
          ...INITIAL_TRIGGER_STATE,
          ...(current?.state.lastFiredAt ? { lastFiredAt: current.state.lastFiredAt } : {}),
        },
    revision: (current?.revision ?? 0) + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.triggers.saveServiceTrigger(tenant.id, next, current?.revision))) {
    throw new ConflictError(
      'revision_conflict',
      'The trigger changed meanwhile (it may have fired); try again',
    );
  }
  return serviceTriggerView(next, policy);
}

export async function listServiceTriggers(
  deps: ServiceTriggerDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
): Promise<ServiceTriggerList> {
  const service = await visibleSubscription(deps, tenant, principal, subscriptionId);
  const [policies, settings] = await Promise.all([
    deps.triggers.listPolicies(tenant.id),
    deps.triggers.serviceTriggers(tenant.id, subscriptionId),
  ]);
  const byPolicy = new Map(settings.map((setting) => [setting.policyId, setting]));
  return {
    subscriptionId,
    items: policies
      .filter((policy) => policy.productId === service.product.id && policy.enabled)
      .map((policy) => {
        const setting = byPolicy.get(policy.id);
        return { policy, ...(setting ? { setting: serviceTriggerView(setting, policy) } : {}) };
      }),
  };
}

export async function listTriggerFirings(
  deps: ServiceTriggerDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  page: Page,
): Promise<{ items: TriggerFiringView[]; nextCursor?: string }> {
  await visibleSubscription(deps, tenant, principal, subscriptionId);
  return deps.triggers.firings(tenant.id, subscriptionId, page);
}
