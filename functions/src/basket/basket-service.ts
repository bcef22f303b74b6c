/**
 * The smart basket: whose basket a request means, adding and changing items (each re-quoted with
 * the shared engine), and describing a basket — current prices, price changes since the buyer saw
 * them, built-in checks and the merchant's rules, totals.
 */
import type {
  BasketIssue,
  BasketItemChange,
  BasketItemRequest,
  BasketItemView,
  BasketView,
  ShownPrice,
} from '#shared/basket/basket.ts';
import { type BasketSnapshot, checkBasket } from '#shared/basket/check-basket.ts';
import { validDomain } from '#shared/basket/checks/domain-names.ts';
import type { SnapshotProduct } from '#shared/basket/rules/evaluate-rules.ts';
import type { Product } from '#shared/catalog/catalog.ts';
import { localized } from '#shared/catalog/localized.ts';
import { type Decimal, decimal, formatMinorUnits, sumOf, toDecimalString } from '#shared/catalog/money.ts';
import { InvalidConfigurationError } from '#shared/catalog/pricing-errors.ts';
import type { Configuration } from '#shared/catalog/product.ts';
import { type Quote, quote } from '#shared/catalog/quote.ts';
import type { VatBuyer } from '#shared/catalog/vat.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { CatalogCache, CatalogView } from '../catalog/catalog-view.ts';
import { configurationFrom, vatBuyerOf, visibleProduct } from '../catalog/storefront-catalog.ts';
import type { Customer } from '../identity/model.ts';
import { digest, newSecret } from '../identity/secrets.ts';
import { logger } from '../observability/logger.ts';
import type { BasketOwner, BasketRepository, StoredBasket, StoredBasketItem } from './basket-repository.ts';
import type { DomainAvailability, Registrar } from './registrar.ts';

export type BasketDeps = {
  baskets: BasketRepository;
  cache: CatalogCache;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  /** Users of a buyer account, for rules like `seats >= account.users`. */
  accountUsers(tenantId: string, customerId: string): Promise<number>;
  /** Domains the customer holds with the store (their domain services). */
  ownedDomains(tenantId: string, customerId: string): Promise<string[]>;
  /** Undefined when no registrar is configured: availability is then reported as unchecked. */
  registrar: Registrar | undefined;
  clock: Clock;
};

/** Who is asking, and the visitor basket token they sent (`Basket-Token` header), if any. */
export type BasketCaller = { principal: Principal; token?: string | undefined };

const MAX_ITEMS = 50;
const TOKEN = /^bt_[A-Za-z0-9_-]{43}$/;

type Resolved = { owner: BasketOwner; customerId?: string; newToken?: string; mergeFrom?: BasketOwner };

/** The basket of a buyer's user or a customer's API key; undefined for everyone else. */
export function buyerBasketOwner(
  principal: Principal,
): Exclude<BasketOwner, { kind: 'visitor' }> | undefined {
  if (principal.kind === 'buyer') {
    return { kind: 'user', customerId: principal.customerId, userId: principal.userId };
  }
  if (principal.kind === 'apiKey' && principal.owner.kind === 'customer') {
    return { kind: 'apiKey', customerId: principal.owner.customerId, keyId: principal.keyId };
  }
  return undefined;
}

function resolveOwner(caller: BasketCaller, creating: boolean): Resolved | undefined {
  const { principal } = caller;
  const token = caller.token && TOKEN.test(caller.token) ? caller.token : undefined;
  const visitor = (secret: string): BasketOwner => ({ kind: 'visitor', tokenDigest: digest(secret) });
  const owner = buyerBasketOwner(principal);
  if (owner) {
    // A visitor basket is merged into a signed-in user's (not into an API key's).
    const merge = token && owner.kind === 'user' ? { mergeFrom: visitor(token) } : {};
    return { owner, customerId: owner.customerId, ...merge };
  }
  if (principal.kind === 'anonymous') {
    if (token) return { owner: visitor(token) };
    if (!creating) return undefined;
    const secret = `bt_${newSecret()}`;
    return { owner: visitor(secret), newToken: secret };
  }
  throw new ForbiddenError(
    'no_basket',
    'Merchant staff and merchant API keys have no basket; act as a customer to order for one',
  );
}

function emptyBasket(deps: BasketDeps, owner: BasketOwner, view: CatalogView): StoredBasket {
  const now = deps.clock.now().toISOString();
  return {
    id: newId('bsk', deps.clock),
    owner,
    currency: view.defaultCurrency,
    items: [],
    revision: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The caller's basket, with a visitor basket merged in when a signed-in buyer still sends its token
 * (the first request after signing in). `mergedFrom` is the visitor basket to delete once saved.
 */
async function load(deps: BasketDeps, tenant: Tenant, view: CatalogView, resolved: Resolved) {
  const basket =
    (await deps.baskets.get(tenant.id, resolved.owner)) ?? emptyBasket(deps, resolved.owner, view);
  if (!resolved.mergeFrom) return { basket };
  const visitorBasket = await deps.baskets.get(tenant.id, resolved.mergeFrom);
  if (!visitorBasket?.items.length) return { basket };
  const items = [...basket.items, ...visitorBasket.items].slice(0, MAX_ITEMS);
  return { basket: { ...basket, items }, mergedFrom: resolved.mergeFrom };
}

/** Saves the basket (409 `basket_changed` on a stale revision), then deletes a merged visitor basket. */
async function save(
  deps: BasketDeps,
  tenant: Tenant,
  basket: StoredBasket,
  mergedFrom: BasketOwner | undefined,
): Promise<StoredBasket> {
  const next = { ...basket, revision: basket.revision + 1, updatedAt: deps.clock.now().toISOString() };
  if (!(await deps.baskets.save(tenant.id, next))) {
    throw new ConflictError(
      'basket_changed',
      'The basket changed in another window; reload it and try again',
    );
  }
  if (mergedFrom) await deps.baskets.delete(tenant.id, mergedFrom);
  return next;
}

/** Reads the caller's basket (merging a visitor's) and describes it; checks availability if asked. */
export async function getBasket(
  deps: BasketDeps,
  tenant: Tenant,
  caller: BasketCaller,
  options: { checkAvailability: boolean },
): Promise<BasketView> {
  const view = await deps.cache.view(tenant);
  const resolved = resolveOwner(caller, false);
  if (!resolved) {
    // A visitor without a token has no basket yet: describe an empty one, save nothing.
    const none = emptyBasket(deps, { kind: 'visitor', tokenDigest: '' }, view);
    return describe(deps, tenant, caller.principal, view, none, undefined, options);
  }
  const { basket, mergedFrom } = await load(deps, tenant, view, resolved);
  const current = mergedFrom ? await save(deps, tenant, basket, mergedFrom) : basket;
  return describe(deps, tenant, caller.principal, view, current, resolved, options);
}

/** Applies a change to the caller's basket and saves it; retried once when another request won. */
async function change(
  deps: BasketDeps,
  tenant: Tenant,
  caller: BasketCaller,
  apply: (basket: StoredBasket, view: CatalogView) => StoredBasket,
): Promise<BasketView> {
  const resolved = resolveOwner(caller, true) as Resolved;
  for (let attempt = 1; ; attempt++) {
    const view = await deps.cache.view(tenant);
    const { basket, mergedFrom } = await load(deps, tenant, view, resolved);
    try {
      const saved = await save(deps, tenant, apply(basket, view), mergedFrom);
      return describe(deps, tenant, caller.principal, view, saved, resolved, { checkAvailability: false });
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === 'basket_changed') || attempt >= 2) throw error;
    }
  }
}

function shownPriceOf(current: Quote): ShownPrice {
  return {
    currency: current.currency,
    hourly: current.hourly,
    monthly: current.monthlyEstimate,
    setup: current.setup,
  };
}

const samePrice = (a: ShownPrice, b: ShownPrice) =>
  a.currency === b.currency &&
  decimal(a.hourly).equals(b.hourly) &&
  decimal(a.monthly).equals(b.monthly) &&
  decimal(a.setup).equals(b.setup);

function checkInputs(product: Product, inputs: Record<string, string>, path: string) {
  const known = new Set(product.inputs.map((input) => input.key));
  const unknown = Object.keys(inputs).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    const list = [...known].join(', ') || 'none';
    throw new ValidationError(
      'unknown_input',
      `${product.slug} has no input ${unknown.join(', ')} (its inputs: ${list})`,
      unknown.map((key) => ({
        path: `${path}.${key}`,
        message: `not an input of ${product.slug}`,
        code: 'unknown_input',
      })),
    );
  }
}

/** Quotes a configuration for the basket (a 400 when it does not fit the product). */
function quoteFor(
  view: CatalogView,
  product: Product,
  configuration: Configuration,
  currency: Quote['currency'],
) {
  const pricing = view.pricing(product);
  if (!pricing) throw new NotFoundError('product_not_priced', `${product.slug} cannot be priced right now`);
  return quote(pricing, configuration, { currency, sellerCountry: view.settings.sellerCountry });
}

export async function addBasketItem(
  deps: BasketDeps,
  tenant: Tenant,
  caller: BasketCaller,
  request: BasketItemRequest,
): Promise<BasketView> {
  return change(deps, tenant, caller, (basket, view) => {
    if (basket.items.length >= MAX_ITEMS) {
      throw new ValidationError(
        'basket_full',
        `A basket holds at most ${MAX_ITEMS} items; check out or remove some`,
      );
    }
    const product = visibleProduct(view, request.product, caller.principal);
    if (product.status !== 'published') {
      throw new ValidationError('product_unavailable', `${product.slug} is not for sale`);
    }
    checkInputs(product, request.inputs, 'body.inputs');
    const configuration = configurationFrom(product, request.preset, request.configuration);
    const current = quoteFor(view, product, configuration, basket.currency);
    const item: StoredBasketItem = {
      id: newId('bki', deps.clock),
      productId: product.id,
      configuration: current.configuration,
      inputs: request.inputs,
      quantity: request.quantity,
      shown: shownPriceOf(current),
      addedAt: deps.clock.now().toISOString(),
    };
    return { ...basket, items: [...basket.items, item] };
  });
}

function itemOf(basket: StoredBasket, itemId: string): StoredBasketItem {
  const item = basket.items.find((entry) => entry.id === itemId);
  if (!item) throw new NotFoundError('basket_item_not_found', `There is no item ${itemId} in your basket`);
  return item;
}

export async function updateBasketItem(
  deps: BasketDeps,
  tenant: Tenant,
  caller: BasketCaller,
  itemId: string,
  request: BasketItemChange,
): Promise<BasketView> {
  return change(deps, tenant, caller, (basket, view) => {
    const item = itemOf(basket, itemId);
    const product = view.product(item.productId);
    if (product?.status !== 'published') {
      throw new ValidationError('product_unavailable', 'This product is no longer for sale; remove the item');
    }
    if (request.inputs) checkInputs(product, request.inputs, 'body.inputs');
    const configuration: Configuration = {
      dimensions: { ...item.configuration.dimensions, ...request.configuration?.dimensions },
      options: { ...item.configuration.options, ...request.configuration?.options },
    };
    const current = quoteFor(view, product, configuration, basket.currency);
    const updated: StoredBasketItem = {
      ...item,
      configuration: current.configuration,
      inputs: { ...item.inputs, ...request.inputs },
      quantity: request.quantity ?? item.quantity,
      // A changed configuration is priced in front of the buyer; otherwise the shown price only
      // moves when they accept the new one.
      shown: request.configuration || request.acceptPrice ? shownPriceOf(current) : item.shown,
    };
    return { ...basket, items: basket.items.map((entry) => (entry.id === itemId ? updated : entry)) };
  });
}

export async function removeBasketItem(
  deps: BasketDeps,
  tenant: Tenant,
  caller: BasketCaller,
  itemId: string,
): Promise<BasketView> {
  return change(deps, tenant, caller, (basket) => {
    itemOf(basket, itemId);
    return { ...basket, items: basket.items.filter((entry) => entry.id !== itemId) };
  });
}

const times = (amount: string, quantity: number) => decimal(amount).times(quantity);

/**
 * An item priced with the current catalog, or the problem that keeps it from being ordered: its
 * product is no longer for sale (or cannot be priced), or no longer accepts its configuration.
 */
function priceItem(
  view: CatalogView,
  item: StoredBasketItem,
  currency: Quote['currency'],
  buyer: VatBuyer | undefined,
  language: string,
): { product?: Product; name: string; current?: Quote; problem?: BasketIssue } {
  const product = view.product(item.productId);
  const name = product ? localized(product.name, language, language) : 'Unknown product';
  const remove = { label: 'Remove the item', action: { kind: 'removeItem' as const, itemId: item.id } };
  const pricing = product?.status === 'published' ? view.pricing(product) : undefined;
  if (!product || !pricing) {
    return {
      ...(product ? { product } : {}),
      name,
      problem: {
        severity: 'error',
        code: 'product_unavailable',
        itemId: item.id,
        message: `${name} is no longer for sale.`,
        fix: remove,
      },
    };
  }
  try {
    const current = quote(pricing, item.configuration, {
      currency,
      sellerCountry: view.settings.sellerCountry,
      ...(buyer ? { buyer } : {}),
    });
    return { product, name, current };
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    const reasons = error.issues.map((issue) => issue.message).join('; ');
    return {
      product,
      name,
      problem: {
        severity: 'error',
        code: 'configuration_invalid',
        itemId: item.id,
        message: `${name} has changed and this configuration no longer fits it: ${reasons}. Change or remove the item.`,
        fix: remove,
      },
    };
  }
}

/** The basket as the buyer sees it: re-quoted, checked, totalled. */
async function describe(
  deps: BasketDeps,
  tenant: Tenant,
  principal: Principal,
  view: CatalogView,
  basket: StoredBasket,
  resolved: Resolved | undefined,
  options: { checkAvailability: boolean },
): Promise<BasketView> {
  const language = tenant.defaultLanguage;
  const buyer = basket.items.length > 0 ? await vatBuyerOf(deps, tenant, principal) : undefined;
  const issues: BasketIssue[] = [];
  const items: BasketItemView[] = [];
  const checkable: BasketSnapshot['items'] = [];
  const quotes: { quote: Quote; quantity: number }[] = [];

  for (const item of basket.items) {
    const { product, name, current, problem } = priceItem(view, item, basket.currency, buyer, language);
    if (problem) issues.push(problem);
    const nowShown = current && shownPriceOf(current);
    const priceChanged = nowShown && !samePrice(item.shown, nowShown);
    if (priceChanged) {
      issues.push({
        severity: 'error',
        code: 'price_changed',
        itemId: item.id,
        message: `The price of ${name} changed since you added it: ${item.shown.monthly} → ${nowShown.monthly} ${basket.currency} a month (setup ${item.shown.setup} → ${nowShown.setup}). Accept the new price to order.`,
        fix: {
          label: 'Accept the new price',
          action: { kind: 'updateItem', itemId: item.id, acceptPrice: true },
        },
      });
    }
    if (current && product) {
      quotes.push({ quote: current, quantity: item.quantity });
      checkable.push({
        id: item.id,
        product: snapshotProductOf(view, product),
        configuration: current.configuration,
        inputs: item.inputs,
        quantity: item.quantity,
      });
    }
    items.push({
      id: item.id,
      product: {
        id: item.productId,
        slug: product?.slug ?? item.productId,
        name,
        kind: product?.kind ?? 'saas',
        available: current !== undefined,
      },
      configuration: item.configuration,
      inputs: item.inputs,
      quantity: item.quantity,
      ...(current ? { quote: current } : {}),
      ...(priceChanged && nowShown ? { priceChange: { shown: item.shown, current: nowShown } } : {}),
      addedAt: item.addedAt,
    });
  }

  // An empty basket has nothing to check: no need to read the buyer's account.
  const customerId = checkable.length > 0 ? resolved?.customerId : undefined;
  const [users, ownedDomains] = customerId
    ? await Promise.all([deps.accountUsers(tenant.id, customerId), deps.ownedDomains(tenant.id, customerId)])
    : [1, []];
  const snapshot: BasketSnapshot = {
    items: checkable,
    account: { users },
    ownedDomains,
    ...domainProductOf(view),
  };
  const answers = options.checkAvailability ? await availability(deps, snapshot, issues) : undefined;
  issues.push(...checkBasket(view.rules, snapshot, answers));

  const sumDecimal = (pick: (entry: { quote: Quote; quantity: number }) => Decimal) =>
    sumOf(quotes.map(pick));
  // Monthly and one-time amounts are sums of rounded amounts: shown with the currency's decimals.
  const sum = (pick: (entry: { quote: Quote; quantity: number }) => Decimal) =>
    formatMinorUnits(sumDecimal(pick), basket.currency);
  const severityOrder = { error: 0, warning: 1, suggestion: 2 } as const;
  issues.sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
  return {
    id: basket.id,
    ...(resolved?.newToken ? { token: resolved.newToken } : {}),
    currency: basket.currency,
    items,
    totals: {
      hourly: toDecimalString(sumDecimal((entry) => times(entry.quote.hourly, entry.quantity))),
      monthly: sum((entry) => times(entry.quote.monthlyEstimate, entry.quantity)),
      setup: sum((entry) => times(entry.quote.setup, entry.quantity)),
      net: sum((entry) => times(entry.quote.totals.net, entry.quantity)),
      tax: sum((entry) => times(entry.quote.totals.tax, entry.quantity)),
      gross: sum((entry) => times(entry.quote.totals.gross, entry.quantity)),
    },
    issues,
    ready: basket.items.length > 0 && !issues.some((issue) => issue.severity === 'error'),
    revision: basket.revision,
    updatedAt: basket.updatedAt,
  };
}

/** A product as the checks and rules see it: with the categories above its own. */
export function snapshotProductOf(view: CatalogView, product: Product): SnapshotProduct {
  return {
    id: product.id,
    slug: product.slug,
    kind: product.kind,
    categoryIds: view.categoryLineage(product.categoryIds),
    configurator: product.configurator,
    dimensions: product.dimensions,
    options: product.options,
    inputs: product.inputs,
    presets: product.presets,
  };
}

/** The store's domain product, for the fix "register this domain too". */
export function domainProductOf(view: CatalogView): Pick<BasketSnapshot, 'domainProduct'> {
  for (const product of view.allProducts()) {
    if (product.status === 'published' && product.configurator.type === 'domain') {
      return {
        domainProduct: { slug: product.slug, configurator: product.configurator, options: product.options },
      };
    }
  }
  return {};
}

/** Asks the registrar about every domain item; a registrar that cannot answer is a warning. */
async function availability(
  deps: BasketDeps,
  snapshot: BasketSnapshot,
  issues: BasketIssue[],
): Promise<Map<string, DomainAvailability> | undefined> {
  const domains = new Set<string>();
  for (const item of snapshot.items) {
    if (item.product.configurator.type !== 'domain') continue;
    const domain = validDomain(item.inputs[item.product.configurator.domainInput]);
    if (domain) domains.add(domain.ascii);
  }
  if (domains.size === 0) return undefined;
  if (!deps.registrar) {
    issues.push({
      severity: 'warning',
      code: 'domain_availability_unknown',
      message:
        'Domain availability could not be checked (no registrar is connected); it will be at registration.',
    });
    return undefined;
  }
  try {
    return await deps.registrar.check([...domains]);
  } catch (error) {
    logger.warn('registrar check failed', { error: error as Error });
    issues.push({
      severity: 'warning',
      code: 'domain_availability_unknown',
      message:
        'The registrar did not answer, so domain availability is not confirmed yet; try again shortly.',
    });
    return undefined;
  }
}
