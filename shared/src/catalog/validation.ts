/**
 * Validation of a merchant's product pricing: shape first (the zod schemas of product.ts), then
 * the rules across fields. Every problem is reported at once, with a path into the product, so
 * the API can answer one 400 listing them all.
 */
import type * as z from 'zod';
import { configurationRulesOf, isOnStepGrid, resolveConfiguration } from './configuration.ts';
import { CURRENCIES, decimal, isCurrencyCode } from './money.ts';
import { decimalPlaces, MAX_QUANTITY_DECIMALS, priceModelIssues } from './price-models.ts';
import type { PricingIssue } from './pricing-errors.ts';
import { type CapacityDimension, PricedProduct, type ProductOption } from './product.ts';

/** `['dimensions', 0, 'max']` → `dimensions[0].max` (the API prefixes `body.`). */
function pathOf(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function shapeIssues(error: z.ZodError): PricingIssue[] {
  return error.issues.map((issue) => ({
    path: pathOf(issue.path),
    message: issue.message,
    code: issue.code,
  }));
}

/**
 * Everything wrong with a product's pricing; an empty list means it can be quoted.
 *
 * @example validateProductPricing({ ...virtualServer, dimensions: [{ ...vcpu, min: 8, max: 4 }] })
 * // [{ path: 'dimensions[0].max', code: 'range_inverted', message: 'max (4) must not be below min (8)' }, …]
 */
export function validateProductPricing(product: unknown): PricingIssue[] {
  const result = parseProductPricing(product);
  return result.success ? [] : result.issues;
}

/**
 * Validates and returns the product as parsed: a copy, so later changes to the input do not
 * reach whoever keeps the result.
 *
 * @example const result = parseProductPricing(JSON.parse(body)); if (!result.success) throw new InvalidProductPricingError(result.issues);
 */
export function parseProductPricing(
  product: unknown,
): { success: true; product: PricedProduct } | { success: false; issues: PricingIssue[] } {
  const parsed = PricedProduct.safeParse(product);
  if (!parsed.success) return { success: false, issues: shapeIssues(parsed.error) };
  const issues = semanticIssues(parsed.data);
  return issues.length > 0 ? { success: false, issues } : { success: true, product: parsed.data };
}

function semanticIssues(product: PricedProduct): PricingIssue[] {
  const { dimensions, options, presets } = product;
  const issues: PricingIssue[] = [];

  issues.push(...duplicateKeyIssues(dimensions, options));
  dimensions.forEach((dimension, index) => {
    issues.push(...dimensionIssues(dimension, `dimensions[${index}]`));
  });
  options.forEach((option, index) => {
    issues.push(...optionIssues(option, `options[${index}]`));
  });
  issues.push(...priceListIssues(product));
  if (issues.length > 0) return issues; // presets are checked against a product that holds together

  const rules = configurationRulesOf({ dimensions, options });
  const presetKeys = new Set<string>();
  presets.forEach((preset, index) => {
    if (presetKeys.has(preset.key)) {
      issues.push({
        path: `presets[${index}].key`,
        code: 'duplicate_key',
        message: `preset "${preset.key}" is defined twice`,
      });
    }
    presetKeys.add(preset.key);
    issues.push(
      ...resolveConfiguration(rules, preset.configuration, `presets[${index}].configuration`).issues,
    );
  });
  return issues;
}

function duplicateKeyIssues(dimensions: CapacityDimension[], options: ProductOption[]): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const seen = new Map<string, string>();
  const check = (key: string, path: string) => {
    const first = seen.get(key);
    if (first) {
      issues.push({
        path,
        code: 'duplicate_key',
        message: `key "${key}" is already used by ${first}; dimensions and options share one set of keys`,
      });
    } else {
      seen.set(key, path);
    }
  };
  dimensions.forEach((dimension, index) => {
    check(dimension.key, `dimensions[${index}].key`);
  });
  options.forEach((option, index) => {
    check(option.key, `options[${index}].key`);
  });
  return issues;
}

function dimensionIssues(dimension: CapacityDimension, path: string): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const { min, max, step, unit } = dimension;
  for (const field of ['min', 'max', 'step', 'default'] as const) {
    if (decimalPlaces(dimension[field]) > MAX_QUANTITY_DECIMALS) {
      issues.push({
        path: `${path}.${field}`,
        code: 'too_many_decimals',
        message: `${dimension[field]} has more than ${MAX_QUANTITY_DECIMALS} decimals`,
      });
    }
  }
  if (issues.length > 0) return issues;
  if (max < min) {
    issues.push({
      path: `${path}.max`,
      code: 'range_inverted',
      message: `max (${max}) must not be below min (${min})`,
    });
    return issues;
  }
  if (!decimal(max).minus(min).mod(step).isZero()) {
    issues.push({
      path: `${path}.step`,
      code: 'step_not_dividing_range',
      message: `step ${step} must divide the range ${min}–${max} ${unit} (${decimal(max).minus(min)} is not a multiple of ${step})`,
    });
  }
  if (dimension.default < min || dimension.default > max) {
    issues.push({
      path: `${path}.default`,
      code: 'default_out_of_range',
      message: `default ${dimension.default} must be from ${min} to ${max}`,
    });
  } else {
    const grid = {
      min,
      step,
      minDecimal: decimal(min),
      stepDecimal: decimal(step),
      integralGrid: Number.isInteger(min) && Number.isInteger(step),
    };
    if (!isOnStepGrid(grid, dimension.default)) {
      issues.push({
        path: `${path}.default`,
        code: 'default_off_step',
        message: `default ${dimension.default} must be ${min} plus a multiple of the step ${step}`,
      });
    }
  }
  return issues;
}

function optionIssues(option: ProductOption, path: string): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const choiceKeys = new Set<string>();
  (option.choices ?? []).forEach((choice, index) => {
    if (choiceKeys.has(choice.key)) {
      issues.push({
        path: `${path}.choices[${index}].key`,
        code: 'duplicate_key',
        message: `choice "${choice.key}" is defined twice`,
      });
    }
    choiceKeys.add(choice.key);
  });
  if (option.type === 'toggle') {
    if (option.choices) {
      issues.push({
        path: `${path}.choices`,
        code: 'choices_not_allowed',
        message: 'a toggle has no choices',
      });
    }
    if (option.default !== undefined && typeof option.default !== 'boolean') {
      issues.push({
        path: `${path}.default`,
        code: 'invalid_default',
        message: 'a toggle defaults to true or false',
      });
    }
    return issues;
  }
  if (!option.choices) {
    issues.push({
      path: `${path}.choices`,
      code: 'choices_required',
      message: `a ${option.type} option needs at least one choice`,
    });
    return issues;
  }
  const known = [...choiceKeys].join(', ');
  if (option.type === 'single' && option.default !== undefined) {
    if (typeof option.default !== 'string' || !choiceKeys.has(option.default)) {
      issues.push({
        path: `${path}.default`,
        code: 'invalid_default',
        message: `the default of a single option is one of its choices: ${known}`,
      });
    }
  }
  if (option.type === 'multi' && option.default !== undefined) {
    const defaults = option.default;
    if (
      !Array.isArray(defaults) ||
      defaults.some((key) => !choiceKeys.has(key)) ||
      new Set(defaults).size !== defaults.length
    ) {
      issues.push({
        path: `${path}.default`,
        code: 'invalid_default',
        message: `the default of a multi option is a list of distinct choices among: ${known}`,
      });
    }
  }
  return issues;
}

function priceListIssues(product: PricedProduct): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const currencies = Object.keys(product.prices);
  if (currencies.length === 0) {
    issues.push({
      path: 'prices',
      code: 'no_prices',
      message: 'a product needs prices in at least one currency',
    });
  }
  const dimensionKeys = new Set(product.dimensions.map((dimension) => dimension.key));
  const optionsByKey = new Map(product.options.map((option) => [option.key, option]));
  /** `os.windows` → currencies pricing it, to find choices priced in some currencies only. */
  const pricedChoices = new Map<string, string[]>();

  for (const currency of currencies) {
    const path = `prices.${currency}`;
    if (!isCurrencyCode(currency)) {
      issues.push({
        path,
        code: 'unknown_currency',
        message: `unknown currency "${currency}"; known: ${Object.keys(CURRENCIES).join(', ')}`,
      });
      continue;
    }
    const priceList = product.prices[currency];
    if (!priceList) continue;
    const exponent = CURRENCIES[currency].minorUnitExponent;
    if (decimal(priceList.setupFee).decimalPlaces() > exponent) {
      issues.push({
        path: `${path}.setupFee`,
        code: 'too_many_decimals',
        message: `a setup fee in ${currency} has at most ${exponent} decimals, not ${priceList.setupFee}`,
      });
    }
    for (const key of dimensionKeys) {
      if (!Object.hasOwn(priceList.dimensions, key)) {
        issues.push({
          path: `${path}.dimensions`,
          code: 'missing_price',
          message: `no ${currency} price for dimension "${key}" (a perUnit price of "0" makes it free)`,
        });
      }
    }
    for (const [key, model] of Object.entries(priceList.dimensions)) {
      const at = `${path}.dimensions.${key}`;
      if (!dimensionKeys.has(key)) {
        issues.push({
          path: at,
          code: 'unknown_dimension',
          message: `the product has no dimension "${key}"`,
        });
      } else {
        issues.push(...priceModelIssues(model, at));
      }
    }
    for (const [optionKey, choicePrices] of Object.entries(priceList.options)) {
      const option = optionsByKey.get(optionKey);
      if (!option) {
        issues.push({
          path: `${path}.options.${optionKey}`,
          code: 'unknown_option',
          message: `the product has no option "${optionKey}"`,
        });
        continue;
      }
      const choiceKeys =
        option.type === 'toggle' ? ['on'] : (option.choices ?? []).map((choice) => choice.key);
      for (const [choiceKey, choicePrice] of Object.entries(choicePrices)) {
        const at = `${path}.options.${optionKey}.${choiceKey}`;
        if (!choiceKeys.includes(choiceKey)) {
          issues.push({
            path: at,
            code: 'unknown_choice',
            message:
              option.type === 'toggle'
                ? `a toggle is priced under "on", not "${choiceKey}"`
                : `option "${optionKey}" has no choice "${choiceKey}"; it has ${choiceKeys.join(', ')}`,
          });
          continue;
        }
        if (choicePrice.per !== undefined && !dimensionKeys.has(choicePrice.per)) {
          issues.push({
            path: `${at}.per`,
            code: 'unknown_dimension',
            message: `the product has no dimension "${choicePrice.per}" to price per`,
          });
        }
        issues.push(...priceModelIssues(choicePrice.price, `${at}.price`));
        const pricedIn = pricedChoices.get(`${optionKey}.${choiceKey}`) ?? [];
        pricedIn.push(currency);
        pricedChoices.set(`${optionKey}.${choiceKey}`, pricedIn);
      }
    }
  }
  const knownCurrencies = currencies.filter(isCurrencyCode);
  for (const [choice, pricedIn] of pricedChoices) {
    const missing = knownCurrencies.filter((currency) => !pricedIn.includes(currency));
    for (const currency of missing) {
      const [optionKey, choiceKey] = choice.split('.');
      issues.push({
        path: `prices.${currency}.options`,
        code: 'missing_price',
        message: `"${optionKey}" choice "${choiceKey}" is priced in ${pricedIn.join(', ')} but not in ${currency}; it would be free in ${currency}`,
      });
    }
  }
  return issues;
}
