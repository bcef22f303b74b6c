/**
 * Price models: how a quantity becomes an hourly price. A model is compiled once into a function
 * over decimals (rates parsed, tier sums precomputed), then called for every quote.
 *
 * Every model first subtracts `includedQuantity` (never below 0); a billable quantity of 0 costs
 * nothing, flat tier prices included. Results are unrounded.
 */
import { type Decimal, decimal, ZERO } from './money.ts';
import type { PricingIssue } from './pricing-errors.ts';
import type { PriceModel, PriceTier } from './product.ts';

/** Most decimals a quantity, tier bound or block size may have. */
export const MAX_QUANTITY_DECIMALS = 6;

/**
 * A compiled model: quantity in, hourly price out (unrounded). Quantities are the JSON numbers of
 * a configuration; they are compared as numbers (exact: validated quantities have at most
 * {@link MAX_QUANTITY_DECIMALS} decimals and are at most 1e9, so distinct ones are distinct
 * doubles) and multiplied as decimals.
 */
export type PriceModelEvaluator = (quantity: number) => Decimal;

/**
 * Compiles a model that validation accepted (see {@link priceModelIssues}). Tiers are turned into
 * a straight line per tier, `intercept + unitPrice × quantity`, with the included quantity and the
 * tiers below folded into the intercept, so a price costs two decimal operations.
 *
 * @example compilePriceModel({ model: 'package', blockSize: 10, blockPrice: '0.5' })(25).toString() // '1.5'
 */
export function compilePriceModel(model: PriceModel): PriceModelEvaluator {
  const included = model.includedQuantity ?? 0;
  switch (model.model) {
    case 'perUnit': {
      const unitPrice = decimal(model.unitPrice);
      if (included === 0) {
        // quantity 1: a flat price (base rate, option without `per`)
        return (quantity) => (quantity === 0 ? ZERO : quantity === 1 ? unitPrice : unitPrice.times(quantity));
      }
      const includedPrice = unitPrice.times(included);
      return (quantity) => (quantity <= included ? ZERO : unitPrice.times(quantity).minus(includedPrice));
    }
    case 'graduated':
    case 'volume': {
      const tiers = compileTiers(model.tiers, included, model.model);
      return (quantity) => {
        if (quantity <= included) return ZERO;
        const tier = tierOf(tiers, quantity);
        return tier.unitPrice.times(quantity).plus(tier.intercept);
      };
    }
    case 'package': {
      const { blockSize } = model;
      const blockPrice = decimal(model.blockPrice);
      const integral = Number.isInteger(blockSize) && Number.isInteger(included);
      const includedDecimal = decimal(included);
      const blockSizeDecimal = decimal(blockSize);
      return (quantity) => {
        if (quantity <= included) return ZERO;
        if (integral && Number.isInteger(quantity)) {
          const units = quantity - included; // integers below 2^53: exact
          const remainder = units % blockSize;
          return blockPrice.times((units - remainder) / blockSize + (remainder > 0 ? 1 : 0));
        }
        return decimal(quantity).minus(includedDecimal).div(blockSizeDecimal).ceil().times(blockPrice);
      };
    }
  }
}

/**
 * The hourly price of a quantity under a model, unrounded. Compiles the model on each call:
 * for repeated use, keep the result of {@link compilePriceModel}.
 *
 * @example priceOf({ model: 'volume', tiers: [{ upTo: 10, unitPrice: '2' }, { upTo: null, unitPrice: '1' }] }, 11).toString() // '11'
 */
export function priceOf(model: PriceModel, quantity: number): Decimal {
  return compilePriceModel(model)(quantity);
}

type CompiledTier = {
  /** Highest quantity (included quantity added) in this tier; none for the last tier. */
  upper: number | undefined;
  unitPrice: Decimal;
  /** Price at quantity 0 of this tier's line: flat price, tiers below, included quantity folded in. */
  intercept: Decimal;
};

/**
 * Graduated, in tier i holding quantities (inc + lower, inc + upper]:
 * price = tiers below (full) + flat_i + unit_i × (quantity − inc − lower)
 *       = unit_i × quantity + [tiers below + flat_i − unit_i × (inc + lower)].
 * Volume: price = unit_i × (quantity − inc) + flat_i = unit_i × quantity + [flat_i − unit_i × inc].
 */
function compileTiers(
  tiers: readonly PriceTier[],
  included: number,
  model: 'graduated' | 'volume',
): CompiledTier[] {
  const inc = decimal(included);
  let lower = ZERO;
  let costOfTiersBelow = ZERO;
  return tiers.map((tier) => {
    const unitPrice = decimal(tier.unitPrice);
    const flatPrice = tier.flatPrice ? decimal(tier.flatPrice) : ZERO;
    const upper = tier.upTo === null ? undefined : decimal(tier.upTo);
    const intercept =
      model === 'graduated'
        ? costOfTiersBelow.plus(flatPrice).minus(unitPrice.times(inc.plus(lower)))
        : flatPrice.minus(unitPrice.times(inc));
    if (upper) {
      costOfTiersBelow = costOfTiersBelow.plus(flatPrice).plus(unitPrice.times(upper.minus(lower)));
      lower = upper;
    }
    return { upper: upper ? upper.plus(inc).toNumber() : undefined, unitPrice, intercept };
  });
}

/** The tier holding `quantity`; the last tier is unbounded, so there always is one. */
function tierOf(tiers: readonly CompiledTier[], quantity: number): CompiledTier {
  for (const tier of tiers) {
    if (tier.upper === undefined || quantity <= tier.upper) return tier;
  }
  return tiers[tiers.length - 1] as CompiledTier;
}

/** @example decimalPlaces(0.25) // 2 */
export function decimalPlaces(value: number): number {
  return decimal(value).decimalPlaces();
}

/**
 * What is wrong with a model beyond its shape: tiers must ascend strictly, only the last may be
 * unbounded and it must be, quantities have at most {@link MAX_QUANTITY_DECIMALS} decimals.
 * `path` locates the model (`prices.EUR.dimensions.vcpu`).
 *
 * @example priceModelIssues({ model: 'graduated', tiers: [{ upTo: 10, unitPrice: '1' }] }, 'm')
 * // [{ path: 'm.tiers[0].upTo', code: 'last_tier_bounded', message: … }]
 */
export function priceModelIssues(model: PriceModel, path: string): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const checkDecimals = (value: number | undefined, at: string) => {
    if (value !== undefined && decimalPlaces(value) > MAX_QUANTITY_DECIMALS) {
      issues.push({
        path: at,
        code: 'too_many_decimals',
        message: `${value} has more than ${MAX_QUANTITY_DECIMALS} decimals`,
      });
    }
  };
  checkDecimals(model.includedQuantity, `${path}.includedQuantity`);
  if (model.model === 'package') checkDecimals(model.blockSize, `${path}.blockSize`);
  if (model.model === 'graduated' || model.model === 'volume') {
    const last = model.tiers.length - 1;
    let previous: number | undefined;
    model.tiers.forEach((tier, index) => {
      const at = `${path}.tiers[${index}].upTo`;
      if (tier.upTo === null) {
        if (index !== last) {
          issues.push({
            path: at,
            code: 'unbounded_tier_not_last',
            message: 'only the last tier may have upTo: null',
          });
        }
        return;
      }
      checkDecimals(tier.upTo, at);
      if (index === last) {
        issues.push({
          path: at,
          code: 'last_tier_bounded',
          message: `the last tier must have upTo: null so that quantities above ${tier.upTo} have a price`,
        });
      }
      if (previous !== undefined && tier.upTo <= previous) {
        issues.push({
          path: at,
          code: 'tiers_not_ascending',
          message: `tiers must ascend: upTo ${tier.upTo} is not above the previous tier's ${previous}`,
        });
      }
      previous = tier.upTo;
    });
  }
  return issues;
}
