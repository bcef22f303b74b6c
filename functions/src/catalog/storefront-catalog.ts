/**
 * What buyers read of the catalog: the category tree, product pages, quotes and search. All of it
 * is answered from the per-instance {@link CatalogView}; only a search that finds nothing writes
 * (a counter for the merchant).
 */
import type { ProductPage } from '#shared/catalog/api.ts';
import type { Product } from '#shared/catalog/catalog.ts';
import { localized } from '#shared/catalog/localized.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { priceFrom } from '#shared/catalog/price-from.ts';
import type { Configuration, OptionValue } from '#shared/catalog/product.ts';
import { type Quote, quote } from '#shared/catalog/quote.ts';
import type { SearchQuery, SearchResult } from '#shared/catalog/search.ts';
import { formatSearchFilter } from '#shared/catalog/search-filter.ts';
import type { VatBuyer } from '#shared/catalog/vat.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { Customer } from '../identity/model.ts';
import { logger } from '../observability/logger.ts';
import type { CatalogRepository } from './catalog-repository.ts';
import type { CatalogCache, CatalogView } from './catalog-view.ts';

export type StorefrontCatalogDeps = {
  cache: CatalogCache;
  catalog: CatalogRepository;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  clock: Clock;
};

const canPreview = (principal: Principal) =>
  principal.kind === 'staff' && principal.permissions.includes('catalog:read');

/** A product buyers may see (staff with catalog:read also see drafts), or a 404. */
export function visibleProduct(view: CatalogView, ref: string, principal: Principal): Product {
  const product = view.product(ref);
  if (!product || (product.status !== 'published' && !canPreview(principal))) {
    throw new NotFoundError('product_not_found', `There is no product "${ref}" in this store`);
  }
  return product;
}

export async function listCategories(deps: StorefrontCatalogDeps, tenant: Tenant) {
  const view = await deps.cache.view(tenant);
  return { items: view.categories, catalogVersion: view.version };
}

export async function getProductPage(
  deps: StorefrontCatalogDeps,
  tenant: Tenant,
  principal: Principal,
  ref: string,
  locale: string | undefined,
): Promise<ProductPage> {
  const view = await deps.cache.view(tenant);
  const product = visibleProduct(view, ref, principal);
  const language = locale ?? tenant.defaultLanguage;
  const definitions = new Map(view.settings.attributes.map((definition) => [definition.key, definition]));
  const attributes = Object.entries(product.attributes).flatMap(([key, value]) => {
    const definition = definitions.get(key);
    if (!definition) return []; // the merchant removed the definition since
    const enumLabel = definition.values?.find((entry) => entry.key === value)?.label;
    const shown = enumLabel
      ? localized(enumLabel, language, tenant.defaultLanguage)
      : typeof value === 'boolean'
        ? value
          ? 'Yes'
          : 'No'
        : String(value);
    return [
      {
        key,
        label: localized(definition.label, language, tenant.defaultLanguage),
        value: shown,
        ...(definition.unit ? { unit: definition.unit } : {}),
      },
    ];
  });
  const pricing = view.pricing(product);
  const from = pricing ? priceFrom(pricing, view.defaultCurrency, view.settings.sellerCountry) : undefined;
  return {
    product,
    breadcrumb: view.breadcrumb(product.categoryIds[0]),
    attributes,
    ...(from ? { priceFrom: from } : {}),
    currencies: view.settings.currencies,
    sellerCountry: view.settings.sellerCountry,
  };
}

/** A preset's configuration with the buyer's choices laid over it. */
export function configurationFrom(
  product: Product,
  presetKey: string | undefined,
  configuration: Configuration,
) {
  if (!presetKey) return configuration;
  const preset = product.presets.find((entry) => entry.key === presetKey);
  if (!preset) {
    const known = product.presets.map((entry) => entry.key).join(', ') || 'none';
    throw new ValidationError(
      'unknown_preset',
      `"${presetKey}" is not a preset of this product (presets: ${known})`,
      [{ path: 'body.preset', message: `unknown preset; presets: ${known}`, code: 'unknown_preset' }],
    );
  }
  return {
    dimensions: { ...preset.configuration.dimensions, ...configuration.dimensions },
    options: { ...preset.configuration.options, ...configuration.options } as Record<string, OptionValue>,
  };
}

/**
 * Whom VAT is charged to: a signed-in buyer's account (country, VAT id), else the visitor's stated
 * country, else nobody known (priced with the seller's VAT).
 */
export async function vatBuyerOf(
  deps: Pick<StorefrontCatalogDeps, 'customers'>,
  tenant: Tenant,
  principal: Principal,
  visitorCountry?: string,
): Promise<VatBuyer | undefined> {
  const customerId = customerOf(principal);
  if (customerId) {
    const customer = await deps.customers.get(tenant.id, customerId);
    if (customer) {
      // VAT ids are checked for format at registration and companies are approved by the
      // merchant; checking them against VIES belongs to invoicing.
      return {
        country: customer.country,
        ...(customer.vatId ? { vatId: customer.vatId, vatIdValid: true } : {}),
      };
    }
  }
  return visitorCountry ? { country: visitorCountry } : undefined;
}

export function currencyOf(view: CatalogView, requested: CurrencyCode | undefined): CurrencyCode {
  if (requested && !view.settings.currencies.includes(requested)) {
    throw new ValidationError(
      'currency_not_offered',
      `This store sells in ${view.settings.currencies.join(', ')}, not ${requested}`,
      [
        {
          path: 'currency',
          message: `one of ${view.settings.currencies.join(', ')}`,
          code: 'currency_not_offered',
        },
      ],
    );
  }
  return requested ?? view.defaultCurrency;
}

export async function quoteConfiguration(
  deps: StorefrontCatalogDeps,
  tenant: Tenant,
  principal: Principal,
  ref: string,
  request: { configuration: Configuration; preset?: string; currency?: CurrencyCode; country?: string },
): Promise<Quote> {
  const view = await deps.cache.view(tenant);
  const product = visibleProduct(view, ref, principal);
  const pricing = view.pricing(product);
  if (!pricing) throw new NotFoundError('product_not_priced', 'This product cannot be priced right now');
  const currency = currencyOf(view, request.currency);
  const buyer = await vatBuyerOf(deps, tenant, principal, request.country);
  return quote(pricing, configurationFrom(product, request.preset, request.configuration), {
    currency,
    sellerCountry: view.settings.sellerCountry,
    ...(buyer ? { buyer } : {}),
  });
}

/** Lower case, single spaces: "  VPS  Server" and "vps server" are one zero-result entry. */
const normaliseQuery = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

export async function searchCatalog(
  deps: StorefrontCatalogDeps,
  tenant: Tenant,
  query: SearchQuery,
): Promise<SearchResult> {
  const view = await deps.cache.view(tenant);
  const result = view.searchIndex.search(query);
  const text = normaliseQuery(query.q ?? '');
  if (result.total === 0 && (text || query.filter?.length)) {
    // The category counts as one more filter; sorted, so the same search is one counter.
    const filters = [
      ...(query.category ? [`category:${query.category}`] : []),
      ...(query.filter ?? []).map(formatSearchFilter).sort(),
    ]
      .join(',')
      .slice(0, 300);
    const key = `${text.slice(0, 200)}|${filters}`;
    try {
      await deps.catalog.recordZeroResult(
        tenant.id,
        { key, query: text, ...(filters ? { filters } : {}) },
        deps.clock.now(),
      );
    } catch (error) {
      // The buyer still gets their (empty) answer; the merchant's statistic misses one.
      logger.warn('zero-result search not recorded', { error: error as Error });
    }
  }
  return result;
}

export async function listZeroResultSearches(deps: StorefrontCatalogDeps, tenant: Tenant, limit: number) {
  const all = await deps.catalog.zeroResults(tenant.id, deps.clock.now());
  all.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  return { items: all.slice(0, limit) };
}
