import type { BasketRule } from '#shared/basket/basket.ts';
import type { CatalogSettings, Category, Product, ProductStatus } from '#shared/catalog/catalog.ts';
import type { ZeroResultSearch } from '#shared/catalog/search.ts';

/** The catalog's version (bumped by every change) and its settings, if the merchant saved any. */
export type CatalogMeta = { version: number; settings?: CatalogSettings };

/** Everything buyers' requests read, loaded at once when the version changes. */
export type CatalogSnapshot = CatalogMeta & {
  products: Product[];
  categories: Category[];
  rules: BasketRule[];
};

/** Storage of a tenant's catalog (adapters/dynamodb-catalog-repository.ts). */
export interface CatalogRepository {
  meta(tenantId: string): Promise<CatalogMeta>;
  /** A cheap read of the version alone, done at most once a second per instance. */
  version(tenantId: string): Promise<number>;
  snapshot(tenantId: string): Promise<CatalogSnapshot>;
  getProduct(tenantId: string, productId: string): Promise<Product | undefined>;
  productIdBySlug(tenantId: string, slug: string): Promise<string | undefined>;
  listProducts(
    tenantId: string,
    filter: { status?: ProductStatus; limit: number; cursor?: string },
  ): Promise<{ items: Product[]; nextCursor?: string }>;
  /** Throws ConflictError `slug_taken`. */
  createProduct(tenantId: string, product: Product): Promise<void>;
  /** Throws ConflictError `revision_conflict` when `previous` is no longer current, `slug_taken`. */
  updateProduct(tenantId: string, product: Product, previous: Product): Promise<void>;
  categories(tenantId: string): Promise<Category[]>;
  putCategory(tenantId: string, category: Category, at: string): Promise<void>;
  putSettings(tenantId: string, settings: CatalogSettings, at: string): Promise<void>;
  rules(tenantId: string): Promise<BasketRule[]>;
  putRule(tenantId: string, rule: BasketRule, at: string): Promise<void>;
  /** Counts a search that found nothing, under a normalised key. */
  recordZeroResult(
    tenantId: string,
    search: { key: string; query: string; filters?: string },
    at: Date,
  ): Promise<void>;
  zeroResults(tenantId: string, now: Date): Promise<ZeroResultSearch[]>;
}
