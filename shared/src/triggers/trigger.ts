/**
 * Capacity triggers: the merchant's policies (per product: a usage metric over a window, compared
 * with a threshold, for long enough, scales a dimension by a step within bounds — or only
 * notifies), the buyer's tuning of one per service (within those bounds, with a spending cap),
 * and the firings they produce. Schemas only; the decision itself is in evaluation.ts.
 */
import * as z from 'zod';
import { ProductId } from '../catalog/catalog.ts';
import { DECIMAL_STRING_PATTERN, decimal } from '../catalog/money.ts';
import { Configuration, PricingKey } from '../catalog/product.ts';
import { SubscriptionId } from '../subscriptions/subscription.ts';
import { METRICS, MetricName } from '../usage/metrics.ts';

export const TriggerPolicyId = z
  .string()
  .regex(/^tgp_[0-9a-z]{26}$/, 'must be a tgp_… id')
  .meta({ example: 'tgp_01jd2x8k3m4n5p6q7r8s9t0v1w' });
export const TriggerFiringId = z.string().regex(/^tgf_[0-9a-z]{26}$/, 'must be a tgf_… id');

export const TriggerOperator = z.enum(['>', '>=', '<', '<=']).meta({ id: 'TriggerOperator' });
export type TriggerOperator = z.infer<typeof TriggerOperator>;
export const TriggerAggregation = z.enum(['avg', 'max']).meta({ id: 'TriggerAggregation' });
export type TriggerAggregation = z.infer<typeof TriggerAggregation>;

export const MIN_WINDOW_MINUTES = 5;
export const MAX_WINDOW_MINUTES = 1440;
export const MIN_COOLDOWN_MINUTES = 5;
export const MAX_COOLDOWN_MINUTES = 10_080;

const Quantity = z.number().nonnegative().max(1e9);

/**
 * Scale one capacity dimension by `step` (a multiple of the dimension's step) towards `direction`,
 * never beyond [min, max] (inside the dimension's own range, on its grid).
 */
export const ScaleAction = z
  .object({
    kind: z.literal('scale'),
    dimension: PricingKey,
    direction: z.enum(['up', 'down']),
    step: z.number().positive().max(1e9),
    min: Quantity,
    max: Quantity,
  })
  .strict()
  .meta({ id: 'TriggerScaleAction' });
export type ScaleAction = z.infer<typeof ScaleAction>;

/** Record and publish the firing (`trigger.fired`); change nothing. */
export const NotifyAction = z
  .object({ kind: z.literal('notify') })
  .strict()
  .meta({ id: 'TriggerNotifyAction' });

export const TriggerAction = z
  .discriminatedUnion('kind', [ScaleAction, NotifyAction])
  .meta({ id: 'TriggerAction' });
export type TriggerAction = z.infer<typeof TriggerAction>;

/** Percent metrics live in 0–100; a threshold outside could never be crossed. */
export function thresholdProblem(metric: MetricName, threshold: number): string | undefined {
  if (METRICS[metric].unit === '%' && (threshold < 0 || threshold > 100)) {
    return `${metric} is a percentage: the threshold must be within 0–100`;
  }
  if (METRICS[metric].unit !== '%' && threshold < 0) return `${metric} is never negative`;
  return undefined;
}

/**
 * The settings of a policy, as the merchant writes them. `durationMinutes` is independent of the
 * window: the window smooths the metric (avg/max over it), the duration asks the smoothed value
 * to stay across the threshold that long (0: at the first evaluation that sees it).
 */
export const TriggerPolicySettings = z
  .object({
    productId: ProductId,
    name: z.string().trim().min(1).max(80),
    metric: MetricName,
    aggregation: TriggerAggregation,
    windowMinutes: z.number().int().min(MIN_WINDOW_MINUTES).max(MAX_WINDOW_MINUTES).multipleOf(5),
    operator: TriggerOperator,
    threshold: z.number().min(-1e9).max(1e9),
    durationMinutes: z.number().int().min(0).max(MAX_WINDOW_MINUTES).default(0),
    action: TriggerAction,
    cooldownMinutes: z.number().int().min(MIN_COOLDOWN_MINUTES).max(MAX_COOLDOWN_MINUTES),
    /**
     * After a firing, the metric must clear the threshold by this margin before the policy fires
     * again (scale up at cpu > 80 with 20: again only after cpu < 60). Left out: it fires again
     * once the cooldown is over, while the condition still holds.
     */
    hysteresis: z.number().nonnegative().max(1e9).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

function checkPolicy(
  policy: { metric: MetricName; threshold: number; action: TriggerAction },
  context: z.RefinementCtx,
) {
  const problem = thresholdProblem(policy.metric, policy.threshold);
  if (problem) context.addIssue({ code: 'custom', path: ['threshold'], message: problem });
  if (policy.action.kind === 'scale' && policy.action.min > policy.action.max) {
    context.addIssue({ code: 'custom', path: ['action', 'min'], message: 'must not be more than max' });
  }
}

export const UpsertTriggerPolicyRequest = TriggerPolicySettings.extend({
  /** The policy to change; left out, a new one is made. */
  id: TriggerPolicyId.optional(),
  /** The revision the change was made on: a 409 when someone changed the policy since. */
  expectedRevision: z.number().int().positive().optional(),
})
  .strict()
  .superRefine(checkPolicy)
  .meta({ id: 'UpsertTriggerPolicyRequest' });
export type UpsertTriggerPolicyRequest = z.infer<typeof UpsertTriggerPolicyRequest>;

export const TriggerPolicyView = TriggerPolicySettings.extend({
  id: TriggerPolicyId,
  durationMinutes: z.number().int(),
  enabled: z.boolean(),
  revision: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
  .strict()
  .meta({ id: 'TriggerPolicy' });
export type TriggerPolicyView = z.infer<typeof TriggerPolicyView>;

export const TriggerPolicyList = z
  .object({ items: z.array(TriggerPolicyView) })
  .strict()
  .meta({ id: 'TriggerPolicyList' });

/** A non-negative amount per hour, in the service's currency. */
export const HourlySpend = z
  .string()
  .regex(DECIMAL_STRING_PATTERN, 'must be a decimal string like "0.50"')
  .refine((value) => !value.startsWith('-'), 'must not be negative')
  .refine((value) => decimal(value).decimalPlaces() <= 10, 'at most 10 decimals')
  .meta({ example: '0.50' });

/**
 * A buyer's tuning of one policy for one service. Fields left out take the policy's value (a PUT
 * replaces the whole tuning). Each must stay within what the merchant allows: min/max inside the
 * policy's [min, max] (scale policies only), a cooldown no shorter than the policy's, a threshold
 * the metric can reach.
 */
export const ServiceTriggerTuning = z
  .object({
    threshold: z.number().min(-1e9).max(1e9).optional(),
    min: Quantity.optional(),
    max: Quantity.optional(),
    /**
     * The most the service may cost per hour after a scale-up, in the service's currency (its
     * `price.hourly`, also for services paid with credits). A resize that would cost more is not
     * made (`skipped_spend_cap`). Left out: no cap beyond [min, max].
     */
    maxHourlySpend: HourlySpend.optional(),
    cooldownMinutes: z.number().int().min(MIN_COOLDOWN_MINUTES).max(MAX_COOLDOWN_MINUTES).optional(),
  })
  .strict();
export type ServiceTriggerTuning = z.infer<typeof ServiceTriggerTuning>;

export const SetServiceTriggerRequest = ServiceTriggerTuning.extend({
  enabled: z.boolean(),
  /** The revision the change was made on: a 409 when it changed since. */
  expectedRevision: z.number().int().positive().optional(),
})
  .strict()
  .superRefine((request, context) => {
    if (request.min !== undefined && request.max !== undefined && request.min > request.max) {
      context.addIssue({ code: 'custom', path: ['min'], message: 'must not be more than max' });
    }
  })
  .meta({ id: 'SetServiceTriggerRequest' });
export type SetServiceTriggerRequest = z.infer<typeof SetServiceTriggerRequest>;

/** What a service trigger remembers between evaluations (hysteresis, duration, cooldown). */
export const TriggerState = z
  .object({
    /** False after a firing until the metric cleared the threshold by the hysteresis. */
    armed: z.boolean(),
    /** Since when the condition has held (cleared when it stops holding). */
    conditionSince: z.iso.datetime().optional(),
    /** The last resize or notification. */
    lastFiredAt: z.iso.datetime().optional(),
    /** The last recorded skip (bound, state, spend cap, failure): recorded at most once per cooldown. */
    lastSkippedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'TriggerState' });
export type TriggerState = z.infer<typeof TriggerState>;

export const ServiceTriggerView = ServiceTriggerTuning.extend({
  subscriptionId: SubscriptionId,
  policyId: TriggerPolicyId,
  enabled: z.boolean(),
  /** What evaluation uses: the policy's values with this tuning applied. */
  effective: z
    .object({
      threshold: z.number(),
      cooldownMinutes: z.number().int(),
      min: z.number().optional(),
      max: z.number().optional(),
      maxHourlySpend: z.string().optional(),
    })
    .strict(),
  state: TriggerState,
  revision: z.number().int().positive(),
  updatedAt: z.iso.datetime(),
})
  .strict()
  .meta({ id: 'ServiceTrigger' });
export type ServiceTriggerView = z.infer<typeof ServiceTriggerView>;

export const ServiceTriggerList = z
  .object({
    subscriptionId: SubscriptionId,
    /** The enabled policies of the service's product, each with this service's tuning if it has one. */
    items: z.array(z.object({ policy: TriggerPolicyView, setting: ServiceTriggerView.optional() }).strict()),
  })
  .strict()
  .meta({ id: 'ServiceTriggerList' });
export type ServiceTriggerList = z.infer<typeof ServiceTriggerList>;

export const FIRING_OUTCOMES = [
  'resized',
  'notified',
  'skipped_bound',
  'skipped_spend_cap',
  'skipped_state',
  'failed',
] as const;
export const FiringOutcome = z.enum(FIRING_OUTCOMES).meta({ id: 'TriggerFiringOutcome' });
export type FiringOutcome = z.infer<typeof FiringOutcome>;

export const TriggerFiringView = z
  .object({
    id: TriggerFiringId,
    subscriptionId: SubscriptionId,
    policyId: TriggerPolicyId,
    /** The store's time of the evaluation. */
    at: z.iso.datetime(),
    metric: MetricName,
    aggregation: TriggerAggregation,
    windowMinutes: z.number().int(),
    /** The window's avg or max (6 decimals). */
    observed: z.number(),
    operator: TriggerOperator,
    threshold: z.number(),
    action: TriggerAction,
    /** Scale actions: the configuration before and the one proposed (or made, when `resized`). */
    from: Configuration.optional(),
    to: Configuration.optional(),
    outcome: FiringOutcome,
    /** Per hour in the service's currency, before and after (after: as proposed, unless `resized`). */
    previousHourly: z.string().optional(),
    newHourly: z.string().optional(),
    reason: z.string(),
  })
  .strict()
  .meta({ id: 'TriggerFiring' });
export type TriggerFiringView = z.infer<typeof TriggerFiringView>;
