import * as z from 'zod';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import {
  CatalogSettings,
  Category,
  CategoryId,
  LocalizedText,
  Product,
  ProductDraft,
  ProductId,
  ProductStatus,
} from './catalog.ts';
import { CurrencyCode } from './money.ts';
import { Configuration } from './product.ts';
import { Quote } from './quote.ts';
import { PriceFrom, SearchQuery, SearchResult, ZeroResultSearch } from './search.ts';
import { SlaPolicy } from './sla.ts';

const tags = ['catalog'];
const adminTags = ['catalog admin'];
/** A product's id or its slug. */
const ProductRef = z.string().min(1).max(80).meta({ example: 'virtual-server' });
const productParams = storeParams.extend({ product: ProductRef });
const adminProductParams = storeParams.extend({ productId: ProductId });
/** Who may read the merchant's side of the catalog (drafts, settings, rules, statistics). */
export const READ_CATALOG = [
  { kind: 'staff', permission: 'catalog:read' },
  { kind: 'apiKey', scope: 'catalog:read' },
] as const;
/** Who may change the catalog. */
export const MANAGE_CATALOG = [{ kind: 'staff', permission: 'catalog:manage' }] as const;

export const CategoryList = z
  .object({ items: z.array(Category), catalogVersion: z.number().int() })
  .meta({ id: 'CategoryList' });

export const listCategories = defineOperation({
  operationId: 'listCategories',
  method: 'GET',
  path: '/api/v1/stores/{store}/categories',
  summary: 'The category tree, flat: build it from parentId, order siblings by position',
  tags,
  access: PUBLIC,
  request: { params: storeParams },
  responses: { 200: CategoryList },
});

export const searchCatalog = defineOperation({
  operationId: 'searchCatalog',
  method: 'GET',
  path: '/api/v1/stores/{store}/search',
  summary: 'Search and filter published products, with facet counts',
  description:
    "Text (typo-tolerant, with the store's synonyms), a category (with everything under it), filters " +
    '(`filter=region:eu-central,vcpu>=4,price<=0.05`), sort and paging. Answered from an in-memory index ' +
    'rebuilt when the catalog changes. A search that finds nothing is counted for the merchant.',
  tags,
  access: PUBLIC,
  request: { params: storeParams, query: SearchQuery },
  responses: { 200: SearchResult },
});

export const ProductPage = z
  .object({
    product: Product,
    /** From the top-level category down to the product's home category. */
    breadcrumb: z.array(Category),
    /** Names and types of the product's attributes. */
    attributes: z.array(
      z
        .object({ key: z.string(), label: z.string(), value: z.string(), unit: z.string().optional() })
        .strict(),
    ),
    priceFrom: PriceFrom.optional(),
    /** The store's currencies, first the default; the product is priced in each. */
    currencies: z.array(CurrencyCode),
    sellerCountry: z.string(),
  })
  .meta({ id: 'ProductPage' });
export type ProductPage = z.infer<typeof ProductPage>;

export const getProduct = defineOperation({
  operationId: 'getProduct',
  method: 'GET',
  path: '/api/v1/stores/{store}/products/{product}',
  summary: 'A published product by id or slug, with everything its configurator needs',
  description: 'Staff with `catalog:read` also see drafts and retired products (preview).',
  tags,
  access: PUBLIC,
  request: { params: productParams, query: z.object({ locale: z.string().max(10).optional() }).strict() },
  responses: { 200: ProductPage },
});

export const QuoteRequest = z
  .object({
    configuration: Configuration.default({}),
    /** Start from a preset; `configuration` overrides it. */
    preset: z.string().max(40).optional(),
    currency: CurrencyCode.optional(),
    /**
     * A visitor's country, for VAT. A signed-in buyer's account country and VAT id are used instead.
     */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO country code like "FR"')
      .optional(),
  })
  .strict()
  .meta({ id: 'QuoteRequest' });

export const quoteConfiguration = defineOperation({
  operationId: 'quoteConfiguration',
  method: 'POST',
  path: '/api/v1/stores/{store}/products/{product}/quote',
  summary: 'Price a configuration: lines, hourly rate, monthly estimate, VAT and totals',
  description:
    'The same engine the storefront runs in the browser; the basket and checkout re-quote with it. ' +
    'An invalid configuration is a 400 listing every value at fault.',
  tags,
  access: PUBLIC,
  request: { params: productParams, body: QuoteRequest },
  responses: { 200: Quote },
});

export const createProduct = defineOperation({
  operationId: 'createProduct',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/products',
  summary: 'Create a product (as a draft)',
  description:
    'Checks everything at once: shapes, the pricing rules (min ≤ default ≤ max, step divides the range, ' +
    'tiers contiguous and ascending, known currencies), the category, attributes and slug.',
  tags: adminTags,
  access: MANAGE_CATALOG,
  idempotent: true,
  request: { params: storeParams, body: ProductDraft },
  responses: { 201: Product },
});

export const ProductChange = ProductDraft.partial()
  .extend({
    /** `null` removes the text. */
    summary: LocalizedText.nullable().optional(),
    description: LocalizedText.nullable().optional(),
    /** `null` removes the SLA policy (incidents then credit the product's services nothing). */
    sla: SlaPolicy.nullable().optional(),
    /** The revision the change was made on: a 409 when someone changed the product since. */
    expectedRevision: z.number().int().positive().optional(),
  })
  .strict()
  .meta({ id: 'ProductChange' });

export const updateProduct = defineOperation({
  operationId: 'updateProduct',
  method: 'PATCH',
  path: '/api/v1/stores/{store}/admin/products/{productId}',
  summary: 'Change a product: the fields sent replace the current ones',
  description:
    'A published product stays published and changes at once (the basket reports the new price to buyers ' +
    'who saw the old one).',
  tags: adminTags,
  access: MANAGE_CATALOG,
  request: { params: adminProductParams, body: ProductChange },
  responses: { 200: Product },
});

const statusChange = z
  .object({ expectedRevision: z.number().int().positive().optional() })
  .strict()
  .default({});

const statusOperation = (
  operationId: 'publishProduct' | 'retireProduct',
  summary: string,
  description?: string,
) =>
  defineOperation({
    operationId,
    method: 'POST',
    path: `/api/v1/stores/{store}/admin/products/{productId}/${operationId === 'publishProduct' ? 'publish' : 'retire'}`,
    summary,
    ...(description ? { description } : {}),
    tags: adminTags,
    access: MANAGE_CATALOG,
    request: { params: adminProductParams, body: statusChange },
    responses: { 200: Product },
  });

export const publishProduct = statusOperation(
  'publishProduct',
  'Publish a product: buyers find, configure and order it',
  'A product must be priced in every store currency to be published.',
);
export const retireProduct = statusOperation(
  'retireProduct',
  'Retire a product: no longer sold; running services are not affected',
);

export const listProducts = defineOperation({
  operationId: 'listProducts',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/products',
  summary: 'Every product of the store, drafts and retired ones included',
  tags: adminTags,
  access: READ_CATALOG,
  request: {
    params: storeParams,
    query: z
      .object({
        status: ProductStatus.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(500).optional(),
      })
      .strict(),
  },
  responses: { 200: z.object({ items: z.array(Product), nextCursor: z.string().optional() }) },
});

export const upsertCategory = defineOperation({
  operationId: 'upsertCategory',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/categories/{categoryId}',
  summary: 'Create or change a category; parentId places it in the tree (no cycles)',
  tags: adminTags,
  access: MANAGE_CATALOG,
  request: {
    params: storeParams.extend({ categoryId: CategoryId }),
    body: Category.omit({ id: true }),
  },
  responses: { 200: Category },
});

export const getCatalogSettings = defineOperation({
  operationId: 'getCatalogSettings',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/catalog-settings',
  summary: 'Attribute definitions (facets), search synonyms, currencies and seller country',
  tags: adminTags,
  access: READ_CATALOG,
  request: { params: storeParams },
  responses: { 200: CatalogSettings },
});

export const updateCatalogSettings = defineOperation({
  operationId: 'updateCatalogSettings',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/catalog-settings',
  summary: 'Replace the catalog settings',
  tags: adminTags,
  access: MANAGE_CATALOG,
  request: { params: storeParams, body: CatalogSettings },
  responses: { 200: CatalogSettings },
});

export const listZeroResultSearches = defineOperation({
  operationId: 'listZeroResultSearches',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/zero-result-searches',
  summary: 'What buyers searched for and did not find, most frequent first',
  tags: adminTags,
  access: READ_CATALOG,
  request: {
    params: storeParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(),
  },
  responses: { 200: z.object({ items: z.array(ZeroResultSearch) }) },
});
