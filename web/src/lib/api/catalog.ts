/**
 * The storefront's catalog API (`/api/v1/stores/{store}/...`): the category tree, search with
 * facets, a product with everything its configurator needs, and the server's quote. Public: no
 * session needed (a signed-in buyer's quote uses their country for VAT).
 *
 * The console's catalog API (`catalog-admin.ts`) reads categories, products and their parts with
 * the parsers here; it only reads price lists and configurators more closely (`parseProductWith`).
 */
import type { ProductPage } from '#shared/catalog/api.ts';
import type {
  Category,
  Configurator,
  LocalizedText,
  Product,
  ProductInput,
  ProductStatus,
} from '#shared/catalog/catalog.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type {
  CapacityDimension,
  Configuration,
  OptionChoice,
  Preset,
  PriceList,
  ProductKind,
  ProductOption,
} from '#shared/catalog/product.ts';
import type { Quote, QuoteLine } from '#shared/catalog/quote.ts';
import type { Facet, PriceFrom, ProductSummary, SearchResult } from '#shared/catalog/search.ts';
import { type ApiOptions, type ApiResult, getJson, isRecord, requestJson } from './http.ts';
import { storePath } from './identity.ts';
import {
  isBoolean,
  isDateTime,
  isNumber,
  isOptional,
  isString,
  isStringArray,
  oneOf,
  parseItems,
  parseList,
} from './parse.ts';

export type { Category, Facet, Product, ProductPage, ProductSummary, Quote, QuoteLine, SearchResult };
export type CategoryList = { items: Category[]; catalogVersion: number };
export type QuoteRequest = {
  configuration: Configuration;
  currency?: string;
  /** A visitor's country, for VAT; a signed-in buyer's account country is used instead. */
  country?: string;
};

export const PRODUCT_STATUSES = ['draft', 'published', 'retired'] as const satisfies readonly ProductStatus[];
export const PRODUCT_KINDS = ['saas', 'paas', 'iaas'] as const satisfies readonly ProductKind[];
const DECIMAL = /^-?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** An amount as the API sends it: a decimal string (`'0.0886'`), never a float. */
export const isDecimal = (value: unknown): value is string =>
  typeof value === 'string' && DECIMAL.test(value);
export const isCurrency = (value: unknown): value is CurrencyCode =>
  typeof value === 'string' && CURRENCY.test(value);
export const isProductKind = (value: unknown): value is ProductKind => oneOf(value, PRODUCT_KINDS);

/** Only the keys present: `{ a: 1, b: undefined }` → `{ a: 1 }` (exactOptionalPropertyTypes-safe). */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

export function parseLocalizedText(value: unknown): LocalizedText | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, text]) => isString(text))) return undefined;
  return value as LocalizedText;
}

export function parseCategory(value: unknown): Category | undefined {
  if (!isRecord(value)) return undefined;
  const { id, parentId, name, description, position } = value;
  if (!isString(id) || !(parentId === null || isString(parentId)) || !isOptional(position, isNumber)) {
    return undefined;
  }
  const parsedName = parseLocalizedText(name);
  const parsedDescription = description === undefined ? undefined : parseLocalizedText(description);
  if (!parsedName || (description !== undefined && !parsedDescription)) return undefined;
  return defined({ id, parentId, name: parsedName, description: parsedDescription, position: position ?? 0 });
}

export function parseCategoryList(body: unknown): CategoryList | undefined {
  const items = parseItems(body, parseCategory);
  if (!items || !isRecord(body) || !isNumber(body.catalogVersion)) return undefined;
  return { items, catalogVersion: body.catalogVersion };
}

function parsePriceFrom(value: unknown): PriceFrom | undefined {
  if (!isRecord(value)) return undefined;
  const { currency, hourly, monthly } = value;
  if (!isCurrency(currency) || !isDecimal(hourly) || !isDecimal(monthly)) return undefined;
  return { currency, hourly, monthly };
}

function parseImage(value: unknown): { url: string; alt: string } | undefined {
  if (!isRecord(value) || !isString(value.url) || !isString(value.alt)) return undefined;
  return { url: value.url, alt: value.alt };
}

const isAttributeValue = (value: unknown): value is string | number | boolean =>
  isString(value) || isNumber(value) || isBoolean(value);

function parseAttributes(value: unknown): Record<string, string | number | boolean> | undefined {
  if (!isRecord(value) || !Object.values(value).every(isAttributeValue)) return undefined;
  return value as Record<string, string | number | boolean>;
}

function parseProductSummary(value: unknown): ProductSummary | undefined {
  if (!isRecord(value)) return undefined;
  const { id, slug, kind, name, summary, categoryIds, attributes, image, priceFrom } = value;
  if (!isString(id) || !isString(slug) || !isString(name) || !isOptional(summary, isString)) return undefined;
  if (!isProductKind(kind) || !isStringArray(categoryIds)) return undefined;
  const parsedAttributes = parseAttributes(attributes);
  const parsedImage = image === undefined ? undefined : parseImage(image);
  const parsedPrice = priceFrom === undefined ? undefined : parsePriceFrom(priceFrom);
  if (!parsedAttributes || (image !== undefined && !parsedImage)) return undefined;
  if (priceFrom !== undefined && !parsedPrice) return undefined;
  return defined({
    id,
    slug,
    kind,
    name,
    summary,
    categoryIds,
    attributes: parsedAttributes,
    image: parsedImage,
    priceFrom: parsedPrice,
  });
}

export function parseFacet(value: unknown): Facet | undefined {
  if (!isRecord(value) || !isString(value.key) || !isString(value.label)) return undefined;
  const { key, label } = value;
  if (value.type === 'values') {
    const values = parseList(value.values, (entry) => {
      if (!isRecord(entry)) return undefined;
      const { value: facetValue, label: valueLabel, count, selected } = entry;
      if (!isString(facetValue) || !isString(valueLabel) || !isNumber(count) || !isBoolean(selected)) {
        return undefined;
      }
      return { value: facetValue, label: valueLabel, count, selected };
    });
    return values ? { type: 'values', key, label, values } : undefined;
  }
  if (value.type === 'range') {
    const { unit, min, max, from, to } = value;
    if (!isOptional(unit, isString) || !isNumber(min) || !isNumber(max)) return undefined;
    if (!isOptional(from, isNumber) || !isOptional(to, isNumber)) return undefined;
    return defined({ type: 'range' as const, key, label, unit, min, max, from, to });
  }
  return undefined;
}

export function parseSearchResult(body: unknown): SearchResult | undefined {
  if (!isRecord(body)) return undefined;
  const { total, page, pageSize, categoryCounts, interpretedAs, catalogVersion } = body;
  const items = parseList(body.items, parseProductSummary);
  const facets = parseList(body.facets, parseFacet);
  if (!items || !facets || !isNumber(total) || !isNumber(page) || !isNumber(pageSize)) return undefined;
  if (!isNumber(catalogVersion) || !isOptional(interpretedAs, isString)) return undefined;
  if (!isRecord(categoryCounts) || !Object.values(categoryCounts).every(isNumber)) return undefined;
  return defined({
    items,
    total,
    page,
    pageSize,
    facets,
    categoryCounts: categoryCounts as Record<string, number>,
    interpretedAs,
    catalogVersion,
  });
}

function parseDimension(value: unknown): CapacityDimension | undefined {
  if (!isRecord(value)) return undefined;
  const { key, label, unit, min, max, step, control } = value;
  if (!isString(key) || !isString(label) || !isString(unit)) return undefined;
  if (!isNumber(min) || !isNumber(max) || !isNumber(step) || !isNumber(value.default)) return undefined;
  if (control !== 'slider' && control !== 'dial' && control !== 'stepper') return undefined;
  return { key, label, unit, min, max, step, default: value.default, control };
}

function parseChoice(value: unknown): OptionChoice | undefined {
  if (!isRecord(value) || !isString(value.key) || !isString(value.label)) return undefined;
  return { key: value.key, label: value.label };
}

function parseOption(value: unknown): ProductOption | undefined {
  if (!isRecord(value)) return undefined;
  const { key, label, type, choices } = value;
  const fallback = value.default;
  if (!isString(key) || !isString(label)) return undefined;
  if (type !== 'single' && type !== 'multi' && type !== 'toggle') return undefined;
  const parsedChoices = choices === undefined ? undefined : parseList(choices, parseChoice);
  if (choices !== undefined && !parsedChoices) return undefined;
  if (!(fallback === undefined || isString(fallback) || isStringArray(fallback) || isBoolean(fallback))) {
    return undefined;
  }
  return defined({
    key,
    label,
    type: type as ProductOption['type'],
    choices: parsedChoices,
    default: fallback,
  });
}

export function parseConfiguration(value: unknown): Configuration | undefined {
  if (!isRecord(value)) return undefined;
  const { dimensions, options } = value;
  if (dimensions !== undefined && !(isRecord(dimensions) && Object.values(dimensions).every(isNumber))) {
    return undefined;
  }
  const isOptionValue = (entry: unknown) => isString(entry) || isStringArray(entry) || isBoolean(entry);
  if (options !== undefined && !(isRecord(options) && Object.values(options).every(isOptionValue))) {
    return undefined;
  }
  return defined({
    dimensions: dimensions as Record<string, number> | undefined,
    options: options as Configuration['options'],
  });
}

function parsePreset(value: unknown): Preset | undefined {
  if (!isRecord(value) || !isString(value.key) || !isString(value.label)) return undefined;
  const configuration = parseConfiguration(value.configuration);
  return configuration ? { key: value.key, label: value.label, configuration } : undefined;
}

function parseInput(value: unknown): ProductInput | undefined {
  if (!isRecord(value)) return undefined;
  const { key, label, type, required, placeholder } = value;
  if (!isString(key) || !isString(label) || !isOptional(required, isBoolean)) return undefined;
  if (type !== 'domain' && type !== 'hostname' && type !== 'text') return undefined;
  if (!isOptional(placeholder, isString)) return undefined;
  return defined({ key, label, type: type as ProductInput['type'], required: required ?? true, placeholder });
}

/**
 * Price lists are checked in outline only (a record per currency with rates as strings): the
 * pricing engine validates them in full when the page compiles the product.
 */
function parsePrices(value: unknown): Record<string, PriceList> | undefined {
  if (!isRecord(value)) return undefined;
  for (const list of Object.values(value)) {
    if (!isRecord(list) || !isDecimal(list.baseRate) || !isDecimal(list.setupFee)) return undefined;
    if (!isRecord(list.dimensions) || !isRecord(list.options)) return undefined;
  }
  return value as Record<string, PriceList>;
}

function parseConfigurator(value: unknown): Configurator | undefined {
  if (!isRecord(value) || !isString(value.type)) return undefined;
  if (!['generic', 'server', 'domain', 'cloudService', 'productivitySuite'].includes(value.type)) {
    return undefined;
  }
  return value as Configurator;
}

/**
 * How closely a product's price lists and configurator are read: the storefront checks their
 * outline (the pricing engine validates them in full when the page compiles the product), the
 * console every field (it edits them).
 */
export type ProductParsers = {
  prices: (value: unknown) => Record<string, PriceList> | undefined;
  configurator: (value: unknown) => Configurator | undefined;
};

/** A product's SLA policy (shared/src/catalog/sla.ts): credits back when an incident touches a service. */
function parseSla(value: unknown): Product['sla'] | undefined {
  if (!isRecord(value)) return undefined;
  const { creditPercent, minimumCredits, minimumOutageMinutes, includeStopped } = value;
  if (!isNumber(creditPercent) || !isOptional(minimumCredits, isDecimal)) return undefined;
  if (!isOptional(minimumOutageMinutes, isNumber) || !isOptional(includeStopped, isBoolean)) return undefined;
  // The API fills in the defaults; a draft may leave them out.
  return defined({
    creditPercent,
    minimumCredits,
    minimumOutageMinutes: minimumOutageMinutes ?? 0,
    includeStopped: includeStopped ?? false,
  });
}

export function parseProduct(value: unknown): Product | undefined {
  return parseProductWith(value, { prices: parsePrices, configurator: parseConfigurator });
}

export function parseProductWith(value: unknown, parsers: ProductParsers): Product | undefined {
  if (!isRecord(value)) return undefined;
  const { id, slug, kind, status, revision, createdAt, updatedAt, publishedAt, keywords, categoryIds } =
    value;
  if (!isString(id) || !isString(slug) || !isProductKind(kind)) return undefined;
  if (!oneOf<ProductStatus>(status, PRODUCT_STATUSES) || !isNumber(revision)) return undefined;
  if (!isDateTime(createdAt) || !isDateTime(updatedAt) || !isOptional(publishedAt, isDateTime))
    return undefined;
  if (!isStringArray(categoryIds) || !isOptional(keywords, isStringArray)) return undefined;
  const name = parseLocalizedText(value.name);
  const summary = value.summary === undefined ? undefined : parseLocalizedText(value.summary);
  const description = value.description === undefined ? undefined : parseLocalizedText(value.description);
  const dimensions = parseList(value.dimensions, parseDimension);
  const options = parseList(value.options, parseOption);
  const presets = parseList(value.presets ?? [], parsePreset);
  const inputs = parseList(value.inputs ?? [], parseInput);
  const images = parseList(value.images ?? [], parseImage);
  const attributes = parseAttributes(value.attributes ?? {});
  const prices = parsers.prices(value.prices);
  const configurator = parsers.configurator(value.configurator ?? { type: 'generic' });
  if (!name || !dimensions || !options || !presets || !inputs || !images || !attributes) return undefined;
  if (!prices || !configurator) return undefined;
  if ((value.summary !== undefined && !summary) || (value.description !== undefined && !description)) {
    return undefined;
  }
  const sla = value.sla === undefined ? undefined : parseSla(value.sla);
  if (value.sla !== undefined && !sla) return undefined;
  return defined({
    id,
    slug,
    kind,
    name,
    summary,
    description,
    categoryIds,
    attributes,
    images,
    inputs,
    configurator,
    keywords: keywords ?? [],
    dimensions,
    options,
    prices,
    presets,
    sla,
    status,
    revision,
    createdAt,
    updatedAt,
    publishedAt,
  });
}

export function parseProductPage(body: unknown): ProductPage | undefined {
  if (!isRecord(body)) return undefined;
  const product = parseProduct(body.product);
  const breadcrumb = parseList(body.breadcrumb, parseCategory);
  const attributes = parseList(body.attributes, (entry) => {
    if (!isRecord(entry)) return undefined;
    const { key, label, value, unit } = entry;
    if (!isString(key) || !isString(label) || !isString(value) || !isOptional(unit, isString))
      return undefined;
    return defined({ key, label, value, unit });
  });
  const priceFrom = body.priceFrom === undefined ? undefined : parsePriceFrom(body.priceFrom);
  const { currencies, sellerCountry } = body;
  if (!product || !breadcrumb || !attributes || (body.priceFrom !== undefined && !priceFrom))
    return undefined;
  if (!Array.isArray(currencies) || currencies.length === 0 || !currencies.every(isCurrency))
    return undefined;
  if (!isString(sellerCountry)) return undefined;
  return defined({ product, breadcrumb, attributes, priceFrom, currencies, sellerCountry });
}

const LINE_KINDS: readonly string[] = [
  'base',
  'dimension',
  'option',
  'setup',
  'discount',
] satisfies QuoteLine['kind'][];
const TAX_RULES: readonly string[] = [
  'domestic',
  'destination',
  'reverse_charge',
  'outside_scope',
] satisfies Quote['tax']['rule'][];

function parseQuoteLine(value: unknown): QuoteLine | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, key, choice, label, quantity, unit, hourly, monthly, oneTime } = value;
  if (!oneOf<QuoteLine['kind']>(kind, LINE_KINDS) || !isString(key) || !isString(label)) return undefined;
  if (!isOptional(choice, isString) || !isOptional(quantity, isNumber) || !isOptional(unit, isString)) {
    return undefined;
  }
  if (!isDecimal(hourly) || !isDecimal(monthly) || !isOptional(oneTime, isDecimal)) return undefined;
  return defined({
    kind,
    key,
    choice,
    label,
    quantity,
    unit,
    hourly,
    monthly,
    oneTime,
  });
}

export function parseQuote(body: unknown): Quote | undefined {
  if (!isRecord(body)) return undefined;
  const { productId, currency, hourly, monthlyEstimate, setup, discounts, tax, totals } = body;
  if (!isString(productId) || !isCurrency(currency)) return undefined;
  if (!isDecimal(hourly) || !isDecimal(monthlyEstimate) || !isDecimal(setup)) return undefined;
  const configuration = parseConfiguration(body.configuration);
  const lines = parseList(body.lines, parseQuoteLine);
  if (!configuration || !lines) return undefined;
  if (!isRecord(discounts) || !isDecimal(discounts.hourly) || !isDecimal(discounts.monthly)) return undefined;
  if (!isDecimal(discounts.oneTime)) return undefined;
  if (!isRecord(tax) || !isString(tax.country) || !isDecimal(tax.rate) || !isDecimal(tax.amount))
    return undefined;
  if (!isBoolean(tax.reverseCharge) || !oneOf<Quote['tax']['rule']>(tax.rule, TAX_RULES)) return undefined;
  if (!isRecord(totals) || !isDecimal(totals.net) || !isDecimal(totals.tax) || !isDecimal(totals.gross)) {
    return undefined;
  }
  return {
    productId,
    currency,
    configuration: { dimensions: configuration.dimensions ?? {}, options: configuration.options ?? {} },
    lines,
    hourly,
    monthlyEstimate,
    setup,
    discounts: { hourly: discounts.hourly, monthly: discounts.monthly, oneTime: discounts.oneTime },
    tax: {
      country: tax.country,
      rate: tax.rate,
      amount: tax.amount,
      reverseCharge: tax.reverseCharge,
      rule: tax.rule,
    },
    totals: { net: totals.net, tax: totals.tax, gross: totals.gross },
  };
}

/** `GET categories`: the whole tree, flat (build it with `buildCategoryTree`). */
export function fetchCategories(store: string, options?: ApiOptions): Promise<ApiResult<CategoryList>> {
  return getJson(storePath(store, '/categories'), parseCategoryList, options);
}

/**
 * `GET search?…`: `params` from `apiParamsOf(state)`. A 400 `unknown_filter` / `invalid_filter`
 * comes back as a problem (a stale link with a filter the catalog no longer has).
 */
export function searchCatalog(
  store: string,
  params: URLSearchParams,
  options?: ApiOptions,
): Promise<ApiResult<SearchResult>> {
  const query = params.toString();
  return getJson(storePath(store, `/search${query ? `?${query}` : ''}`), parseSearchResult, options);
}

/** `GET products/{idOrSlug}`: 404 `not_found` for an unknown or unpublished product. */
export function fetchProduct(
  store: string,
  product: string,
  options?: ApiOptions & { locale?: string },
): Promise<ApiResult<ProductPage>> {
  const query = options?.locale ? `?locale=${encodeURIComponent(options.locale)}` : '';
  return getJson(
    storePath(store, `/products/${encodeURIComponent(product)}${query}`),
    parseProductPage,
    options,
  );
}

/** `POST products/{idOrSlug}/quote`: the server's price of a configuration (VAT by the buyer's account). */
export function fetchQuote(
  store: string,
  product: string,
  request: QuoteRequest,
  options?: ApiOptions,
): Promise<ApiResult<Quote>> {
  return requestJson(storePath(store, `/products/${encodeURIComponent(product)}/quote`), parseQuote, {
    ...options,
    method: 'POST',
    body: request,
  });
}
