/**
 * A tenant's catalog as buyers' requests read it: loaded from DynamoDB once per catalog version and
 * kept in this instance's memory, with compiled pricing and the search index built on first use.
 * Requests check the version at most once a second, so a change reaches every instance within
 * about a second, and no request scans the catalog.
 */
import type { BasketRule } from '#shared/basket/basket.ts';
import type { CatalogSettings, Category, Product } from '#shared/catalog/catalog.ts';
import { pricedProductOf } from '#shared/catalog/catalog.ts';
import { type CompiledPricing, compilePricing } from '#shared/catalog/compile.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { logger } from '../observability/logger.ts';
import { defaultCatalogSettings } from './catalog-admin.ts';
import type { CatalogRepository, CatalogSnapshot } from './catalog-repository.ts';
import { buildSearchIndex, type SearchIndex } from './search-index.ts';

export class CatalogView {
  readonly version: number;
  readonly settings: CatalogSettings;
  /** Siblings by position, then id. */
  readonly categories: Category[];
  readonly categoriesById: ReadonlyMap<string, Category>;
  readonly rules: BasketRule[];
  private readonly products: ReadonlyMap<string, Product>;
  private readonly productsBySlug: ReadonlyMap<string, Product>;
  private readonly compiled = new Map<string, CompiledPricing | null>();
  private builtIndex: SearchIndex | undefined;

  constructor(
    snapshot: CatalogSnapshot,
    private readonly tenant: Tenant,
  ) {
    this.version = snapshot.version;
    this.settings = snapshot.settings ?? defaultCatalogSettings(tenant);
    this.categories = [...snapshot.categories].sort(
      (a, b) => a.position - b.position || a.id.localeCompare(b.id),
    );
    this.categoriesById = new Map(this.categories.map((category) => [category.id, category]));
    this.rules = snapshot.rules;
    this.products = new Map(snapshot.products.map((product) => [product.id, product]));
    this.productsBySlug = new Map(snapshot.products.map((product) => [product.slug, product]));
  }

  get defaultCurrency() {
    return this.settings.currencies[0] ?? 'EUR';
  }

  /** A product by id or slug, whatever its status. */
  product(ref: string): Product | undefined {
    return this.products.get(ref) ?? this.productsBySlug.get(ref);
  }

  allProducts(): Iterable<Product> {
    return this.products.values();
  }

  /** Compiled once per product per version; null when a stored product no longer compiles. */
  pricing(product: Product): CompiledPricing | undefined {
    let compiled = this.compiled.get(product.id);
    if (compiled === undefined) {
      try {
        compiled = compilePricing(pricedProductOf(product));
      } catch (error) {
        logger.error('stored product does not compile', { productId: product.id, error: error as Error });
        compiled = null;
      }
      this.compiled.set(product.id, compiled);
    }
    return compiled ?? undefined;
  }

  /** From the top-level category down to `categoryId`. */
  breadcrumb(categoryId: string | undefined): Category[] {
    const path: Category[] = [];
    let cursor = categoryId ? this.categoriesById.get(categoryId) : undefined;
    while (cursor && path.length < 16) {
      path.unshift(cursor);
      cursor = cursor.parentId ? this.categoriesById.get(cursor.parentId) : undefined;
    }
    return path;
  }

  /** The category and all its ancestors, for matching rules and filters by category. */
  categoryLineage(categoryIds: readonly string[]): string[] {
    return [...new Set(categoryIds.flatMap((id) => this.breadcrumb(id).map((category) => category.id)))];
  }

  /** Built on the first search of this version. */
  get searchIndex(): SearchIndex {
    this.builtIndex ??= buildSearchIndex({
      products: [...this.products.values()],
      categories: this.categories,
      settings: this.settings,
      version: this.version,
      defaultLocale: this.tenant.defaultLanguage,
      pricing: (product) => this.pricing(product),
    });
    return this.builtIndex;
  }
}

/** How long a version check counts as current. */
const FRESHNESS_MS = 1_000;

type Entry = { view: CatalogView; checkedAt: number };

/** Per-instance cache of catalog views, one per tenant. */
export class CatalogCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CatalogView>>();

  constructor(
    private readonly repository: CatalogRepository,
    private readonly clock: Clock,
    private readonly freshnessMs = FRESHNESS_MS,
  ) {}

  async view(tenant: Tenant): Promise<CatalogView> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(tenant.id);
    if (entry && now - entry.checkedAt < this.freshnessMs) return entry.view;
    // Concurrent requests of one instance share one check (and one load).
    let pending = this.loading.get(tenant.id);
    if (!pending) {
      pending = this.refresh(tenant, entry, now).finally(() => this.loading.delete(tenant.id));
      this.loading.set(tenant.id, pending);
    }
    return pending;
  }

  /** After a change made through this instance: the next read reloads. */
  invalidate(tenantId: string): void {
    this.entries.delete(tenantId);
  }

  private async refresh(tenant: Tenant, entry: Entry | undefined, now: number): Promise<CatalogView> {
    if (entry && (await this.repository.version(tenant.id)) === entry.view.version) {
      entry.checkedAt = now;
      return entry.view;
    }
    const view = new CatalogView(await this.repository.snapshot(tenant.id), tenant);
    this.entries.set(tenant.id, { view, checkedAt: now });
    return view;
  }
}
