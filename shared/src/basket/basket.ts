/**
 * The smart basket's contract: items, the rules merchants write as data, and what checking a
 * basket finds (issues with human messages and, where possible, a fix the client can apply).
 */
import * as z from 'zod';
import { CategoryId, ProductId } from '../catalog/catalog.ts';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';
import { Configuration, PricingKey, ProductKind } from '../catalog/product.ts';
import { Quote } from '../catalog/quote.ts';

export const BasketItemId = z.string().regex(/^bki_[0-9a-z]{26}$/, 'must be a bki_… id');

/** What the buyer typed for a product's inputs (domain name, hostname), by input key. */
export const ItemInputs = z.record(PricingKey, z.string().trim().max(253));

export const BasketItemRequest = z
  .object({
    /** A product id or slug. */
    product: z.string().min(1).max(80),
    configuration: Configuration.default({}),
    /** Start from a preset: its configuration, overridden by `configuration`. */
    preset: PricingKey.optional(),
    inputs: ItemInputs.default({}),
    quantity: z.number().int().min(1).max(100).default(1),
  })
  .strict()
  .meta({ id: 'BasketItemRequest' });
export type BasketItemRequest = z.infer<typeof BasketItemRequest>;

export const BasketItemChange = z
  .object({
    configuration: Configuration.optional(),
    inputs: ItemInputs.optional(),
    quantity: z.number().int().min(1).max(100).optional(),
    /** The buyer saw the current price and accepts it (after a price change was reported). */
    acceptPrice: z.literal(true).optional(),
  })
  .strict()
  .meta({ id: 'BasketItemChange' });
export type BasketItemChange = z.infer<typeof BasketItemChange>;

/** The amounts a buyer was shown for one unit of an item, to tell a price change. */
export const ShownPrice = z
  .object({ currency: CurrencyCode, hourly: DecimalString, monthly: DecimalString, setup: DecimalString })
  .strict()
  .meta({ id: 'ShownPrice' });
export type ShownPrice = z.infer<typeof ShownPrice>;

/**
 * A change the client can make to resolve an issue: each maps onto one basket call
 * (updateBasketItem, addBasketItem, removeBasketItem).
 */
export const BasketFix = z
  .object({
    /** What the button says: "Set RAM to 16 GB". */
    label: z.string(),
    action: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('updateItem'),
          itemId: z.string(),
          configuration: Configuration.optional(),
          inputs: ItemInputs.optional(),
          quantity: z.number().int().optional(),
          acceptPrice: z.literal(true).optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal('addItem'),
          product: z.string(),
          preset: z.string().optional(),
          configuration: Configuration.optional(),
          inputs: ItemInputs.optional(),
          quantity: z.number().int().optional(),
        })
        .strict(),
      z.object({ kind: z.literal('removeItem'), itemId: z.string() }).strict(),
    ]),
  })
  .strict()
  .meta({ id: 'BasketFix' });
export type BasketFix = z.infer<typeof BasketFix>;

export const IssueSeverity = z.enum(['error', 'warning', 'suggestion']);
export type IssueSeverity = z.infer<typeof IssueSeverity>;

/** Something checking found: errors block checkout, warnings inform, suggestions upsell. */
export const BasketIssue = z
  .object({
    severity: IssueSeverity,
    /** `rule:<ruleId>` for merchant rules; a built-in check's code (`domain_unavailable`) otherwise. */
    code: z.string(),
    message: z.string(),
    /** The item the issue is about; absent for basket-wide issues. */
    itemId: z.string().optional(),
    /** The input, dimension or option at fault, for the form to highlight. */
    field: z.string().optional(),
    fix: BasketFix.optional(),
  })
  .strict()
  .meta({ id: 'BasketIssue' });
export type BasketIssue = z.infer<typeof BasketIssue>;

/** Which items a rule looks at. Left out: the rule is checked once for the whole basket. */
export const RuleScope = z
  .object({
    products: z.array(z.string().min(1).max(80)).max(50).optional(),
    categories: z.array(CategoryId).max(50).optional(),
    kinds: z.array(ProductKind).max(3).optional(),
  })
  .strict();

/**
 * An expression of the rule language (docs/basket-rules.md): `ram_gb <= 8 * vcpu`,
 * `os == 'windows'`, `count('category:servers') >= 1`, `seats >= account.users`.
 */
export const RuleExpression = z.string().trim().min(1).max(500);

/**
 * A basket rule, written by the merchant as data. For each item in scope where `when` holds,
 * `assert` must hold, or the rule reports `message` with `severity` (and the fix, when given).
 *
 * @example { id: 'ram-per-vcpu', scope: { products: ['virtual-server'] }, assert: 'ram_gb <= 8 * vcpu',
 *   severity: 'error', message: 'At most 8 GB RAM per vCPU: {ram_gb} GB needs {ceil(ram_gb / 8)} vCPU',
 *   fix: { label: 'Set vCPU to {ceil(ram_gb / 8)}', set: { vcpu: 'ceil(ram_gb / 8)' } } }
 */
export const BasketRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lowercase letters, digits and hyphens'),
    description: z.string().max(500).optional(),
    enabled: z.boolean().default(true),
    scope: RuleScope.optional(),
    when: RuleExpression.optional(),
    assert: RuleExpression,
    severity: IssueSeverity,
    /** Shown to the buyer; `{expression}` inserts a value. */
    message: z.string().min(1).max(500),
    fix: z
      .object({
        /** The button's text; `{expression}` inserts a value. */
        label: z.string().min(1).max(120),
        /** New dimension / option / input values of the item, as expressions. */
        set: z.record(PricingKey, RuleExpression).optional(),
        quantity: RuleExpression.optional(),
        /** Add a product (id or slug), optionally from a preset. */
        add: z
          .object({ product: z.string().min(1).max(80), preset: PricingKey.optional() })
          .strict()
          .optional(),
        remove: z.literal(true).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'BasketRule' });
export type BasketRule = z.infer<typeof BasketRule>;
export type BasketRuleInput = z.input<typeof BasketRule>;

export const BasketItemView = z
  .object({
    id: z.string(),
    product: z
      .object({
        id: ProductId,
        slug: z.string(),
        name: z.string(),
        kind: ProductKind,
        available: z.boolean(),
      })
      .strict(),
    configuration: Configuration,
    inputs: z.record(z.string(), z.string()),
    quantity: z.number().int(),
    /** The current price of one unit; absent when the product can no longer be priced. */
    quote: Quote.optional(),
    /** What the buyer was shown, when the price has changed since. */
    priceChange: z.object({ shown: ShownPrice, current: ShownPrice }).strict().optional(),
    addedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'BasketItem' });
export type BasketItemView = z.infer<typeof BasketItemView>;

export const BasketView = z
  .object({
    id: z.string(),
    /**
     * Only for a visitor's basket: the secret to send back as the `Basket-Token` header. Signing
     * in with it sent merges the basket into the buyer's.
     */
    token: z.string().optional(),
    currency: CurrencyCode,
    items: z.array(BasketItemView),
    /** Sums over items × quantity; VAT per the buyer's country when known. */
    totals: z
      .object({
        hourly: DecimalString,
        monthly: DecimalString,
        setup: DecimalString,
        net: DecimalString,
        tax: DecimalString,
        gross: DecimalString,
      })
      .strict(),
    issues: z.array(BasketIssue),
    /** No errors and no unaccepted price change: checkout may proceed. */
    ready: z.boolean(),
    revision: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'Basket' });
export type BasketView = z.infer<typeof BasketView>;
