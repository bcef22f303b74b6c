/**
 * The catalog search contract: the query a buyer's filter bar sends and what comes back. The
 * index behind it (functions/src/catalog/search-index.ts) answers from memory.
 */
import * as z from 'zod';
import { CategoryId, ProductId, ProductImage, ProductSlug } from './catalog.ts';
import { CurrencyCode, DecimalString } from './money.ts';
import { ProductKind } from './product.ts';
import { parseSearchFilter, SEARCH_SORTS, type SearchFilter } from './search-filter.ts';

/** Comma-separated filters (API Gateway joins a repeated query parameter with commas). */
const FilterList = z
  .string()
  .max(2000)
  .transform((text, context) => {
    const filters: SearchFilter[] = [];
    for (const part of text.split(',')) {
      if (part.trim() === '') continue;
      const filter = parseSearchFilter(part);
      if (!filter) {
        context.addIssue({
          code: 'custom',
          message: `'${part}' is not a filter: write key:value (region:eu-central) or key>=number (vcpu>=4, price<=0.05)`,
        });
        return z.NEVER;
      }
      filters.push(filter);
    }
    return filters;
  });

export const SearchQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    /** This category and everything under it. */
    category: CategoryId.optional(),
    filter: FilterList.optional(),
    sort: z.enum(SEARCH_SORTS).default('relevance'),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    /** Prices (and price filters) in this currency; the store's default when left out. */
    currency: CurrencyCode.optional(),
    /** Names and facet labels in this language, falling back to the store's. */
    locale: z.string().max(10).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuery>;

export const PriceFrom = z
  .object({
    currency: CurrencyCode,
    /** Per hour of the cheapest configuration (every dimension at its minimum), unrounded. */
    hourly: DecimalString,
    /** Per 730 h, rounded to the currency. */
    monthly: DecimalString,
  })
  .strict()
  .meta({ id: 'PriceFrom' });
export type PriceFrom = z.infer<typeof PriceFrom>;

export const ProductSummary = z
  .object({
    id: ProductId,
    slug: ProductSlug,
    kind: ProductKind,
    name: z.string(),
    summary: z.string().optional(),
    categoryIds: z.array(CategoryId),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    image: ProductImage.optional(),
    /** Absent when the product has no prices in the currency. */
    priceFrom: PriceFrom.optional(),
  })
  .strict()
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof ProductSummary>;

export const FacetValue = z
  .object({ value: z.string(), label: z.string(), count: z.number().int(), selected: z.boolean() })
  .strict();

/**
 * A filter the buyer can narrow by. Counts are what the result would hold with this value added,
 * all other filters kept (a facet's own selection does not narrow its counts, so alternatives
 * stay visible).
 */
export const Facet = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('values'),
        key: z.string(),
        label: z.string(),
        values: z.array(FacetValue),
      })
      .strict(),
    z
      .object({
        type: z.literal('range'),
        key: z.string(),
        label: z.string(),
        unit: z.string().optional(),
        /** Bounds over the products matching every other filter. */
        min: z.number(),
        max: z.number(),
        /** The selected bounds, when filtered. */
        from: z.number().optional(),
        to: z.number().optional(),
      })
      .strict(),
  ])
  .meta({ id: 'Facet' });
export type Facet = z.infer<typeof Facet>;

export const SearchResult = z
  .object({
    items: z.array(ProductSummary),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    facets: z.array(Facet),
    /** Products per category (with everything under it), for the tree next to the results. */
    categoryCounts: z.record(z.string(), z.number().int()),
    /** Set when the text matched nothing as typed but did with typo tolerance or synonyms. */
    interpretedAs: z.string().optional(),
    catalogVersion: z.number().int(),
  })
  .strict()
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof SearchResult>;

/** A search that found nothing, counted per normalised text, for the merchant. */
export const ZeroResultSearch = z
  .object({
    query: z.string(),
    filters: z.string().optional(),
    count: z.number().int(),
    firstAt: z.iso.datetime(),
    lastAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'ZeroResultSearch' });
export type ZeroResultSearch = z.infer<typeof ZeroResultSearch>;
