/**
 * What the pricing engine needs of a product, as zod schemas: the single source of these types.
 * The catalog's full product (names, category, attributes, images …) extends {@link PricedProduct}.
 *
 * The schemas check shape only. Rules across fields (min ≤ default ≤ max, tiers ascending, prices
 * referring to existing dimensions …) are checked by `validateProductPricing` (validation.ts),
 * which runs these schemas first.
 */
import * as z from 'zod';
import { CounterMetric } from '../usage/metrics.ts';

/**
 * Key of a dimension, option or choice: a name rules can use in expressions (`ram_gb <= 8 * vcpu`).
 * Dimensions and options of one product share one namespace.
 */
export const PricingKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits and _, starting with a letter')
  .meta({ example: 'ram_gb' });

export const ProductKind = z.enum(['saas', 'paas', 'iaas']).meta({ id: 'ProductKind' });
export type ProductKind = z.infer<typeof ProductKind>;

/**
 * A price per hour (or per unit-hour) in the price list's currency, as a decimal string with up to
 * 10 decimals.
 *
 * @example '0.0125'
 */
export const HourlyRate = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,10})?$/, 'must be a decimal string with up to 10 decimals, like "0.0125"')
  .meta({ id: 'HourlyRate', example: '0.0125' });

/** A one-time amount; validation checks it has no more decimals than its currency. */
const OneTimeAmount = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,10})?$/, 'must be a decimal string like "49.00"')
  .meta({ example: '49.00' });

/** A capacity quantity: a JSON number, non-negative (validation limits it to 6 decimals). */
const Quantity = z.number().nonnegative().max(1e9);

/**
 * A capacity the buyer chooses with a control: vCPUs, GB of RAM, seats. Values run from `min` to
 * `max` in steps of `step`, starting at `default`.
 *
 * @example { key: 'vcpu', label: 'vCPU', unit: 'vCPU', min: 1, max: 64, step: 1, default: 2, control: 'slider' }
 */
export const CapacityDimension = z
  .object({
    key: PricingKey,
    label: z.string().min(1).max(80),
    unit: z.string().min(1).max(20),
    min: Quantity,
    max: Quantity,
    step: z.number().positive().max(1e9),
    default: Quantity,
    control: z.enum(['slider', 'dial', 'stepper']),
  })
  .strict()
  .meta({ id: 'CapacityDimension' });
export type CapacityDimension = z.infer<typeof CapacityDimension>;

export const OptionChoice = z
  .object({ key: PricingKey, label: z.string().min(1).max(80) })
  .strict()
  .meta({ id: 'OptionChoice' });
export type OptionChoice = z.infer<typeof OptionChoice>;

/**
 * A choice that is not a quantity: `single` (one of `choices`, e.g. the OS image), `multi` (any of
 * `choices`) or `toggle` (on/off, no choices). `default` is a choice key, a list of them or a
 * boolean, matching the type; without it a `single` option must be chosen, a `multi` one starts
 * empty and a toggle off.
 *
 * @example { key: 'os', label: 'Operating system', type: 'single', default: 'linux',
 *            choices: [{ key: 'linux', label: 'Linux' }, { key: 'windows', label: 'Windows Server' }] }
 */
export const ProductOption = z
  .object({
    key: PricingKey,
    label: z.string().min(1).max(80),
    type: z.enum(['single', 'multi', 'toggle']),
    choices: z.array(OptionChoice).min(1).max(50).optional(),
    default: z.union([PricingKey, z.array(PricingKey).max(50), z.boolean()]).optional(),
  })
  .strict()
  .meta({ id: 'ProductOption' });
export type ProductOption = z.infer<typeof ProductOption>;

/** Units first given away free; the price model applies to what is left. */
const includedQuantity = Quantity.optional().meta({
  description: 'Units free of charge, subtracted before the model applies',
});

/** Every unit at the same rate. @example { model: 'perUnit', unitPrice: '0.0100' } */
export const PerUnitPrice = z
  .object({ model: z.literal('perUnit'), unitPrice: HourlyRate, includedQuantity })
  .strict();

/**
 * One tier of a tiered model: quantities up to and including `upTo` (`null`: no upper bound, only
 * on the last tier), at `unitPrice` per unit-hour, plus `flatPrice` per hour once the tier is used.
 */
export const PriceTier = z
  .object({
    upTo: z.number().positive().max(1e9).nullable(),
    unitPrice: HourlyRate,
    flatPrice: HourlyRate.optional(),
  })
  .strict()
  .meta({ id: 'PriceTier' });
export type PriceTier = z.infer<typeof PriceTier>;

const tiers = z.array(PriceTier).min(1).max(20);

/**
 * Each tier prices the units that fall in it (like income tax brackets).
 *
 * @example { model: 'graduated', tiers: [{ upTo: 8, unitPrice: '0.012' }, { upTo: null, unitPrice: '0.010' }] }
 */
export const GraduatedPrice = z.object({ model: z.literal('graduated'), tiers, includedQuantity }).strict();

/** The tier the quantity reaches prices all units. */
export const VolumePrice = z.object({ model: z.literal('volume'), tiers, includedQuantity }).strict();

/** Whole blocks of `blockSize` units at `blockPrice` each; a started block counts as a block. */
export const PackagePrice = z
  .object({
    model: z.literal('package'),
    blockSize: z.number().positive().max(1e9),
    blockPrice: HourlyRate,
    includedQuantity,
  })
  .strict();

/** How a quantity becomes an hourly price. docs/pricing.md has a worked example of each. */
export const PriceModel = z
  .discriminatedUnion('model', [PerUnitPrice, GraduatedPrice, VolumePrice, PackagePrice])
  .meta({ id: 'PriceModel' });
export type PriceModel = z.infer<typeof PriceModel>;

/**
 * The price of an option choice: `price` applied to the value of dimension `per` (Windows per
 * vCPU-hour), or to 1 without `per` (a flat hourly price).
 *
 * @example { per: 'vcpu', price: { model: 'perUnit', unitPrice: '0.0060' } }
 */
export const ChoicePrice = z
  .object({ per: PricingKey.optional(), price: PriceModel })
  .strict()
  .meta({ id: 'ChoicePrice' });
export type ChoicePrice = z.infer<typeof ChoicePrice>;

/**
 * The price of a metered counter per unit used (per GB of egress), in the price list's currency:
 * the platform reports the usage, hourly billing posts it (docs/provisioning.md, Metered usage).
 *
 * @example { unitPrice: '0.05' }
 */
export const MeterPrice = z.object({ unitPrice: HourlyRate }).strict().meta({ id: 'MeterPrice' });
export type MeterPrice = z.infer<typeof MeterPrice>;

/**
 * A product's prices in one currency. Every dimension has a price (perUnit '0' makes one free);
 * option choices without a price are free. Options are priced by choice key; a toggle under `on`.
 */
export const PriceList = z
  .object({
    /** Per hour whatever the configuration. */
    baseRate: HourlyRate,
    /** Once, at order; no more decimals than the currency. */
    setupFee: OneTimeAmount,
    /** Per hour while the service is stopped; billing uses it, quotes do not. */
    stoppedRate: HourlyRate.optional(),
    dimensions: z.record(z.string(), PriceModel),
    options: z.record(z.string(), z.record(z.string(), ChoicePrice)),
    /** Usage priced per unit, by counter metric; billed on top of the hourly rate. */
    meters: z.partialRecord(CounterMetric, MeterPrice).optional(),
  })
  .strict()
  .meta({ id: 'PriceList' });
export type PriceList = z.infer<typeof PriceList>;

/**
 * What the buyer chose: dimension values and option values. Keys left out take the product's
 * defaults.
 *
 * @example { dimensions: { vcpu: 4, ram_gb: 16 }, options: { os: 'windows', backups: true } }
 */
export const Configuration = z
  .object({
    dimensions: z.record(z.string(), z.number()).optional(),
    options: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])).optional(),
  })
  .strict()
  .meta({ id: 'Configuration' });
export type Configuration = z.infer<typeof Configuration>;
export type OptionValue = string | string[] | boolean;

/** A named configuration the storefront offers ("S", "Starter mail"). */
export const Preset = z
  .object({ key: PricingKey, label: z.string().min(1).max(80), configuration: Configuration })
  .strict()
  .meta({ id: 'Preset' });
export type Preset = z.infer<typeof Preset>;

/**
 * Everything pricing needs of a product. `prices` is keyed by ISO 4217 currency code.
 *
 * @example virtualServer in demo-virtual-server.ts
 */
export const PricedProduct = z
  .object({
    id: z.string().min(1).max(64),
    kind: ProductKind,
    dimensions: z.array(CapacityDimension).max(20),
    options: z.array(ProductOption).max(20),
    prices: z.record(z.string(), PriceList),
    presets: z.array(Preset).max(20),
  })
  .strict()
  .meta({ id: 'PricedProduct' });
export type PricedProduct = z.infer<typeof PricedProduct>;
