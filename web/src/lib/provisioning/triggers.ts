/**
 * Capacity triggers for people: the console's policy form and the buyer's tuning form (text fields
 * checked here, then turned into the API's body; field keys are the API's paths, so a 400 lands
 * beside the same field), policies and firings in words.
 */
import type {
  FiringOutcome,
  SetServiceTriggerRequest,
  TriggerAggregation,
  TriggerFiringView,
  TriggerOperator,
  TriggerPolicyView,
  UpsertTriggerPolicyRequest,
} from '#lib/api/triggers.ts';
import type { MetricName } from '#lib/api/usage.ts';
import type { PillTone } from '#lib/status.ts';
import type { CapacityDimension } from '#shared/catalog/product.ts';
import {
  MAX_COOLDOWN_MINUTES,
  MAX_WINDOW_MINUTES,
  MIN_COOLDOWN_MINUTES,
  MIN_WINDOW_MINUTES,
  thresholdProblem,
} from '#shared/triggers/trigger.ts';
import { METRIC_WORDS } from './usage.ts';

export { MAX_COOLDOWN_MINUTES, MIN_COOLDOWN_MINUTES };

export const OPERATORS: readonly TriggerOperator[] = ['>', '>=', '<', '<='];
export const OPERATOR_WORDS: Record<TriggerOperator, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
};
export const AGGREGATION_WORDS: Record<TriggerAggregation, string> = { avg: 'average', max: 'highest' };

export const OUTCOME_WORDS: Record<FiringOutcome, { word: string; tone: PillTone; symbol: string }> = {
  resized: { word: 'Resized', tone: 'ok', symbol: '✓' },
  notified: { word: 'Notified', tone: 'ok', symbol: '✓' },
  skipped_bound: { word: 'Skipped: at the limit', tone: 'neutral', symbol: '■' },
  skipped_spend_cap: { word: 'Skipped: above your spending cap', tone: 'warning', symbol: '!' },
  skipped_state: { word: 'Skipped: not running', tone: 'neutral', symbol: '■' },
  failed: { word: 'Failed', tone: 'danger', symbol: '✕' },
};

/** Numbers as people read them: no float noise (`92.000001` → "92"). */
export function formatAmount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** "80 %", "12 GB". */
export function metricValue(metric: MetricName, value: number, locale?: string): string {
  return `${formatAmount(value, locale)} ${METRIC_WORDS[metric].unit}`;
}

/** "30 minutes", "1 hour", "2 hours 30 minutes", "1 day". */
export function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
    rest ? `${rest} ${rest === 1 ? 'minute' : 'minutes'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 minutes';
}

type PolicyCondition = Pick<
  TriggerPolicyView,
  'metric' | 'aggregation' | 'windowMinutes' | 'operator' | 'durationMinutes'
>;

/** "CPU (average over 10 minutes) above 80 % for 5 minutes". */
export function conditionPhrase(policy: PolicyCondition, threshold: number, locale?: string): string {
  const held = policy.durationMinutes > 0 ? ` for ${formatMinutes(policy.durationMinutes)}` : '';
  return (
    `${METRIC_WORDS[policy.metric].label} (${AGGREGATION_WORDS[policy.aggregation]} over ` +
    `${formatMinutes(policy.windowMinutes)}) ${OPERATOR_WORDS[policy.operator]} ` +
    `${metricValue(policy.metric, threshold, locale)}${held}`
  );
}

/** A dimension's words: its label and unit, or the bare key when the product no longer has it. */
export type DimensionWords = { label: string; unit: string };
export function dimensionWords(key: string, dimensions: readonly CapacityDimension[] = []): DimensionWords {
  const dimension = dimensions.find((candidate) => candidate.key === key);
  return dimension ? { label: dimension.label, unit: dimension.unit } : { label: key, unit: '' };
}

const withUnit = (value: number, unit: string, locale?: string) =>
  unit ? `${formatAmount(value, locale)} ${unit}` : formatAmount(value, locale);

/** "Add 1 vCPU (1–8 vCPU)", "Add 2 GB of Memory (2–32 GB)", "Notify only". Bounds are the tuned ones when given. */
export function actionPhrase(
  action: TriggerPolicyView['action'],
  dimensions: readonly CapacityDimension[] = [],
  bounds: { min?: number | undefined; max?: number | undefined } = {},
  locale?: string,
): string {
  if (action.kind === 'notify') return 'Notify only';
  const { label, unit } = dimensionWords(action.dimension, dimensions);
  const min = bounds.min ?? action.min;
  const max = bounds.max ?? action.max;
  const verb = action.direction === 'up' ? 'Add' : 'Remove';
  // "Add 1 vCPU" says it all when the unit is the dimension's name; "Add 2 GB of Memory" otherwise.
  const what = unit && unit.toLowerCase() === label.toLowerCase() ? '' : ` of ${label}`;
  return `${verb} ${withUnit(action.step, unit, locale)}${what} (${formatAmount(min, locale)}–${withUnit(max, unit, locale)})`;
}

/** Why a threshold can never be crossed, in the metric's words (the API's check, its message for people). */
export function thresholdWords(metric: MetricName, threshold: number): string | undefined {
  if (!thresholdProblem(metric, threshold)) return undefined;
  const { label, unit } = METRIC_WORDS[metric];
  return unit === '%' ? `${label} is a percentage: from 0 to 100.` : `${label} is never negative: 0 or more.`;
}

// ——— The merchant's policy form ———

export type PolicyForm = {
  productId: string;
  name: string;
  metric: MetricName;
  aggregation: TriggerAggregation;
  windowMinutes: string;
  operator: TriggerOperator;
  threshold: string;
  durationMinutes: string;
  actionKind: 'scale' | 'notify';
  dimension: string;
  direction: 'up' | 'down';
  step: string;
  min: string;
  max: string;
  cooldownMinutes: string;
  /** '' for none. */
  hysteresis: string;
  enabled: boolean;
};

export type PolicyField =
  | 'productId'
  | 'name'
  | 'metric'
  | 'aggregation'
  | 'windowMinutes'
  | 'operator'
  | 'threshold'
  | 'durationMinutes'
  | 'action'
  | 'action.dimension'
  | 'action.direction'
  | 'action.step'
  | 'action.min'
  | 'action.max'
  | 'cooldownMinutes'
  | 'hysteresis'
  | 'enabled';

export const POLICY_FIELD_LABELS: Record<PolicyField, string> = {
  productId: 'Product',
  name: 'Name',
  metric: 'Metric',
  aggregation: 'Aggregation',
  windowMinutes: 'Window',
  operator: 'Condition',
  threshold: 'Threshold',
  durationMinutes: 'Duration',
  action: 'Action',
  'action.dimension': 'Dimension',
  'action.direction': 'Direction',
  'action.step': 'Step',
  'action.min': 'Lowest',
  'action.max': 'Highest',
  cooldownMinutes: 'Cooldown',
  hysteresis: 'Hysteresis',
  enabled: 'Enabled',
};
export const POLICY_FIELDS = Object.keys(POLICY_FIELD_LABELS) as PolicyField[];

/** A new policy: CPU above 80 % for 5 minutes adds a step of the product's first dimension. */
export function emptyPolicyForm(
  productId: string,
  dimensions: readonly CapacityDimension[] = [],
): PolicyForm {
  const first = dimensions[0];
  return {
    productId,
    name: '',
    metric: 'cpu_pct',
    aggregation: 'avg',
    windowMinutes: '10',
    operator: '>',
    threshold: '80',
    durationMinutes: '5',
    actionKind: first ? 'scale' : 'notify',
    dimension: first?.key ?? '',
    direction: 'up',
    step: first ? String(first.step) : '1',
    min: first ? String(first.min) : '',
    max: first ? String(first.max) : '',
    cooldownMinutes: '30',
    hysteresis: '',
    enabled: true,
  };
}

export function policyFormOf(policy: TriggerPolicyView): PolicyForm {
  const scale = policy.action.kind === 'scale' ? policy.action : undefined;
  return {
    productId: policy.productId,
    name: policy.name,
    metric: policy.metric,
    aggregation: policy.aggregation,
    windowMinutes: String(policy.windowMinutes),
    operator: policy.operator,
    threshold: String(policy.threshold),
    durationMinutes: String(policy.durationMinutes),
    actionKind: policy.action.kind,
    dimension: scale?.dimension ?? '',
    direction: scale?.direction ?? 'up',
    step: scale ? String(scale.step) : '1',
    min: scale ? String(scale.min) : '',
    max: scale ? String(scale.max) : '',
    cooldownMinutes: String(policy.cooldownMinutes),
    hysteresis: policy.hysteresis === undefined ? '' : String(policy.hysteresis),
    enabled: policy.enabled,
  };
}

/** A typed number ("1,5" too), or undefined when it is not one. */
export function parseNumber(text: string): number | undefined {
  const value = text.trim().replace(',', '.');
  if (value === '' || !/^-?\d*\.?\d+$/.test(value)) return undefined;
  return Number(value);
}

function wholeMinutes(
  errors: Map<string, string>,
  key: string,
  text: string,
  min: number,
  max: number,
  extra = '',
): number {
  const value = parseNumber(text);
  if (value === undefined || !Number.isInteger(value) || value < min || value > max) {
    errors.set(key, `Whole minutes from ${min} to ${max}${extra}.`);
    return 0;
  }
  return value;
}

export type Checked<Body, Field extends string> =
  | { body: Body; errors?: undefined }
  | { errors: Map<Field, string>; body?: undefined };

/**
 * The form as the API's body, or what is wrong with it (nothing is sent then). Only what the form
 * alone can tell is checked here; whether a dimension, step or bound fits the product is the API's
 * to say (its 400 lands beside the same field).
 */
export function checkPolicy(
  form: PolicyForm,
  edit?: { id: string; revision: number },
): Checked<UpsertTriggerPolicyRequest, PolicyField> {
  const errors = new Map<string, string>();
  if (!form.productId) errors.set('productId', 'Choose the product the policy is for.');
  const name = form.name.trim();
  if (!name) errors.set('name', 'Give the policy a name, e.g. “More CPU under load”.');
  else if (name.length > 80) errors.set('name', 'At most 80 characters.');
  const windowMinutes = parseNumber(form.windowMinutes);
  if (
    windowMinutes === undefined ||
    !Number.isInteger(windowMinutes) ||
    windowMinutes % 5 !== 0 ||
    windowMinutes < MIN_WINDOW_MINUTES ||
    windowMinutes > MAX_WINDOW_MINUTES
  ) {
    errors.set(
      'windowMinutes',
      `Minutes from ${MIN_WINDOW_MINUTES} to ${MAX_WINDOW_MINUTES}, in steps of 5.`,
    );
  }
  const threshold = parseNumber(form.threshold);
  if (threshold === undefined) errors.set('threshold', 'Enter a number, e.g. 80.');
  else {
    const problem = thresholdWords(form.metric, threshold);
    if (problem) errors.set('threshold', problem);
  }
  const durationMinutes = wholeMinutes(
    errors,
    'durationMinutes',
    form.durationMinutes,
    0,
    MAX_WINDOW_MINUTES,
    ' (0: at once)',
  );
  const cooldownMinutes = wholeMinutes(
    errors,
    'cooldownMinutes',
    form.cooldownMinutes,
    MIN_COOLDOWN_MINUTES,
    MAX_COOLDOWN_MINUTES,
  );
  let hysteresis: number | undefined;
  if (form.hysteresis.trim() !== '') {
    hysteresis = parseNumber(form.hysteresis);
    if (hysteresis === undefined || hysteresis < 0) {
      errors.set('hysteresis', 'A margin of 0 or more, or leave it empty.');
    }
  }
  let action: UpsertTriggerPolicyRequest['action'] = { kind: 'notify' };
  if (form.actionKind === 'scale') {
    if (!form.dimension) errors.set('action.dimension', 'Choose the capacity to change.');
    const step = parseNumber(form.step);
    if (step === undefined || step <= 0) errors.set('action.step', 'A step above 0, e.g. 1.');
    const min = parseNumber(form.min);
    const max = parseNumber(form.max);
    if (min === undefined || min < 0) errors.set('action.min', 'Enter the lowest capacity, 0 or more.');
    if (max === undefined || max < 0) errors.set('action.max', 'Enter the highest capacity, 0 or more.');
    else if (min !== undefined && min > max) errors.set('action.min', 'Must not be more than the highest.');
    action = {
      kind: 'scale',
      dimension: form.dimension,
      direction: form.direction,
      step: step ?? 0,
      min: min ?? 0,
      max: max ?? 0,
    };
  }
  if (errors.size > 0) return { errors: errors as Map<PolicyField, string> };
  return {
    body: {
      productId: form.productId,
      name,
      metric: form.metric,
      aggregation: form.aggregation,
      windowMinutes: windowMinutes ?? 0,
      operator: form.operator,
      threshold: threshold ?? 0,
      durationMinutes,
      action,
      cooldownMinutes,
      ...(hysteresis === undefined ? {} : { hysteresis }),
      enabled: form.enabled,
      ...(edit ? { id: edit.id, expectedRevision: edit.revision } : {}),
    },
  };
}

// ——— The buyer's tuning of one policy ———

export type TuningForm = {
  enabled: boolean;
  /** '' takes the policy's value. */
  threshold: string;
  min: string;
  max: string;
  maxHourlySpend: string;
  cooldownMinutes: string;
};
export type TuningField = 'enabled' | 'threshold' | 'min' | 'max' | 'maxHourlySpend' | 'cooldownMinutes';
export const TUNING_FIELD_LABELS: Record<TuningField, string> = {
  enabled: 'On',
  threshold: 'Threshold',
  min: 'Lowest',
  max: 'Highest',
  maxHourlySpend: 'Most per hour',
  cooldownMinutes: 'Cooldown',
};
export const TUNING_FIELDS = Object.keys(TUNING_FIELD_LABELS) as TuningField[];

type Setting = {
  enabled: boolean;
  threshold?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
  maxHourlySpend?: string | undefined;
  cooldownMinutes?: number | undefined;
};

const text = (value: number | string | undefined) => (value === undefined ? '' : String(value));

/** The buyer's own values; empty fields take the policy's. */
export function tuningFormOf(setting: Setting | undefined): TuningForm {
  return {
    enabled: setting?.enabled ?? false,
    threshold: text(setting?.threshold),
    min: text(setting?.min),
    max: text(setting?.max),
    maxHourlySpend: text(setting?.maxHourlySpend),
    cooldownMinutes: text(setting?.cooldownMinutes),
  };
}

/** The PUT body (left-out fields take the policy's value), or what is out of the merchant's bounds. */
export function checkTuning(
  form: TuningForm,
  policy: TriggerPolicyView,
  expectedRevision?: number,
): Checked<SetServiceTriggerRequest, TuningField> {
  const errors = new Map<TuningField, string>();
  const body: SetServiceTriggerRequest = { enabled: form.enabled };
  const optional = (value: string) => (value.trim() === '' ? undefined : parseNumber(value));
  if (form.threshold.trim() !== '') {
    const threshold = optional(form.threshold);
    const problem = threshold === undefined ? 'Enter a number.' : thresholdWords(policy.metric, threshold);
    if (problem) errors.set('threshold', problem);
    else body.threshold = threshold;
  }
  if (policy.action.kind === 'scale') {
    const { min: low, max: high } = policy.action;
    const bounds = `Between ${formatAmount(low)} and ${formatAmount(high)}, or leave it empty.`;
    for (const key of ['min', 'max'] as const) {
      if (form[key].trim() === '') continue;
      const value = optional(form[key]);
      if (value === undefined || value < low || value > high) errors.set(key, bounds);
      else body[key] = value;
    }
    if (body.min !== undefined && body.max !== undefined && body.min > body.max) {
      errors.set('min', 'Must not be more than the highest.');
    }
  }
  const spend = form.maxHourlySpend.trim().replace(',', '.');
  if (spend !== '') {
    if (!/^\d+(\.\d{1,10})?$/.test(spend))
      errors.set('maxHourlySpend', 'An amount like 0.50, or leave it empty.');
    else body.maxHourlySpend = spend;
  }
  if (form.cooldownMinutes.trim() !== '') {
    const cooldown = optional(form.cooldownMinutes);
    if (
      cooldown === undefined ||
      !Number.isInteger(cooldown) ||
      cooldown < policy.cooldownMinutes ||
      cooldown > MAX_COOLDOWN_MINUTES
    ) {
      errors.set(
        'cooldownMinutes',
        `Whole minutes from ${policy.cooldownMinutes} (the provider's) to ${MAX_COOLDOWN_MINUTES}, or leave it empty.`,
      );
    } else body.cooldownMinutes = cooldown;
  }
  if (errors.size > 0) return { errors };
  return { body: expectedRevision ? { ...body, expectedRevision } : body };
}

// ——— Firings ———

/** "vCPU 2 → 3" of a scale firing; undefined for notifications. */
export function firingChange(
  firing: TriggerFiringView,
  dimensions: readonly CapacityDimension[] = [],
  locale?: string,
): string | undefined {
  if (firing.action.kind !== 'scale' || !firing.from) return undefined;
  const key = firing.action.dimension;
  const { label, unit } = dimensionWords(key, dimensions);
  const from = firing.from.dimensions?.[key];
  const to = firing.to?.dimensions?.[key];
  if (from === undefined) return undefined;
  const after = to === undefined || to === from ? '' : ` → ${withUnit(to, unit, locale)}`;
  return `${label}: ${withUnit(from, unit, locale)}${after}`;
}

/** "92 % above 80 %" — what the window measured against what the trigger asked. */
export function firingReading(firing: TriggerFiringView, locale?: string): string {
  return `${metricValue(firing.metric, firing.observed, locale)} ${OPERATOR_WORDS[firing.operator]} ${metricValue(firing.metric, firing.threshold, locale)}`;
}
