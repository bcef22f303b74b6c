/**
 * Evaluating a service's capacity triggers: when usage arrives (`usage.recorded`) and on a
 * schedule. Each trigger's decision is pure (#shared/triggers/evaluation.ts); what it decides is
 * written conditional on the trigger's revision — together with the resize itself, in one
 * transaction — so evaluations running at the same time (a duplicate event, the schedule) act at
 * most once per cooldown.
 */
import type { Configuration } from '#shared/catalog/product.ts';
import { ConflictError, DomainError } from '#shared/errors.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import { newId } from '#shared/ids/ids.ts';
import { FINAL_STATES } from '#shared/subscriptions/lifecycle.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { decide, exceedsSpendCap } from '#shared/triggers/evaluation.ts';
import type { TriggerState } from '#shared/triggers/trigger.ts';
import { backoff } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { repriced, resizeBySystem, type SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { type UsageStore, windowAggregate } from '../usage/usage-store.ts';
import { effectiveRule } from './service-triggers.ts';
import type {
  StoredFiring,
  StoredServiceTrigger,
  StoredTriggerPolicy,
  TriggerStore,
} from './trigger-store.ts';

export const TRIGGERS_EVENT_SOURCE = 'nimbus.triggers';
/** Who resizes a service when a trigger fires (in its history and the resize webhook). */
export const TRIGGER_ACTOR = { kind: 'system', id: 'triggers' } as const;
const MAX_ATTEMPTS = 10;

export type EvaluationDeps = {
  triggers: TriggerStore;
  /** The subscriptions context: the service, its price, its store's clock, the resize. */
  services: SubscriptionDeps;
  usage: Pick<UsageStore, 'buckets'>;
  events: EventPublisher;
  /** Ids only; times come from the store's clock (`services.time`). */
  clock: Clock;
};

const sameState = (a: TriggerState, b: TriggerState) =>
  a.armed === b.armed &&
  a.conditionSince === b.conditionSince &&
  a.lastFiredAt === b.lastFiredAt &&
  a.lastSkippedAt === b.lastSkippedAt;

const latest = (now: Date, since: string): Date =>
  Date.parse(since) > now.getTime() ? new Date(since) : now;

const withDimension = (configuration: Configuration, key: string, value: number): Configuration => ({
  ...configuration,
  dimensions: { ...configuration.dimensions, [key]: value },
});

/**
 * Evaluates the service's enabled triggers now (the store's time); resolves to what they recorded.
 * A service that has ended has its triggers turned off (and dropped from the schedule).
 */
export async function evaluateService(
  deps: EvaluationDeps,
  tenant: Tenant,
  subscriptionId: string,
): Promise<StoredFiring[]> {
  const triggers = (await deps.triggers.serviceTriggers(tenant.id, subscriptionId)).filter(
    (trigger) => trigger.enabled,
  );
  if (triggers.length === 0) return [];
  const service = await deps.services.subscriptions.get(tenant.id, subscriptionId);
  if (!service || FINAL_STATES.includes(service.state)) {
    await Promise.all(triggers.map((trigger) => retire(deps, tenant.id, trigger)));
    return [];
  }
  const now = await deps.services.time.now(tenant);
  const recorded: StoredFiring[] = [];
  // One after the other: two triggers may move the same service, the second sees the first's change.
  for (const trigger of triggers) {
    const policy = await deps.triggers.getPolicy(tenant.id, trigger.policyId);
    if (!policy?.enabled) continue;
    const window = await windowAggregate(
      deps.usage,
      tenant.id,
      subscriptionId,
      policy.metric,
      policy.windowMinutes,
      now,
    );
    const firing = await evaluateTrigger(deps, tenant, policy, subscriptionId, window[policy.aggregation]);
    if (firing) recorded.push(firing);
  }
  return recorded;
}

async function retire(deps: EvaluationDeps, tenantId: string, trigger: StoredServiceTrigger) {
  const off = { ...trigger, enabled: false, revision: trigger.revision + 1 };
  // Lost to a concurrent change: the next evaluation retires it.
  await deps.triggers.saveServiceTrigger(tenantId, off, trigger.revision);
}

async function dimensionValue(
  deps: EvaluationDeps,
  tenant: Tenant,
  service: StoredSubscription,
  key: string,
): Promise<number | undefined> {
  const value = service.configuration.dimensions?.[key];
  if (value !== undefined) return value;
  // Configurations are stored resolved; a default is only a fallback for older services.
  const product = (await deps.services.cache.view(tenant)).product(service.product.id);
  return product?.dimensions.find((dimension) => dimension.key === key)?.default;
}

/** One trigger of one service: decide, then write the decision on the revision it was made on. */
async function evaluateTrigger(
  deps: EvaluationDeps,
  tenant: Tenant,
  policy: StoredTriggerPolicy,
  subscriptionId: string,
  observed: number | null,
): Promise<StoredFiring | undefined> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [trigger, service] = await Promise.all([
      deps.triggers.serviceTrigger(tenant.id, subscriptionId, policy.id),
      deps.services.subscriptions.get(tenant.id, subscriptionId),
    ]);
    if (!trigger?.enabled || !service) return undefined;
    // Read after the service: a change another evaluation made meanwhile is never in our future
    // (nor does a clock a little behind another machine's date a resize before the last change).
    const now = latest(await deps.services.time.now(tenant), service.accrual.rateSince);
    const at = now.toISOString();
    const rule = effectiveRule(policy, trigger.tuning);
    const current =
      rule.action.kind === 'scale'
        ? await dimensionValue(deps, tenant, service, rule.action.dimension)
        : undefined;
    const decision = decide(rule, trigger.state, {
      observed,
      now,
      serviceActive: service.state === 'active',
      current,
    });
    const stateItem = (state: TriggerState) =>
      deps.triggers.stateItem(
        tenant.id,
        { ...trigger, state, revision: trigger.revision + 1 },
        trigger.revision,
      );
    const value = observed ?? 0;
    const comparison = `${policy.metric} ${policy.aggregation} over ${policy.windowMinutes} min was ${value} (${rule.operator} ${rule.threshold})`;
    const firing = (outcome: StoredFiring['outcome'], reason: string, extra: Partial<StoredFiring> = {}) => ({
      id: newId('tgf', deps.clock),
      subscriptionId,
      policyId: policy.id,
      at,
      metric: policy.metric,
      aggregation: policy.aggregation,
      windowMinutes: policy.windowMinutes,
      observed: value,
      operator: rule.operator,
      threshold: rule.threshold,
      action: rule.action,
      ...extra,
      outcome,
      reason,
    });
    /** Writes the state (and the firing, if any) on the revision read; false when another write won. */
    const record = async (state: TriggerState, recorded?: StoredFiring) => {
      const items = [stateItem(state), ...(recorded ? [deps.triggers.firingItem(tenant.id, recorded)] : [])];
      return (await deps.triggers.commit(items)).ok;
    };

    let result: StoredFiring | undefined;
    let written: boolean;
    switch (decision.kind) {
      case 'none':
        if (sameState(decision.state, trigger.state)) return undefined;
        written = await record(decision.state);
        break;
      case 'notify':
        result = firing('notified', comparison);
        written = await record(decision.state, result);
        break;
      case 'skip':
        result = firing(decision.outcome, `${comparison}; ${decision.reason}`);
        written = await record(decision.state, result);
        break;
      case 'scale': {
        if (rule.action.kind !== 'scale') throw new Error('a scale decision needs a scale rule');
        const { dimension } = rule.action;
        const proposed = withDimension(service.configuration, dimension, decision.to);
        const step = `${dimension} ${decision.from} → ${decision.to}`;
        let priced: Awaited<ReturnType<typeof repriced>>;
        try {
          priced = await repriced(deps.services, tenant, service, proposed);
        } catch (error) {
          // The product no longer allows it (a basket rule, retired): a failure to show, not to retry.
          if (!(error instanceof DomainError)) throw error;
          result = decision.instead.record
            ? firing('failed', `${comparison}; ${step} not possible: ${error.message}`, {
                from: service.configuration,
                to: proposed,
                previousHourly: service.price.hourly,
              })
            : undefined;
          written = await record(decision.instead.state, result);
          break;
        }
        const prices = { previousHourly: service.price.hourly, newHourly: priced.price.hourly };
        const change = { from: service.configuration, to: priced.configuration, ...prices };
        if (exceedsSpendCap(service.price.hourly, priced.price.hourly, rule.maxHourlySpend)) {
          result = decision.instead.record
            ? firing(
                'skipped_spend_cap',
                `${comparison}; ${step} would cost ${priced.price.hourly} per hour, more than the cap of ${rule.maxHourlySpend}`,
                change,
              )
            : undefined;
          if (!result && sameState(decision.instead.state, trigger.state)) return undefined;
          written = await record(decision.instead.state, result);
          break;
        }
        result = firing('resized', `${comparison}; ${step}`, change);
        const resized = await resizeBySystem(
          deps.services,
          tenant,
          service,
          {
            resize: priced,
            actor: TRIGGER_ACTOR,
            reason: `Capacity trigger “${policy.name}”: ${step}`,
            at,
          },
          [stateItem(decision.state), deps.triggers.firingItem(tenant.id, result)],
        );
        written = resized !== undefined;
        break;
      }
    }
    if (written) {
      if (result) await publishFiring(deps, tenant.id, result);
      return result;
    }
    await backoff(attempt);
  }
  throw new ConflictError('trigger_busy', `The triggers of ${subscriptionId} keep changing; evaluate again`);
}

async function publishFiring(deps: EvaluationDeps, tenantId: string, firing: StoredFiring): Promise<void> {
  try {
    await deps.events.publish(TRIGGERS_EVENT_SOURCE, [
      {
        id: newId('evt', deps.clock),
        type: 'trigger.fired',
        time: firing.at,
        tenant: tenantId,
        subject: firing.subscriptionId,
        schemaVersion: 1,
        data: firing,
      },
    ]);
  } catch (error) {
    // The firing is recorded (and the resize made): a lost event loses a notification, not a change.
    logger.error('trigger event not published', error as Error);
  }
}
