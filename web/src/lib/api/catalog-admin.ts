/**
 * The merchant console's catalog API (`/api/v1/stores/{store}/admin/...`): products (list, create,
 * change, publish, retire), categories, catalog settings, basket rules (list, save, try on a sample
 * basket) and the searches that found nothing. Reading needs `catalog:read`, changing
 * `catalog:manage`; without it the answer is 403 `permission_required`.
 *
 * The parsers check what the console renders and return the shared types, so a field added to a
 * shared schema is a type error here until the console handles it. Categories, products and their
 * parts are read with the storefront's parsers (`catalog.ts`), basket issues with the basket's
 * (`basket.ts`); only price lists, configurators, settings and rules are read here.
 */
import type { BasketFix, BasketIssue, BasketItemRequest, BasketRule } from '#shared/basket/basket.ts';
import type {
  AttributeDefinition,
  CatalogSettings,
  Category,
  Configurator,
  LocalizedText,
  Product,
  ProductDraft,
  ProductInput,
  ProductStatus,
} from '#shared/catalog/catalog.ts';
import type {
  CapacityDimension,
  ChoicePrice,
  Configuration,
  OptionValue,
  Preset,
  PriceList,
  PriceModel,
  PriceTier,
  ProductKind,
  ProductOption,
} from '#shared/catalog/product.ts';
import type { ZeroResultSearch } from '#shared/catalog/search.ts';
import { ISSUE_SEVERITIES, parseBasketIssue } from './basket.ts';
import {
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  parseCategory,
  parseLocalizedText,
  parseProductWith,
} from './catalog.ts';
import {
  type ApiOptions,
  type ApiProblem,
  type ApiResult,
  getJson,
  isRecord,
  postOnce,
  requestJson,
} from './http.ts';
import { adminPath as admin, storePath } from './identity.ts';
import {
  type CursorPage,
  isBoolean,
  isDateTime,
  isNumber,
  isOptional,
  isString,
  isStringArray,
  oneOf,
  optional,
  parseCursorPage,
  parseItems,
  parseList,
  parseRecord,
} from './parse.ts';

export type {
  AttributeDefinition,
  BasketFix,
  BasketIssue,
  BasketItemRequest,
  BasketRule,
  CapacityDimension,
  CatalogSettings,
  Category,
  Configuration,
  Configurator,
  LocalizedText,
  OptionValue,
  Preset,
  PriceList,
  Product,
  ProductDraft,
  ProductInput,
  ProductKind,
  ProductOption,
  ProductStatus,
  ZeroResultSearch,
};

export type ProductPage = CursorPage<Product>;
/** What a basket rule is saved with: everything but its id (the id is in the path). */
export type BasketRuleBody = Omit<BasketRule, 'id'>;
export type CategoryBody = Omit<Category, 'id'>;
/** A product change: the fields sent replace the current ones; `expectedRevision` guards the write. */
export type ProductChange = Partial<ProductDraft> & { expectedRevision?: number };
export type RuleTest = {
  rule: BasketRule;
  items: BasketItemRequest[];
  accountUsers: number;
};
export type RuleTestResult = { items: { id: string; product: string }[]; issues: BasketIssue[] };

export { PRODUCT_KINDS, PRODUCT_STATUSES };

const ATTRIBUTE_TYPES: readonly string[] = [
  'enum',
  'number',
  'boolean',
  'text',
] satisfies AttributeDefinition['type'][];

function parseTier(value: unknown): PriceTier | undefined {
  if (!isRecord(value)) return undefined;
  const { upTo, unitPrice, flatPrice } = value;
  if (!(upTo === null || isNumber(upTo)) || !isString(unitPrice) || !isOptional(flatPrice, isString))
    return undefined;
  return { upTo, unitPrice, ...optional('flatPrice', flatPrice) };
}

export function parsePriceModel(value: unknown): PriceModel | undefined {
  if (!isRecord(value)) return undefined;
  const { includedQuantity } = value;
  if (!isOptional(includedQuantity, isNumber)) return undefined;
  const included = optional('includedQuantity', includedQuantity);
  switch (value.model) {
    case 'perUnit':
      return isString(value.unitPrice)
        ? { model: 'perUnit', unitPrice: value.unitPrice, ...included }
        : undefined;
    case 'graduated':
    case 'volume': {
      const tiers = parseList(value.tiers, parseTier);
      return tiers ? { model: value.model, tiers, ...included } : undefined;
    }
    case 'package':
      return isNumber(value.blockSize) && isString(value.blockPrice)
        ? { model: 'package', blockSize: value.blockSize, blockPrice: value.blockPrice, ...included }
        : undefined;
    default:
      return undefined;
  }
}

function parseChoicePrice(value: unknown): ChoicePrice | undefined {
  if (!isRecord(value) || !isOptional(value.per, isString)) return undefined;
  const price = parsePriceModel(value.price);
  return price ? { ...optional('per', value.per), price } : undefined;
}

export function parsePriceList(value: unknown): PriceList | undefined {
  if (!isRecord(value)) return undefined;
  const { baseRate, setupFee, stoppedRate } = value;
  if (!isString(baseRate) || !isString(setupFee) || !isOptional(stoppedRate, isString)) return undefined;
  const dimensions = parseRecord(value.dimensions, parsePriceModel);
  const options = parseRecord(value.options, (choices) => parseRecord(choices, parseChoicePrice));
  if (!dimensions || !options) return undefined;
  const meters = value.meters === undefined ? undefined : parseMeters(value.meters);
  if (value.meters !== undefined && !meters) return undefined;
  return {
    baseRate,
    setupFee,
    ...optional('stoppedRate', stoppedRate),
    dimensions,
    options,
    ...optional('meters', meters),
  };
}

/** Usage prices by counter metric; the API checks which metrics may be priced. */
function parseMeters(value: unknown): PriceList['meters'] | undefined {
  const meters = parseRecord(value, (price) =>
    isRecord(price) && isString(price.unitPrice) ? { unitPrice: price.unitPrice } : undefined,
  );
  return meters as PriceList['meters'] | undefined;
}

export function parseConfigurator(value: unknown): Configurator | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'generic':
      return { type: 'generic' };
    case 'server': {
      const { imageOption, hostnameInput } = value;
      const imageRequirements = parseRecord(value.imageRequirements, (minimums) =>
        parseRecord(minimums, (item) => (isNumber(item) ? item : undefined)),
      );
      if (!isString(imageOption) || !imageRequirements || !isOptional(hostnameInput, isString))
        return undefined;
      return { type: 'server', imageOption, imageRequirements, ...optional('hostnameInput', hostnameInput) };
    }
    case 'domain':
      return isString(value.domainInput) && isString(value.tldOption)
        ? { type: 'domain', domainInput: value.domainInput, tldOption: value.tldOption }
        : undefined;
    case 'cloudService':
      return isString(value.nameInput) ? { type: 'cloudService', nameInput: value.nameInput } : undefined;
    case 'productivitySuite':
      return isString(value.seatsDimension) && isString(value.adminDomainInput)
        ? {
            type: 'productivitySuite',
            seatsDimension: value.seatsDimension,
            adminDomainInput: value.adminDomainInput,
          }
        : undefined;
    default:
      return undefined;
  }
}

/** A product as the console edits it: price lists and configurator read field by field. */
export function parseProduct(value: unknown): Product | undefined {
  return parseProductWith(value, {
    prices: (prices) => parseRecord(prices, parsePriceList),
    configurator: parseConfigurator,
  });
}

export function parseProductPage(body: unknown): ProductPage | undefined {
  return parseCursorPage(body, parseProduct);
}

function parseAttributeDefinition(value: unknown): AttributeDefinition | undefined {
  if (!isRecord(value)) return undefined;
  const { key, type, unit, facet } = value;
  const label = parseLocalizedText(value.label);
  if (!isString(key) || !label || !oneOf<AttributeDefinition['type']>(type, ATTRIBUTE_TYPES))
    return undefined;
  if (!isOptional(unit, isString) || !isBoolean(facet)) return undefined;
  const values =
    value.values === undefined
      ? undefined
      : parseList(value.values, (entry) => {
          if (!isRecord(entry) || !isString(entry.key)) return undefined;
          const entryLabel = parseLocalizedText(entry.label);
          return entryLabel ? { key: entry.key, label: entryLabel } : undefined;
        });
  if (value.values !== undefined && !values) return undefined;
  return { key, label, type, ...optional('values', values), ...optional('unit', unit), facet };
}

export function parseCatalogSettings(body: unknown): CatalogSettings | undefined {
  if (!isRecord(body)) return undefined;
  const attributes = parseList(body.attributes, parseAttributeDefinition);
  const synonyms = parseList(body.synonyms, (group) => (isStringArray(group) ? group : undefined));
  const { sellerCountry, currencies } = body;
  if (!attributes || !synonyms || !isString(sellerCountry) || !isStringArray(currencies)) return undefined;
  return { attributes, synonyms, sellerCountry, currencies: currencies as CatalogSettings['currencies'] };
}

function parseExpressions(value: unknown): Record<string, string> | undefined {
  return parseRecord(value, (item) => (isString(item) ? item : undefined));
}

export function parseBasketRule(value: unknown): BasketRule | undefined {
  if (!isRecord(value)) return undefined;
  const { id, description, enabled, when, assert, severity, message } = value;
  if (!isString(id) || !isString(assert) || !isString(message) || !isOptional(description, isString))
    return undefined;
  if (!isOptional(when, isString) || !oneOf<BasketRule['severity']>(severity, ISSUE_SEVERITIES))
    return undefined;
  if (!isOptional(enabled, isBoolean)) return undefined;
  let scope: BasketRule['scope'];
  if (value.scope !== undefined) {
    if (!isRecord(value.scope)) return undefined;
    const { products, categories, kinds } = value.scope;
    if (!isOptional(products, isStringArray) || !isOptional(categories, isStringArray)) return undefined;
    if (kinds !== undefined && !(isStringArray(kinds) && kinds.every((kind) => oneOf(kind, PRODUCT_KINDS))))
      return undefined;
    scope = {
      ...optional('products', products),
      ...optional('categories', categories),
      ...optional('kinds', kinds as ProductKind[] | undefined),
    };
  }
  let fix: BasketRule['fix'];
  if (value.fix !== undefined) {
    if (!isRecord(value.fix) || !isString(value.fix.label)) return undefined;
    const { label, quantity, remove, add } = value.fix;
    const set = value.fix.set === undefined ? undefined : parseExpressions(value.fix.set);
    if ((value.fix.set !== undefined && !set) || !isOptional(quantity, isString)) return undefined;
    if (remove !== undefined && remove !== true) return undefined;
    let adds: { product: string; preset?: string } | undefined;
    if (add !== undefined) {
      if (!isRecord(add) || !isString(add.product) || !isOptional(add.preset, isString)) return undefined;
      adds = { product: add.product, ...optional('preset', add.preset) };
    }
    fix = {
      label,
      ...optional('set', set),
      ...optional('quantity', quantity),
      ...optional('add', adds),
      ...optional('remove', remove),
    };
  }
  return {
    id,
    ...optional('description', description),
    enabled: enabled ?? true,
    ...optional('scope', scope),
    ...optional('when', when),
    assert,
    severity,
    message,
    ...optional('fix', fix),
  };
}

export function parseRuleTestResult(body: unknown): RuleTestResult | undefined {
  if (!isRecord(body)) return undefined;
  const items = parseList(body.items, (item) =>
    isRecord(item) && isString(item.id) && isString(item.product)
      ? { id: item.id, product: item.product }
      : undefined,
  );
  const issues = parseList(body.issues, parseBasketIssue);
  return items && issues ? { items, issues } : undefined;
}

export function parseZeroResultSearch(value: unknown): ZeroResultSearch | undefined {
  if (!isRecord(value)) return undefined;
  const { query, filters, count, firstAt, lastAt } = value;
  if (!isString(query) || !isOptional(filters, isString) || !isNumber(count)) return undefined;
  if (!isDateTime(firstAt) || !isDateTime(lastAt)) return undefined;
  return { query, ...optional('filters', filters), count, firstAt, lastAt };
}

/** 409 `revision_conflict`: someone changed the product since it was loaded; the current revision. */
export function revisionConflict(problem: ApiProblem | undefined): { revision?: number } | undefined {
  if (problem?.kind !== 'http' || problem.status !== 409 || problem.code !== 'revision_conflict')
    return undefined;
  const revision = isRecord(problem.details) ? problem.details.revision : undefined;
  return isNumber(revision) ? { revision } : {};
}

const segment = encodeURIComponent;

/** `GET admin/products?status=&limit=&cursor=` (catalog:read): drafts and retired ones included. */
export function fetchProducts(
  store: string,
  page: { status?: ProductStatus | undefined; limit?: number; cursor?: string | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<ProductPage>> {
  const query = new URLSearchParams({ limit: String(page.limit ?? 50) });
  if (page.status) query.set('status', page.status);
  if (page.cursor) query.set('cursor', page.cursor);
  return getJson(admin(store, `/products?${query}`), parseProductPage, options);
}

/**
 * One product by id, whatever its status: `GET products/{id}` shows staff with catalog:read drafts
 * and retired products too (there is no admin read of one product).
 */
export function fetchProduct(
  store: string,
  productId: string,
  options?: ApiOptions,
): Promise<ApiResult<Product>> {
  return getJson(
    storePath(store, `/products/${segment(productId)}`),
    (body) => (isRecord(body) ? parseProduct(body.product) : undefined),
    options,
  );
}

/** `POST admin/products` (201, a draft); 400 lists every issue; 409 slug_taken. */
export function createProduct(
  store: string,
  draft: ProductDraft,
  options?: ApiOptions & { idempotencyKey?: string },
): Promise<ApiResult<Product>> {
  return postOnce(admin(store, '/products'), parseProduct, draft, options);
}

/** `PATCH admin/products/{id}`: 409 revision_conflict when `expectedRevision` is not the current one. */
export function updateProduct(
  store: string,
  productId: string,
  change: ProductChange,
  options?: ApiOptions,
): Promise<ApiResult<Product>> {
  return requestJson(admin(store, `/products/${segment(productId)}`), parseProduct, {
    ...options,
    method: 'PATCH',
    body: change,
  });
}

/** `POST admin/products/{id}/publish|retire`; publishing needs a price in every store currency. */
export function setProductStatus(
  store: string,
  productId: string,
  action: 'publish' | 'retire',
  expectedRevision: number | undefined,
  options?: ApiOptions,
): Promise<ApiResult<Product>> {
  return requestJson(admin(store, `/products/${segment(productId)}/${action}`), parseProduct, {
    ...options,
    method: 'POST',
    body: expectedRevision === undefined ? {} : { expectedRevision },
  });
}

/** `GET categories`: the whole tree, flat (public; the console has no other read). */
export function fetchCategories(store: string, options?: ApiOptions): Promise<ApiResult<Category[]>> {
  return getJson(storePath(store, '/categories'), (body) => parseItems(body, parseCategory), options);
}

/** `PUT admin/categories/{id}`: creates or changes; 400 category_cycle, unknown_category. */
export function saveCategory(
  store: string,
  categoryId: string,
  body: CategoryBody,
  options?: ApiOptions,
): Promise<ApiResult<Category>> {
  return requestJson(admin(store, `/categories/${segment(categoryId)}`), parseCategory, {
    ...options,
    method: 'PUT',
    body,
  });
}

/** `GET admin/catalog-settings` (catalog:read). */
export function fetchCatalogSettings(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<CatalogSettings>> {
  return getJson(admin(store, '/catalog-settings'), parseCatalogSettings, options);
}

/** `PUT admin/catalog-settings` (catalog:manage): replaces them all. */
export function saveCatalogSettings(
  store: string,
  settings: CatalogSettings,
  options?: ApiOptions,
): Promise<ApiResult<CatalogSettings>> {
  return requestJson(admin(store, '/catalog-settings'), parseCatalogSettings, {
    ...options,
    method: 'PUT',
    body: settings,
  });
}

/** `GET admin/basket-rules` (catalog:read). */
export function fetchBasketRules(store: string, options?: ApiOptions): Promise<ApiResult<BasketRule[]>> {
  return getJson(admin(store, '/basket-rules'), (body) => parseItems(body, parseBasketRule), options);
}

/** `PUT admin/basket-rules/{id}`: expressions are parsed on save (400 with the position of a mistake). */
export function saveBasketRule(
  store: string,
  ruleId: string,
  body: BasketRuleBody,
  options?: ApiOptions,
): Promise<ApiResult<BasketRule>> {
  return requestJson(admin(store, `/basket-rules/${segment(ruleId)}`), parseBasketRule, {
    ...options,
    method: 'PUT',
    body,
  });
}

/** `POST admin/basket-rules/test` (catalog:manage): a rule (saved or not) on a sample basket. */
export function testBasketRule(
  store: string,
  test: RuleTest,
  options?: ApiOptions,
): Promise<ApiResult<RuleTestResult>> {
  return requestJson(admin(store, '/basket-rules/test'), parseRuleTestResult, {
    ...options,
    method: 'POST',
    body: test,
  });
}

/** `GET admin/zero-result-searches?limit=` (catalog:read): most frequent first. */
export function fetchZeroResultSearches(
  store: string,
  limit = 200,
  options?: ApiOptions,
): Promise<ApiResult<ZeroResultSearch[]>> {
  return getJson(
    admin(store, `/zero-result-searches?limit=${limit}`),
    (body) => parseItems(body, parseZeroResultSearch),
    options,
  );
}
