/**
 * The pricing engine: a product and a configuration in, a quote out — the same code in the
 * browser (live price next to the sliders) and in Lambda (basket, checkout). Pure and
 * deterministic: the same inputs give the same quote, to the last digit.
 *
 * Rounding, the only places (docs/pricing.md):
 * 1. each line's monthly amount = its unrounded hourly price × 730, rounded to the currency once;
 * 2. a setup fee from the price resolver, rounded once (product setup fees have no extra decimals);
 * 3. cumulative discount amounts (see {@link quote});
 * 4. the VAT amount, on the net total.
 * Hourly figures are never rounded. Totals are sums of rounded lines, so the lines add up exactly.
 */
import * as z from 'zod';
import { type CompiledPricing, compilePricing, isCompiledPricing } from './compile.ts';
import {
  type DimensionRule,
  type OptionRule,
  type ResolvedConfiguration,
  resolveConfiguration,
} from './configuration.ts';
import {
  type CurrencyCode,
  CurrencyCode as CurrencyCodeSchema,
  type Decimal,
  DecimalString,
  decimal,
  formatMinorUnits,
  HOURS_PER_MONTH,
  roundToMinorUnit,
  sumOf,
  toDecimalString,
  ZERO,
} from './money.ts';
import { compilePriceModel, type PriceModelEvaluator, priceModelIssues } from './price-models.ts';
import {
  CurrencyNotOfferedError,
  InvalidConfigurationError,
  InvalidProductPricingError,
  InvalidQuoteContextError,
} from './pricing-errors.ts';
import { type Configuration, type PricedProduct, PriceModel } from './product.ts';
import { type VatBuyer, vatTreatment } from './vat.ts';

/** What a price resolver is asked for: one price of one product in one currency. */
export type PriceRef = { productId: string; currency: CurrencyCode } & (
  | { kind: 'base' }
  | { kind: 'setup' }
  | { kind: 'dimension'; key: string }
  /** `choice` is `on` for a toggle. */
  | { kind: 'option'; key: string; choice: string }
);

/**
 * Substitutes prices (a customer's price list, a contract) without touching the engine: return a
 * model to use instead of the product's, or undefined to keep the product's. Base rate and setup
 * fee are models applied to a quantity of 1. An option's quantity (`per`) stays the product's.
 *
 * @example (ref) => ref.kind === 'dimension' && ref.key === 'vcpu' ? { model: 'perUnit', unitPrice: '0.009' } : undefined
 */
export type PriceResolver = (ref: PriceRef) => PriceModel | undefined;

/**
 * A percentage off. Several discounts add up (10 % + 5 % = 15 % of the undiscounted amount), never
 * beyond 100 %.
 */
export type Discount = {
  key: string;
  label: string;
  /** Decimal string, e.g. '12.5' for 12.5 %. */
  percent: string;
  /** Default `recurring`: hourly and monthly amounts; `setup`: the setup fee; `all`: both. */
  appliesTo?: 'recurring' | 'setup' | 'all';
};

export type QuoteContext = {
  currency: CurrencyCode;
  /** Where the merchant is established (ISO 3166 alpha-2): the EU, GB, CH or NO. */
  sellerCountry: string;
  /** Unknown buyer (a visitor): priced with the seller country's VAT. */
  buyer?: VatBuyer;
  priceResolver?: PriceResolver;
  discounts?: readonly Discount[];
};

const AmountString = DecimalString;

export const QuoteLine = z
  .object({
    kind: z.enum(['base', 'dimension', 'option', 'setup', 'discount']),
    /** Dimension or option key; `base`, `setup`, or the discount's key. */
    key: z.string(),
    /** The chosen choice of an option line (`on` for a toggle). */
    choice: z.string().optional(),
    label: z.string(),
    /** The dimension's value: of the line's dimension, or of the one an option is priced per. */
    quantity: z.number().optional(),
    unit: z.string().optional(),
    /** Per hour, unrounded. */
    hourly: AmountString,
    /** Per 730 h, rounded to the currency. */
    monthly: AmountString,
    /** Once (setup fee, a discount on it), rounded to the currency. */
    oneTime: AmountString.optional(),
  })
  .strict()
  .meta({ id: 'QuoteLine' });
export type QuoteLine = z.infer<typeof QuoteLine>;

export const Quote = z
  .object({
    productId: z.string(),
    currency: CurrencyCodeSchema,
    /** The configuration quoted, with defaults filled in. */
    configuration: z
      .object({
        dimensions: z.record(z.string(), z.number()),
        options: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])),
      })
      .strict(),
    lines: z.array(QuoteLine),
    /** Per hour after discounts, unrounded: what hourly billing charges. */
    hourly: AmountString,
    /** Sum of the lines' monthly amounts, discounts included. */
    monthlyEstimate: AmountString,
    /** Sum of the lines' one-time amounts, discounts included. */
    setup: AmountString,
    /** Sums of the discount lines (≤ 0). */
    discounts: z.object({ hourly: AmountString, monthly: AmountString, oneTime: AmountString }).strict(),
    tax: z
      .object({
        country: z.string(),
        /** A fraction: '0.19' is 19 %. */
        rate: AmountString,
        amount: AmountString,
        reverseCharge: z.boolean(),
        rule: z.enum(['domestic', 'destination', 'reverse_charge', 'outside_scope']),
      })
      .strict(),
    /** The first month: monthly estimate + setup fee, then VAT on that. */
    totals: z.object({ net: AmountString, tax: AmountString, gross: AmountString }).strict(),
  })
  .strict()
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof Quote>;

const DISCOUNT_PERCENT = /^\d{1,3}(\.\d{1,6})?$/;
const HUNDRED = decimal(100);
const ONE = decimal(1);

/**
 * Prices a configuration. Pass a {@link compilePricing} result when quoting the same product more
 * than once: a raw product is validated and compiled on every call.
 *
 * Throws {@link InvalidConfigurationError} (every issue of the configuration),
 * {@link CurrencyNotOfferedError}, {@link InvalidProductPricingError} (a raw product or a resolved
 * price that does not validate) or {@link InvalidQuoteContextError}.
 *
 * Discounts are rounded cumulatively: after discount k the amount taken off is
 * round(subtotal × (p1 + … + pk)), so together they never take off more than the subtotal.
 *
 * @example
 * const pricing = compilePricing(virtualServer);
 * quote(pricing, { dimensions: { vcpu: 4 }, options: { os: 'linux' } }, { currency: 'EUR', sellerCountry: 'DE' })
 * // { lines: [...], hourly: '0.0766', monthlyEstimate: '55.92', setup: '19.00',
 * //   tax: { country: 'DE', rate: '0.19', amount: '14.23', … }, totals: { net: '74.92', tax: '14.23', gross: '89.15' } }
 */
export function quote(
  pricing: CompiledPricing | PricedProduct,
  configuration: Configuration,
  context: QuoteContext,
): Quote {
  const compiled = isCompiledPricing(pricing) ? pricing : compilePricing(pricing);
  const { currency } = context;
  const priceList = compiled.priceLists.get(currency);
  if (!priceList) throw new CurrencyNotOfferedError(currency, [...compiled.priceLists.keys()]);
  const resolved = resolveConfiguration(compiled.rules, configuration);
  if (resolved.issues.length > 0) throw new InvalidConfigurationError(resolved.issues);
  const chosen: ResolvedConfiguration = resolved.configuration;
  const vat = vatTreatment(context.sellerCountry, context.buyer);
  const productId = compiled.product.id;
  const resolver = context.priceResolver;
  const sums: RecurringLines = { currency, lines: [], hourly: [], monthly: [] };

  const baseRate = resolver ? substitute(resolver, { productId, currency, kind: 'base' })?.(1) : undefined;
  addRecurringLine(sums, { kind: 'base', key: 'base', label: 'Base rate' }, baseRate ?? priceList.baseRate);

  const { dimensions: dimensionRules, options: optionRules, dimensionsByKey } = compiled.rules;
  for (let index = 0; index < dimensionRules.length; index++) {
    const rule = dimensionRules[index] as DimensionRule;
    const quantity = chosen.dimensions[rule.key] as number;
    const evaluate =
      (resolver && substitute(resolver, { productId, currency, kind: 'dimension', key: rule.key })) ||
      (priceList.dimensionPrices[index] as PriceModelEvaluator);
    addRecurringLine(
      sums,
      { kind: 'dimension', key: rule.key, label: rule.label, quantity, unit: rule.unit },
      evaluate(quantity),
    );
  }

  for (let index = 0; index < optionRules.length; index++) {
    const rule = optionRules[index] as OptionRule;
    const value = chosen.options[rule.key];
    const selected =
      rule.type === 'toggle' ? (value === true ? ON : NONE) : Array.isArray(value) ? value : [value];
    const prices = priceList.optionPrices[index];
    for (const choice of selected) {
      if (typeof choice !== 'string') continue;
      const price = prices?.get(choice);
      const evaluate =
        (resolver && substitute(resolver, { productId, currency, kind: 'option', key: rule.key, choice })) ||
        price?.evaluate;
      const label = rule.lineLabels.get(choice) ?? choice;
      const perRule = price?.per === undefined ? undefined : dimensionsByKey.get(price.per);
      if (perRule) {
        const quantity = chosen.dimensions[perRule.key] as number;
        addRecurringLine(
          sums,
          { kind: 'option', key: rule.key, choice, label, quantity, unit: perRule.unit },
          evaluate ? evaluate(quantity) : ZERO,
        );
      } else {
        addRecurringLine(
          sums,
          { kind: 'option', key: rule.key, choice, label },
          evaluate ? evaluate(1) : ZERO,
        );
      }
    }
  }
  const { lines } = sums;
  const hourly = sumOf(sums.hourly);
  const monthly = sumOf(sums.monthly);

  const resolvedSetup = resolver ? substitute(resolver, { productId, currency, kind: 'setup' }) : undefined;
  const setupFee = resolvedSetup ? roundToMinorUnit(resolvedSetup(1), currency) : priceList.setupFee;
  if (!setupFee.isZero()) {
    lines.push({
      kind: 'setup',
      key: 'setup',
      label: 'Setup fee',
      hourly: '0',
      monthly: formatMinorUnits(ZERO, currency),
      oneTime: formatMinorUnits(setupFee, currency),
    });
  }

  const discounted = applyDiscounts(context.discounts, { hourly, monthly, setup: setupFee }, currency);
  lines.push(...discounted.lines);
  const hourlyNet = hourly.plus(discounted.hourly);
  const monthlyNet = monthly.plus(discounted.monthly);
  const setupNet = setupFee.plus(discounted.oneTime);
  const net = monthlyNet.plus(setupNet);
  const taxAmount = roundToMinorUnit(net.times(vat.rate), currency);

  return {
    productId,
    currency,
    configuration: chosen,
    lines,
    hourly: toDecimalString(hourlyNet),
    monthlyEstimate: formatMinorUnits(monthlyNet, currency),
    setup: formatMinorUnits(setupNet, currency),
    discounts: {
      hourly: toDecimalString(discounted.hourly),
      monthly: formatMinorUnits(discounted.monthly, currency),
      oneTime: formatMinorUnits(discounted.oneTime, currency),
    },
    tax: {
      country: vat.country,
      rate: toDecimalString(vat.rate),
      amount: formatMinorUnits(taxAmount, currency),
      reverseCharge: vat.reverseCharge,
      rule: vat.rule,
    },
    totals: {
      net: formatMinorUnits(net, currency),
      tax: formatMinorUnits(taxAmount, currency),
      gross: formatMinorUnits(net.plus(taxAmount), currency),
    },
  };
}

const ON = ['on'];
const NONE: string[] = [];

/** Lines with an hourly price, and their hourly and (rounded) monthly amounts to sum up. */
type RecurringLines = { currency: CurrencyCode; lines: QuoteLine[]; hourly: Decimal[]; monthly: Decimal[] };

/** Adds a line with an hourly price: its monthly amount is rounded here, once (rounding point 1). */
function addRecurringLine(
  sums: RecurringLines,
  line: Omit<QuoteLine, 'hourly' | 'monthly'>,
  hourly: Decimal,
): void {
  const monthly = hourly.isZero() ? ZERO : roundToMinorUnit(hourly.times(HOURS_PER_MONTH), sums.currency);
  sums.hourly.push(hourly);
  sums.monthly.push(monthly);
  const complete = line as QuoteLine;
  complete.hourly = toDecimalString(hourly);
  complete.monthly = formatMinorUnits(monthly, sums.currency);
  sums.lines.push(complete);
}

function describeRef(ref: PriceRef): string {
  if (ref.kind === 'dimension') return `priceResolver(dimension ${ref.key})`;
  if (ref.kind === 'option') return `priceResolver(option ${ref.key} ${ref.choice})`;
  return `priceResolver(${ref.kind})`;
}

/** The resolver's price for `ref`, compiled, or undefined to keep the product's. */
function substitute(resolver: PriceResolver, ref: PriceRef): PriceModelEvaluator | undefined {
  const model = resolver(ref);
  return model === undefined ? undefined : compileResolvedModel(model, describeRef(ref));
}

function compileResolvedModel(model: PriceModel, path: string): PriceModelEvaluator {
  const parsed = PriceModel.safeParse(model);
  if (!parsed.success) {
    throw new InvalidProductPricingError(
      parsed.error.issues.map((issue) => ({
        path: [path, ...issue.path].join('.'),
        message: issue.message,
        code: issue.code,
      })),
    );
  }
  const issues = priceModelIssues(parsed.data, path);
  if (issues.length > 0) throw new InvalidProductPricingError(issues);
  return compilePriceModel(parsed.data);
}

type Subtotals = { hourly: Decimal; monthly: Decimal; setup: Decimal };

/** Discount lines and what they take off in total (all ≤ 0). */
function applyDiscounts(
  discounts: readonly Discount[] | undefined,
  subtotals: Subtotals,
  currency: CurrencyCode,
): { lines: QuoteLine[]; hourly: Decimal; monthly: Decimal; oneTime: Decimal } {
  const lines: QuoteLine[] = [];
  if (!discounts || discounts.length === 0) return { lines, hourly: ZERO, monthly: ZERO, oneTime: ZERO };
  let recurringShare = ZERO;
  let setupShare = ZERO;
  let hourlyOff = ZERO;
  let monthlyOff = ZERO;
  let setupOff = ZERO;
  for (const discount of discounts) {
    if (!DISCOUNT_PERCENT.test(discount.percent)) {
      throw new InvalidQuoteContextError(
        'invalid_discount',
        `Discount "${discount.key}": percent must be a decimal string like "12.5", not "${discount.percent}"`,
      );
    }
    const share = decimal(discount.percent).div(HUNDRED);
    const appliesTo = discount.appliesTo ?? 'recurring';
    const line: QuoteLine = {
      kind: 'discount',
      key: discount.key,
      label: discount.label,
      hourly: '0',
      monthly: formatMinorUnits(ZERO, currency),
    };
    if (appliesTo !== 'setup') {
      recurringShare = recurringShare.plus(share);
      const lineHourly = subtotals.hourly.times(share);
      const totalMonthlyOff = roundToMinorUnit(subtotals.monthly.times(recurringShare), currency);
      const lineMonthly = totalMonthlyOff.minus(monthlyOff);
      hourlyOff = hourlyOff.plus(lineHourly);
      monthlyOff = totalMonthlyOff;
      line.hourly = toDecimalString(lineHourly.negated());
      line.monthly = formatMinorUnits(lineMonthly.negated(), currency);
    }
    if (appliesTo !== 'recurring') {
      setupShare = setupShare.plus(share);
      const totalSetupOff = roundToMinorUnit(subtotals.setup.times(setupShare), currency);
      line.oneTime = formatMinorUnits(totalSetupOff.minus(setupOff).negated(), currency);
      setupOff = totalSetupOff;
    }
    if (recurringShare.gt(ONE) || setupShare.gt(ONE)) {
      throw new InvalidQuoteContextError('invalid_discount', 'Discounts add up to more than 100 %');
    }
    lines.push(line);
  }
  return { lines, hourly: hourlyOff.negated(), monthly: monthlyOff.negated(), oneTime: setupOff.negated() };
}
