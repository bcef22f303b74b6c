/**
 * Compiling a product for quoting: validate once, parse every rate into a decimal once, prepare
 * the configuration rules. A storefront compiles a product when it loads it and then quotes on
 * every slider move; a Lambda compiles per catalog version.
 */
import { type ConfigurationRules, configurationRulesOf } from './configuration.ts';
import { type CurrencyCode, type Decimal, decimal, isCurrencyCode } from './money.ts';
import { compilePriceModel, type PriceModelEvaluator } from './price-models.ts';
import { InvalidProductPricingError } from './pricing-errors.ts';
import type { PricedProduct } from './product.ts';
import { parseProductPricing } from './validation.ts';

const compiled: unique symbol = Symbol('CompiledPricing');

export type CompiledChoicePrice = {
  /** Dimension whose value is the quantity; none: quantity 1 (a flat hourly price). */
  per: string | undefined;
  evaluate: PriceModelEvaluator;
};

export type CompiledPriceList = {
  currency: CurrencyCode;
  baseRate: Decimal;
  setupFee: Decimal;
  /** In the order of `rules.dimensions`. */
  dimensionPrices: PriceModelEvaluator[];
  /** In the order of `rules.options`: choice key (`on` for a toggle) → price. Unpriced choices are free. */
  optionPrices: Map<string, CompiledChoicePrice>[];
};

export type CompiledPricing = {
  readonly [compiled]: true;
  /** The product as validated (a copy of the input). */
  readonly product: PricedProduct;
  readonly rules: ConfigurationRules;
  readonly priceLists: ReadonlyMap<CurrencyCode, CompiledPriceList>;
};

/**
 * Validates a product and prepares it for {@link quote}. Throws {@link InvalidProductPricingError}
 * listing every issue.
 *
 * @example const pricing = compilePricing(virtualServer); quote(pricing, { dimensions: { vcpu: 4 } }, context)
 */
export function compilePricing(product: PricedProduct): CompiledPricing {
  const result = parseProductPricing(product);
  if (!result.success) throw new InvalidProductPricingError(result.issues);
  const valid = result.product;
  const rules = configurationRulesOf(valid);
  const priceLists = new Map<CurrencyCode, CompiledPriceList>();
  for (const [currency, priceList] of Object.entries(valid.prices)) {
    if (!isCurrencyCode(currency)) continue; // validation rejected unknown currencies already
    priceLists.set(currency, {
      currency,
      baseRate: decimal(priceList.baseRate),
      setupFee: decimal(priceList.setupFee),
      dimensionPrices: rules.dimensions.map((dimension) => {
        const model = priceList.dimensions[dimension.key];
        if (!model)
          throw new Error(`unreachable: validation lets no dimension go unpriced (${dimension.key})`);
        return compilePriceModel(model);
      }),
      optionPrices: rules.options.map(
        (option) =>
          new Map(
            Object.entries(priceList.options[option.key] ?? {}).map(([choice, choicePrice]) => [
              choice,
              { per: choicePrice.per, evaluate: compilePriceModel(choicePrice.price) },
            ]),
          ),
      ),
    });
  }
  return Object.freeze({ [compiled]: true as const, product: valid, rules, priceLists });
}

/** @example isCompiledPricing(compilePricing(virtualServer)) // true; isCompiledPricing(virtualServer) // false */
export function isCompiledPricing(value: unknown): value is CompiledPricing {
  return typeof value === 'object' && value !== null && compiled in value;
}
