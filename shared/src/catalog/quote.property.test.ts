/**
 * Properties of the pricing engine over random products, configurations and contexts (fast-check):
 * lines add up, prices grow with capacity, quotes are deterministic across a JSON round-trip (what
 * browser and server exchange), and no float ever leaks into an amount.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePricing } from './compile.ts';
import {
  type CurrencyCode,
  DECIMAL_STRING_PATTERN,
  type Decimal,
  decimal,
  roundToMinorUnit,
  sumOf,
} from './money.ts';
import { priceOf } from './price-models.ts';
import type { Configuration, PricedProduct, PriceModel, PriceTier, ProductOption } from './product.ts';
import { Quote, type QuoteContext, quote } from './quote.ts';
import { validateProductPricing } from './validation.ts';

type ModelKind = PriceModel['model'];
const ALL_MODELS: ModelKind[] = ['perUnit', 'graduated', 'volume', 'package'];
const GROWING_MODELS: ModelKind[] = ['perUnit', 'graduated'];

/** A rate with 0 to 10 decimals, as merchants write them. */
const rate = fc
  .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 10 }))
  .map(([digits, places]) =>
    decimal(digits)
      .div(10 ** places)
      .toFixed(places),
  );

const included = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });

const tiers: fc.Arbitrary<PriceTier[]> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 3 }),
    fc.array(fc.tuple(rate, fc.option(rate, { nil: undefined })), { minLength: 4, maxLength: 4 }),
  )
  .map(([bounds, prices]) =>
    [...bounds.sort((a, b) => a - b), null].map((upTo, index) => {
      const [unitPrice, flatPrice] = prices[index] as [string, string | undefined];
      return flatPrice === undefined ? { upTo, unitPrice } : { upTo, unitPrice, flatPrice };
    }),
  );

function priceModel(kinds: readonly ModelKind[]): fc.Arbitrary<PriceModel> {
  const byKind: Record<ModelKind, fc.Arbitrary<PriceModel>> = {
    perUnit: fc.record({ model: fc.constant('perUnit'), unitPrice: rate, includedQuantity: included }),
    graduated: fc.record({ model: fc.constant('graduated'), tiers, includedQuantity: included }),
    volume: fc.record({ model: fc.constant('volume'), tiers, includedQuantity: included }),
    package: fc.record({
      model: fc.constant('package'),
      blockSize: fc.constantFrom(1, 3, 10, 0.5),
      blockPrice: rate,
      includedQuantity: included,
    }),
  };
  return fc.oneof(...kinds.map((kind) => byKind[kind])).map(
    (model) => JSON.parse(JSON.stringify(model)), // drops includedQuantity: undefined, as the wire would
  );
}

const dimension = (key: string) =>
  fc
    .record({
      min: fc.integer({ min: 0, max: 10 }),
      step: fc.constantFrom(1, 2, 5, 10, 0.5, 0.25),
      count: fc.integer({ min: 0, max: 40 }),
      defaultIndex: fc.nat(),
    })
    .map(({ min, step, count, defaultIndex }) => ({
      key,
      label: key.toUpperCase(),
      unit: 'u',
      min,
      max: decimal(step).times(count).plus(min).toNumber(),
      step,
      default: decimal(step)
        .times(defaultIndex % (count + 1))
        .plus(min)
        .toNumber(),
      control: 'slider' as const,
    }));

const option = (key: string): fc.Arbitrary<ProductOption> =>
  fc.oneof(
    fc.constant<ProductOption>({ key, label: key, type: 'toggle' }),
    fc.integer({ min: 1, max: 3 }).map((count) => ({
      key,
      label: key,
      type: 'single' as const,
      default: 'c0',
      choices: Array.from({ length: count }, (_, index) => ({ key: `c${index}`, label: `Choice ${index}` })),
    })),
    fc.integer({ min: 1, max: 3 }).map((count) => ({
      key,
      label: key,
      type: 'multi' as const,
      choices: Array.from({ length: count }, (_, index) => ({ key: `c${index}`, label: `Choice ${index}` })),
    })),
  );

/** Amounts in whole minor units of the currency, e.g. '12.34' or (JPY) '1234'. */
const setupFee = (currency: CurrencyCode) =>
  fc
    .integer({ min: 0, max: 100_000 })
    .map((units) => (currency === 'JPY' ? `${units}` : decimal(units).div(100).toFixed(2)));

/** A valid product in one currency, priced with the given model kinds. */
function product(kinds: readonly ModelKind[] = ALL_MODELS): fc.Arbitrary<PricedProduct> {
  return fc
    .record({
      dimensions: fc
        .integer({ min: 1, max: 6 })
        .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => dimension(`d${index}`)))),
      options: fc
        .integer({ min: 0, max: 3 })
        .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => option(`o${index}`)))),
      currency: fc.constantFrom<CurrencyCode>('EUR', 'USD', 'CHF', 'JPY'),
    })
    .chain(({ dimensions, options, currency }) => {
      const choicePrices = options.map((opt) => {
        const choiceKeys = opt.type === 'toggle' ? ['on'] : (opt.choices ?? []).map((choice) => choice.key);
        return fc
          .tuple(
            ...choiceKeys.map((choice) =>
              fc.option(
                fc.record({
                  choice: fc.constant(choice),
                  per: fc.option(fc.constantFrom(...dimensions.map((d) => d.key)), { nil: undefined }),
                  price: priceModel(kinds),
                }),
                { nil: undefined },
              ),
            ),
          )
          .map((priced) =>
            Object.fromEntries(
              priced.flatMap((entry) =>
                entry
                  ? [
                      [
                        entry.choice,
                        entry.per ? { per: entry.per, price: entry.price } : { price: entry.price },
                      ],
                    ]
                  : [],
              ),
            ),
          );
      });
      return fc
        .record({
          baseRate: rate,
          setupFee: setupFee(currency),
          dimensionPrices: fc.tuple(...dimensions.map(() => priceModel(kinds))),
          optionPrices: choicePrices.length ? fc.tuple(...choicePrices) : fc.constant([]),
        })
        .map(
          ({ baseRate, setupFee, dimensionPrices, optionPrices }): PricedProduct => ({
            id: 'prd_random',
            kind: 'iaas',
            dimensions,
            options,
            prices: {
              [currency]: {
                baseRate,
                setupFee,
                dimensions: Object.fromEntries(
                  dimensions.map((d, index) => [d.key, dimensionPrices[index] as PriceModel]),
                ),
                options: Object.fromEntries(
                  options.map((opt, index) => [opt.key, optionPrices[index] ?? {}]),
                ),
              },
            },
            presets: [],
          }),
        );
    });
}

const gridValue = (d: PricedProduct['dimensions'][number], index: number) =>
  decimal(d.step).times(index).plus(d.min).toNumber();

const stepsOf = (d: PricedProduct['dimensions'][number]) =>
  decimal(d.max).minus(d.min).div(d.step).toNumber();

/** Any valid configuration of the product; some keys left out (defaults apply). */
function configuration(p: PricedProduct): fc.Arbitrary<Configuration> {
  const dimensions = fc.tuple(
    ...p.dimensions.map((d) =>
      fc.option(
        fc.integer({ min: 0, max: stepsOf(d) }).map((index) => gridValue(d, index)),
        { nil: undefined, freq: 8 },
      ),
    ),
  );
  const options = fc.tuple(
    fc.constant(null),
    ...p.options.map((opt): fc.Arbitrary<string | string[] | boolean | undefined> => {
      const keys = (opt.choices ?? []).map((choice) => choice.key);
      if (opt.type === 'toggle') return fc.option(fc.boolean(), { nil: undefined });
      if (opt.type === 'single') return fc.option(fc.constantFrom(...keys), { nil: undefined });
      return fc.option(fc.shuffledSubarray(keys), { nil: undefined });
    }),
  );
  return fc.tuple(dimensions, options).map(([values, [, ...choices]]) => ({
    dimensions: Object.fromEntries(
      p.dimensions.flatMap((d, i) => (values[i] === undefined ? [] : [[d.key, values[i]]])),
    ),
    options: Object.fromEntries(
      p.options.flatMap((o, i) => (choices[i] === undefined ? [] : [[o.key, choices[i]]])),
    ),
  }));
}

const percent = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, hundredths]) => `${whole}.${String(hundredths).padStart(2, '0')}`);

function context(currency: CurrencyCode): fc.Arbitrary<QuoteContext> {
  return fc.record({
    currency: fc.constant(currency),
    sellerCountry: fc.constantFrom('DE', 'FR', 'NL', 'CH'),
    buyer: fc.option(
      fc.record(
        {
          country: fc.constantFrom('DE', 'FR', 'AT', 'HU', 'GB', 'CH', 'US'),
          vatId: fc.constant('XX123456789'),
          vatIdValid: fc.boolean(),
        },
        { requiredKeys: ['country'] },
      ),
      { nil: undefined },
    ),
    discounts: fc.array(
      fc.record({
        key: fc.constantFrom('a', 'b', 'c'),
        label: fc.constant('Discount'),
        percent,
        appliesTo: fc.constantFrom('recurring' as const, 'setup' as const, 'all' as const),
      }),
      { maxLength: 3 },
    ),
  });
}

/** A product, a configuration of it and a context in its currency. */
const scenario = (kinds: readonly ModelKind[] = ALL_MODELS) =>
  product(kinds).chain((p) =>
    fc.tuple(fc.constant(p), configuration(p), context(Object.keys(p.prices)[0] as CurrencyCode)),
  );

const sum = (amounts: Array<string | undefined>): Decimal =>
  sumOf(amounts.flatMap((amount) => (amount === undefined ? [] : [decimal(amount)])));

describe('pricing properties', () => {
  it('generates valid products (the generators are right)', () => {
    fc.assert(
      fc.property(product(), (p) => {
        expect(validateProductPricing(p)).toEqual([]);
      }),
    );
  });

  it('(a) line items add up exactly to the totals', () => {
    fc.assert(
      fc.property(scenario(), ([p, config, ctx]) => {
        const q = quote(p, config, ctx);
        const eq = (a: Decimal, b: string) => expect(a.toString()).toBe(decimal(b).toString());
        eq(sum(q.lines.map((line) => line.hourly)), q.hourly);
        eq(sum(q.lines.map((line) => line.monthly)), q.monthlyEstimate);
        eq(sum(q.lines.map((line) => line.oneTime)), q.setup);
        const discounts = q.lines.filter((line) => line.kind === 'discount');
        eq(sum(discounts.map((line) => line.hourly)), q.discounts.hourly);
        eq(sum(discounts.map((line) => line.monthly)), q.discounts.monthly);
        eq(sum(discounts.map((line) => line.oneTime)), q.discounts.oneTime);
        eq(decimal(q.monthlyEstimate).plus(q.setup), q.totals.net);
        eq(decimal(q.totals.net).plus(q.totals.tax), q.totals.gross);
        expect(q.totals.tax).toBe(q.tax.amount);
        eq(roundToMinorUnit(decimal(q.totals.net).times(q.tax.rate), q.currency), q.tax.amount);
        for (const line of q.lines.filter((l) => l.kind !== 'discount')) {
          eq(roundToMinorUnit(decimal(line.hourly).times(730), q.currency), line.monthly);
        }
        expect(decimal(q.totals.net).isNegative()).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('(b) a per-unit or graduated price never falls as the quantity grows', () => {
    fc.assert(
      fc.property(
        priceModel(GROWING_MODELS),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        (model, a, b, places) => {
          const [low, high] = [Math.min(a, b), Math.max(a, b)].map((n) =>
            decimal(n)
              .div(10 ** places)
              .toNumber(),
          );
          expect(priceOf(model, low as number).lte(priceOf(model, high as number))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('(b) a quote never falls when one dimension goes up a step (per-unit and graduated)', () => {
    fc.assert(
      fc.property(
        scenario(GROWING_MODELS).chain(([p, config, ctx]) =>
          fc.tuple(
            fc.constant(p),
            fc.constant(config),
            fc.constant(ctx),
            fc.nat({ max: p.dimensions.length - 1 }),
          ),
        ),
        ([p, config, ctx, which]) => {
          const pricing = compilePricing(p);
          const d = p.dimensions[which] as PricedProduct['dimensions'][number];
          const before = quote(pricing, config, ctx);
          const value = before.configuration.dimensions[d.key] as number;
          if (value >= d.max) return;
          const up = decimal(value).plus(d.step).toNumber();
          const after = quote(pricing, { ...config, dimensions: { ...config.dimensions, [d.key]: up } }, ctx);
          expect(decimal(after.hourly).gte(before.hourly)).toBe(true);
          expect(decimal(after.monthlyEstimate).gte(before.monthlyEstimate)).toBe(true);
          expect(decimal(after.totals.gross).gte(before.totals.gross)).toBe(true);
          const line = (q: Quote) =>
            q.lines.find((l) => l.kind === 'dimension' && l.key === d.key)?.hourly ?? '';
          expect(decimal(line(after)).gte(line(before))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every model agrees with a unit-by-unit reference implementation', () => {
    const atLeast = (floor: number, value: Decimal) => (value.lt(floor) ? decimal(floor) : value);
    const atMost = (value: Decimal, ceiling: number) => (value.gt(ceiling) ? decimal(ceiling) : value);
    const reference = (model: PriceModel, quantity: number): Decimal => {
      const units = atLeast(0, decimal(quantity).minus(model.includedQuantity ?? 0));
      if (units.isZero()) return decimal(0);
      if (model.model === 'perUnit') return units.times(model.unitPrice);
      if (model.model === 'package') return units.div(model.blockSize).ceil().times(model.blockPrice);
      let lower = decimal(0);
      let total = decimal(0);
      for (const tier of model.tiers) {
        const reached = tier.upTo === null || units.lte(tier.upTo);
        if (model.model === 'volume' && reached) return units.times(tier.unitPrice).plus(tier.flatPrice ?? 0);
        if (model.model === 'graduated') {
          const upper = tier.upTo === null ? units : atMost(units, tier.upTo);
          total = total.plus(upper.minus(lower).times(tier.unitPrice)).plus(tier.flatPrice ?? 0);
        }
        if (reached) break;
        lower = decimal(tier.upTo as number);
      }
      return total;
    };
    fc.assert(
      fc.property(
        priceModel(ALL_MODELS),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        (model, n, places) => {
          const quantity = decimal(n)
            .div(10 ** places)
            .toNumber();
          expect(priceOf(model, quantity).toString()).toBe(reference(model, quantity).toString());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('(c) the same configuration gives the same quote, also after a JSON round-trip', () => {
    fc.assert(
      fc.property(scenario(), ([p, config, ctx]) => {
        const first = JSON.stringify(quote(compilePricing(p), config, ctx));
        expect(JSON.stringify(quote(compilePricing(p), config, ctx))).toBe(first);
        const [wireProduct, wireConfig] = JSON.parse(JSON.stringify([p, config])) as [
          PricedProduct,
          Configuration,
        ];
        expect(JSON.stringify(quote(compilePricing(wireProduct), wireConfig, ctx))).toBe(first);
        expect(JSON.stringify(quote(wireProduct, wireConfig, ctx))).toBe(first);
        const quoted = JSON.parse(first) as Quote;
        expect(JSON.stringify(quote(p, quoted.configuration, ctx))).toBe(first); // re-quoting the echo
      }),
      { numRuns: 200 },
    );
  });

  it('(d) every amount is a decimal string; the only numbers are quantities', () => {
    const numbersOutsideQuantities = (value: unknown, path: string): string[] => {
      if (typeof value === 'number') {
        return /(^configuration\.dimensions\.|\.quantity$)/.test(path) ? [] : [path];
      }
      if (Array.isArray(value))
        return value.flatMap((item, index) => numbersOutsideQuantities(item, `${path}[${index}]`));
      if (value && typeof value === 'object') {
        return Object.entries(value).flatMap(([key, item]) =>
          numbersOutsideQuantities(item, path ? `${path}.${key}` : key),
        );
      }
      return [];
    };
    fc.assert(
      fc.property(scenario(), ([p, config, ctx]) => {
        const q = quote(p, config, ctx);
        expect(Quote.parse(q)).toEqual(q);
        const amounts = [
          q.hourly,
          q.monthlyEstimate,
          q.setup,
          ...Object.values(q.discounts),
          q.tax.rate,
          q.tax.amount,
          ...Object.values(q.totals),
          ...q.lines.flatMap((line) => [line.hourly, line.monthly, ...(line.oneTime ? [line.oneTime] : [])]),
        ];
        for (const amount of amounts) expect(amount).toMatch(DECIMAL_STRING_PATTERN);
        expect(numbersOutsideQuantities(q, '')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
