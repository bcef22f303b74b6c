/**
 * Checking a buyer's configuration against a product: every dimension in range and on its step
 * grid, every option value one of its choices. Runs on every quote, so it is hand-written over
 * rules prepared once per product rather than a zod schema built per product.
 */
import { type Decimal, decimal } from './money.ts';
import type { PricingIssue } from './pricing-errors.ts';
import type {
  CapacityDimension,
  Configuration,
  OptionChoice,
  OptionValue,
  PricedProduct,
  ProductOption,
} from './product.ts';

/** A configuration with every dimension and option filled in (defaults where the buyer chose none). */
export type ResolvedConfiguration = {
  dimensions: Record<string, number>;
  /** single: choice key; multi: choice keys in the product's order; toggle: boolean. */
  options: Record<string, OptionValue>;
};

export type DimensionRule = CapacityDimension & {
  minDecimal: Decimal;
  stepDecimal: Decimal;
  /** min and step are integers: integer values can be checked without decimals. */
  integralGrid: boolean;
};

export type OptionRule = ProductOption & {
  choiceKeys: string[];
  choicesByKey: Map<string, OptionChoice>;
  /** Choice key (`on` for a toggle) → label of its quote line ("Operating system: Windows Server"). */
  lineLabels: Map<string, string>;
};

/** A product's dimensions and options, prepared for checking configurations. */
export type ConfigurationRules = {
  dimensions: DimensionRule[];
  dimensionsByKey: Map<string, DimensionRule>;
  options: OptionRule[];
  optionsByKey: Map<string, OptionRule>;
};

/** @example configurationRulesOf(virtualServer).dimensionsByKey.get('vcpu')?.max // 64 */
export function configurationRulesOf(
  product: Pick<PricedProduct, 'dimensions' | 'options'>,
): ConfigurationRules {
  const dimensions = product.dimensions.map(
    (dimension): DimensionRule => ({
      ...dimension,
      minDecimal: decimal(dimension.min),
      stepDecimal: decimal(dimension.step),
      integralGrid: Number.isInteger(dimension.min) && Number.isInteger(dimension.step),
    }),
  );
  const options = product.options.map(
    (option): OptionRule => ({
      ...option,
      choiceKeys: (option.choices ?? []).map((choice) => choice.key),
      choicesByKey: new Map((option.choices ?? []).map((choice) => [choice.key, choice])),
      lineLabels: new Map(
        option.type === 'toggle'
          ? [['on', option.label]]
          : (option.choices ?? []).map((choice) => [choice.key, `${option.label}: ${choice.label}`]),
      ),
    }),
  );
  return {
    dimensions,
    dimensionsByKey: new Map(dimensions.map((dimension) => [dimension.key, dimension])),
    options,
    optionsByKey: new Map(options.map((option) => [option.key, option])),
  };
}

/**
 * `value` lies on the grid min, min + step, min + 2·step … (range is checked separately).
 *
 * @example isOnStepGrid({ min: 20, step: 10, … }, 25) // false
 */
export function isOnStepGrid(
  rule: Pick<DimensionRule, 'min' | 'step' | 'minDecimal' | 'stepDecimal' | 'integralGrid'>,
  value: number,
): boolean {
  if (rule.integralGrid && Number.isInteger(value)) return (value - rule.min) % rule.step === 0;
  return decimal(value).minus(rule.minDecimal).mod(rule.stepDecimal).isZero();
}

function gridNeighbours(rule: DimensionRule, value: number): string {
  const below = decimal(value).minus(rule.minDecimal).div(rule.stepDecimal).floor();
  const lower = rule.minDecimal.plus(below.times(rule.stepDecimal));
  const upper = lower.plus(rule.stepDecimal);
  return upper.gt(rule.max) ? lower.toString() : `${lower.toString()} or ${upper.toString()}`;
}

const list = (keys: Iterable<string>) => [...keys].join(', ');
const choicesOf = (rule: OptionRule) => rule.choiceKeys.join(', ');

function optionIssue(rule: OptionRule, prefix: string, code: string, message: string): PricingIssue {
  return { path: `${prefix}options.${rule.key}`, code, message };
}

/**
 * Fills in defaults and collects every problem of a configuration. `at` prefixes the issue paths
 * (`presets[0].configuration`); the default gives paths like `dimensions.vcpu`.
 *
 * @example resolveConfiguration(rules, { dimensions: { vcpu: 65 } }).issues
 * // [{ path: 'dimensions.vcpu', code: 'out_of_range', message: 'vCPU must be from 1 to 64 vCPU, not 65' }]
 */
export function resolveConfiguration(
  rules: ConfigurationRules,
  configuration: Configuration,
  at = '',
): { configuration: ResolvedConfiguration; issues: PricingIssue[] } {
  const issues: PricingIssue[] = [];
  const prefix = at ? `${at}.` : '';
  const chosenDimensions = configuration.dimensions ?? {};
  const chosenOptions = configuration.options ?? {};
  const dimensions: Record<string, number> = {};
  const options: Record<string, OptionValue> = {};

  for (const rule of rules.dimensions) {
    const value = Object.hasOwn(chosenDimensions, rule.key) ? chosenDimensions[rule.key] : rule.default;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({
        path: `${prefix}dimensions.${rule.key}`,
        code: 'invalid_type',
        message: `${rule.label} must be a number`,
      });
    } else if (value < rule.min || value > rule.max) {
      issues.push({
        path: `${prefix}dimensions.${rule.key}`,
        code: 'out_of_range',
        message: `${rule.label} must be from ${rule.min} to ${rule.max} ${rule.unit}, not ${value}`,
      });
    } else if (!isOnStepGrid(rule, value)) {
      issues.push({
        path: `${prefix}dimensions.${rule.key}`,
        code: 'off_step',
        message: `${rule.label} goes in steps of ${rule.step} ${rule.unit} from ${rule.min}: ${value} is not one, ${gridNeighbours(rule, value)} is`,
      });
    } else {
      dimensions[rule.key] = value;
    }
  }
  for (const key of Object.keys(chosenDimensions)) {
    if (!rules.dimensionsByKey.has(key)) {
      issues.push({
        path: `${prefix}dimensions.${key}`,
        code: 'unknown_dimension',
        message: `no dimension "${key}"; there are ${list(rules.dimensionsByKey.keys()) || 'none'}`,
      });
    }
  }

  for (const rule of rules.options) {
    const value = Object.hasOwn(chosenOptions, rule.key) ? chosenOptions[rule.key] : rule.default;
    if (rule.type === 'toggle') {
      if (value === undefined) options[rule.key] = false;
      else if (typeof value === 'boolean') options[rule.key] = value;
      else issues.push(optionIssue(rule, prefix, 'invalid_type', `${rule.label} must be true or false`));
    } else if (rule.type === 'single') {
      if (value === undefined) {
        issues.push(
          optionIssue(rule, prefix, 'option_required', `${rule.label}: choose one of ${choicesOf(rule)}`),
        );
      } else if (typeof value !== 'string') {
        issues.push(optionIssue(rule, prefix, 'invalid_type', `${rule.label} must be one choice key`));
      } else if (!rule.choicesByKey.has(value)) {
        issues.push(
          optionIssue(
            rule,
            prefix,
            'unknown_choice',
            `"${value}" is not a choice of ${rule.label}: ${choicesOf(rule)}`,
          ),
        );
      } else {
        options[rule.key] = value;
      }
    } else {
      const selected = value ?? [];
      if (!Array.isArray(selected)) {
        issues.push(optionIssue(rule, prefix, 'invalid_type', `${rule.label} must be a list of choice keys`));
        continue;
      }
      const before = issues.length;
      for (let index = 0; index < selected.length; index++) {
        const choice: unknown = selected[index];
        if (typeof choice !== 'string' || !rule.choicesByKey.has(choice)) {
          issues.push({
            path: `${prefix}options.${rule.key}[${index}]`,
            code: 'unknown_choice',
            message: `${JSON.stringify(choice)} is not a choice of ${rule.label}: ${choicesOf(rule)}`,
          });
        } else if (selected.indexOf(choice) !== index) {
          issues.push({
            path: `${prefix}options.${rule.key}[${index}]`,
            code: 'duplicate_choice',
            message: `"${choice}" is chosen twice`,
          });
        }
      }
      if (issues.length === before) {
        // the product's order, whatever the buyer's: the same choices give the same quote
        options[rule.key] = rule.choiceKeys.filter((key) => selected.includes(key));
      }
    }
  }
  for (const key of Object.keys(chosenOptions)) {
    if (!rules.optionsByKey.has(key)) {
      issues.push({
        path: `${prefix}options.${key}`,
        code: 'unknown_option',
        message: `no option "${key}"; there are ${list(rules.optionsByKey.keys()) || 'none'}`,
      });
    }
  }
  return { configuration: { dimensions, options }, issues };
}
