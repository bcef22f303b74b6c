/**
 * The merchant's catalog: products (what pricing needs, plus names, category, attributes, images,
 * buyer inputs and a built-in configurator type), the category tree and the catalog settings
 * (attribute definitions that drive facets, search synonyms, seller country).
 *
 * Shapes only; rules across entities (a product's category exists, its attributes match their
 * definitions) are checked by `catalogIssues` (catalog-validation.ts) together with the pricing rules.
 */
import * as z from 'zod';
import { CurrencyCode } from './money.ts';
import { PricedProduct, PricingKey } from './product.ts';
import { SlaPolicy } from './sla.ts';

export const ProductId = z
  .string()
  .regex(/^prd_[0-9a-z_]{1,60}$/, 'must be a prd_… id')
  .meta({ example: 'prd_01jd2x8k3m4n5p6q7r8s9t0v1w' });
export const CategoryId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lowercase letters, digits and hyphens, like "virtual-servers"')
  .meta({ example: 'virtual-servers' });
/** URL handle of a product, unique in the store: `/products/virtual-server`. */
export const ProductSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lowercase letters, digits and hyphens, like "virtual-server"')
  .meta({ example: 'virtual-server' });

/** BCP 47 language tag, kept simple: `en`, `de`, `pt-BR`. */
export const Locale = z
  .string()
  .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag like "en" or "pt-BR"')
  .meta({ example: 'en' });

/**
 * Text in several languages, by language tag. Validation requires the store's default language.
 *
 * @example { en: 'Virtual server', de: 'Virtueller Server' }
 */
export const LocalizedText = z
  .record(Locale, z.string().min(1).max(4000))
  .refine((text) => Object.keys(text).length > 0, 'needs at least one language')
  .meta({ id: 'LocalizedText', example: { en: 'Virtual server', de: 'Virtueller Server' } });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A typed product attribute the store knows; `facet: true` shows it as a search filter. */
export const AttributeDefinition = z
  .object({
    key: PricingKey,
    label: LocalizedText,
    type: z.enum(['enum', 'number', 'boolean', 'text']),
    /** enum: the allowed values, in display order. */
    values: z
      .array(z.object({ key: z.string().min(1).max(60), label: LocalizedText }).strict())
      .max(100)
      .optional(),
    /** number: the unit shown next to values ("vCPU", "GB"). */
    unit: z.string().max(20).optional(),
    facet: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'AttributeDefinition' });
export type AttributeDefinition = z.infer<typeof AttributeDefinition>;

export const AttributeValue = z.union([z.string().max(200), z.number(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/**
 * Words a buyer may type for the same thing: each group's terms find each other
 * (`["vm", "virtual server", "vps"]`).
 */
export const SynonymGroup = z.array(z.string().min(1).max(60)).min(2).max(20);

export const CatalogSettings = z
  .object({
    attributes: z.array(AttributeDefinition).max(50),
    synonyms: z.array(SynonymGroup).max(500),
    /** Where the merchant is established, for VAT (ISO 3166 alpha-2). */
    sellerCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO country code like "DE"'),
    /** Currencies every published product must be priced in; the first is the store's default. */
    currencies: z.array(CurrencyCode).min(1).max(10),
  })
  .strict()
  .meta({ id: 'CatalogSettings' });
export type CatalogSettings = z.infer<typeof CatalogSettings>;

/** A node of the category tree. `parentId: null` is a top-level category. */
export const Category = z
  .object({
    id: CategoryId,
    parentId: CategoryId.nullable(),
    name: LocalizedText,
    description: LocalizedText.optional(),
    /** Order among siblings, ascending. */
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .strict()
  .meta({ id: 'Category' });
export type Category = z.infer<typeof Category>;

/** What the buyer types, not picks: the domain to register, a server's hostname. Not priced. */
export const ProductInput = z
  .object({
    key: PricingKey,
    label: z.string().min(1).max(80),
    type: z.enum(['domain', 'hostname', 'text']),
    required: z.boolean().default(true),
    /** Shown in the empty field. */
    placeholder: z.string().max(80).optional(),
  })
  .strict()
  .meta({ id: 'ProductInput' });
export type ProductInput = z.infer<typeof ProductInput>;

/**
 * The built-in checks a product gets in the basket, by what it is. Each names the dimensions,
 * options and inputs it reads.
 */
export const Configurator = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('generic') }).strict(),
    z
      .object({
        type: z.literal('server'),
        /** The single-select option holding the OS image. */
        imageOption: PricingKey,
        /** Minimum dimension values per image choice: `{ windows: { vcpu: 2, ram_gb: 4 } }`. */
        imageRequirements: z.record(PricingKey, z.record(PricingKey, z.number().nonnegative())),
        hostnameInput: PricingKey.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('domain'),
        domainInput: PricingKey,
        /** The single-select option whose choice keys are the TLDs sold (`com`, `de`, `co_uk` for co.uk). */
        tldOption: PricingKey,
      })
      .strict(),
    z
      .object({
        type: z.literal('cloudService'),
        /** The service's name: DNS-safe, it becomes part of the endpoint hostname. */
        nameInput: PricingKey,
      })
      .strict(),
    z
      .object({
        type: z.literal('productivitySuite'),
        seatsDimension: PricingKey,
        /** The domain the suite's mailboxes use: one the buyer owns or one in the basket. */
        adminDomainInput: PricingKey,
      })
      .strict(),
  ])
  .meta({ id: 'Configurator' });
export type Configurator = z.infer<typeof Configurator>;

export const ProductImage = z
  .object({
    url: z
      .string()
      .max(2000)
      .regex(/^(https:\/\/|\/)/, 'an https:// URL or a path on the store'),
    alt: z.string().max(200),
  })
  .strict();

export const ProductStatus = z.enum(['draft', 'published', 'retired']).meta({ id: 'ProductStatus' });
export type ProductStatus = z.infer<typeof ProductStatus>;

/** What the merchant writes: everything of a product but its id, status and bookkeeping. */
export const ProductDraft = PricedProduct.omit({ id: true })
  .extend({
    slug: ProductSlug,
    name: LocalizedText,
    summary: LocalizedText.optional(),
    description: LocalizedText.optional(),
    /** The first is the product's home in the tree; a product may sit in several categories. */
    categoryIds: z.array(CategoryId).min(1).max(5),
    attributes: z.record(PricingKey, AttributeValue).default({}),
    images: z.array(ProductImage).max(10).default([]),
    inputs: z.array(ProductInput).max(10).default([]),
    configurator: Configurator.default({ type: 'generic' }),
    /** Free words that should find the product ("postgres", "psql"). */
    keywords: z.array(z.string().min(1).max(60)).max(30).default([]),
    /** Outage credits for incidents the merchant records; none without it (docs/catalog.md). */
    sla: SlaPolicy.optional(),
  })
  .strict()
  .meta({ id: 'ProductDraft' });
export type ProductDraft = z.infer<typeof ProductDraft>;
export type ProductDraftInput = z.input<typeof ProductDraft>;

export const Product = ProductDraft.extend({
  id: ProductId,
  status: ProductStatus,
  /** Goes up by one on every change; send it back as `expectedRevision` to update safely. */
  revision: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().optional(),
})
  .strict()
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

/** A product as the pricing engine sees it. */
export const pricedProductOf = (product: Product): PricedProduct => ({
  id: product.id,
  kind: product.kind,
  dimensions: product.dimensions,
  options: product.options,
  prices: product.prices,
  presets: product.presets,
});
