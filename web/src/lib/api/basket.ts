/**
 * The basket API (`/api/v1/stores/{store}/basket...`). Public: a visitor's basket is kept by a
 * secret token the first write returns (`token`), sent back as the `Basket-Token` header; a
 * signed-in buyer has their own basket, and a visitor token sent with their session merges the
 * visitor basket into it. Every answer is the whole basket, re-quoted and checked.
 */
import type * as z from 'zod';
import type {
  BasketFix,
  BasketIssue,
  BasketItemChange,
  BasketItemRequest as BasketItemRequestSchema,
  BasketItemView,
  BasketView,
  IssueSeverity,
  ShownPrice,
} from '#shared/basket/basket.ts';
import type { Configuration } from '#shared/catalog/product.ts';
import { parseQuote } from './catalog.ts';
import { type ApiResult, type GetJsonOptions, isRecord, requestJson } from './http.ts';
import { newIdempotencyKey } from './idempotency.ts';
import { storePath } from './identity.ts';
import { isDateTime, isOptional, isString } from './parse.ts';

export type { BasketFix, BasketIssue, BasketItemChange, BasketItemView, BasketView, IssueSeverity };
/** What the client sends to add an item (defaults left out). */
export type BasketItemRequest = z.input<typeof BasketItemRequestSchema>;

export type BasketOptions = Omit<GetJsonOptions, 'okStatuses'> & {
  /** The visitor basket's secret (`Basket-Token`), when this browser has one. */
  token?: string | undefined;
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'suggestion'] satisfies IssueSeverity[];
const KINDS: readonly string[] = ['saas', 'paas', 'iaas'];
const DECIMAL = /^-?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isDecimal = (value: unknown): value is string => typeof value === 'string' && DECIMAL.test(value);
const isStringRecord = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every(isString);

function parseConfiguration(value: unknown): Configuration | undefined {
  if (!isRecord(value)) return undefined;
  const { dimensions, options } = value;
  if (dimensions !== undefined && !(isRecord(dimensions) && Object.values(dimensions).every(isNumber))) {
    return undefined;
  }
  const isOptionValue = (entry: unknown) =>
    isString(entry) || typeof entry === 'boolean' || (Array.isArray(entry) && entry.every(isString));
  if (options !== undefined && !(isRecord(options) && Object.values(options).every(isOptionValue))) {
    return undefined;
  }
  return {
    ...(dimensions === undefined ? {} : { dimensions: dimensions as Record<string, number> }),
    ...(options === undefined ? {} : { options: options as NonNullable<Configuration['options']> }),
  };
}

function parseFixAction(value: unknown): BasketFix['action'] | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'removeItem') {
    return isString(value.itemId) ? { kind: 'removeItem', itemId: value.itemId } : undefined;
  }
  const configuration =
    value.configuration === undefined ? undefined : parseConfiguration(value.configuration);
  if (value.configuration !== undefined && !configuration) return undefined;
  if (value.inputs !== undefined && !isStringRecord(value.inputs)) return undefined;
  if (!isOptional(value.quantity, isNumber)) return undefined;
  const common = {
    ...(configuration ? { configuration } : {}),
    ...(value.inputs === undefined ? {} : { inputs: value.inputs }),
    ...(value.quantity === undefined ? {} : { quantity: value.quantity }),
  };
  if (value.kind === 'updateItem') {
    if (!isString(value.itemId)) return undefined;
    if (value.acceptPrice !== undefined && value.acceptPrice !== true) return undefined;
    return {
      kind: 'updateItem',
      itemId: value.itemId,
      ...common,
      ...(value.acceptPrice ? { acceptPrice: true as const } : {}),
    };
  }
  if (value.kind === 'addItem') {
    if (!isString(value.product) || !isOptional(value.preset, isString)) return undefined;
    return {
      kind: 'addItem',
      product: value.product,
      ...(value.preset === undefined ? {} : { preset: value.preset }),
      ...common,
    };
  }
  return undefined;
}

export function parseBasketIssue(value: unknown): BasketIssue | undefined {
  if (!isRecord(value)) return undefined;
  const { severity, code, message, itemId, field, fix } = value;
  if (!isString(severity) || !SEVERITIES.includes(severity) || !isString(code) || !isString(message)) {
    return undefined;
  }
  if (!isOptional(itemId, isString) || !isOptional(field, isString)) return undefined;
  let parsedFix: BasketFix | undefined;
  if (fix !== undefined) {
    const action = isRecord(fix) && isString(fix.label) ? parseFixAction(fix.action) : undefined;
    if (!action || !isRecord(fix) || !isString(fix.label)) return undefined;
    parsedFix = { label: fix.label, action };
  }
  return {
    severity: severity as IssueSeverity,
    code,
    message,
    ...(itemId === undefined ? {} : { itemId }),
    ...(field === undefined ? {} : { field }),
    ...(parsedFix ? { fix: parsedFix } : {}),
  };
}

function parseShownPrice(value: unknown): ShownPrice | undefined {
  if (!isRecord(value)) return undefined;
  const { currency, hourly, monthly, setup } = value;
  if (!isString(currency) || !CURRENCY.test(currency)) return undefined;
  if (!isDecimal(hourly) || !isDecimal(monthly) || !isDecimal(setup)) return undefined;
  return { currency: currency as ShownPrice['currency'], hourly, monthly, setup };
}

export function parseBasketItem(value: unknown): BasketItemView | undefined {
  if (!isRecord(value)) return undefined;
  const { id, product, inputs, quantity, addedAt, priceChange } = value;
  if (!isString(id) || !isStringRecord(inputs) || !isNumber(quantity) || !isDateTime(addedAt))
    return undefined;
  if (!isRecord(product) || !isString(product.id) || !isString(product.slug) || !isString(product.name)) {
    return undefined;
  }
  if (!isString(product.kind) || !KINDS.includes(product.kind) || typeof product.available !== 'boolean') {
    return undefined;
  }
  const configuration = parseConfiguration(value.configuration);
  const quote = value.quote === undefined ? undefined : parseQuote(value.quote);
  if (!configuration || (value.quote !== undefined && !quote)) return undefined;
  let change: BasketItemView['priceChange'];
  if (priceChange !== undefined) {
    const shown = isRecord(priceChange) ? parseShownPrice(priceChange.shown) : undefined;
    const current = isRecord(priceChange) ? parseShownPrice(priceChange.current) : undefined;
    if (!shown || !current) return undefined;
    change = { shown, current };
  }
  return {
    id,
    product: {
      id: product.id as BasketItemView['product']['id'],
      slug: product.slug,
      name: product.name,
      kind: product.kind as BasketItemView['product']['kind'],
      available: product.available,
    },
    configuration,
    inputs,
    quantity,
    ...(quote ? { quote } : {}),
    ...(change ? { priceChange: change } : {}),
    addedAt,
  };
}

export function parseBasketView(body: unknown): BasketView | undefined {
  if (!isRecord(body)) return undefined;
  const { id, token, currency, totals, ready, revision, updatedAt } = body;
  if (!isString(id) || !isOptional(token, isString) || !isString(currency) || !CURRENCY.test(currency)) {
    return undefined;
  }
  if (typeof ready !== 'boolean' || !isNumber(revision) || !isDateTime(updatedAt)) return undefined;
  if (!Array.isArray(body.items) || !Array.isArray(body.issues)) return undefined;
  const items = body.items.map(parseBasketItem);
  const issues = body.issues.map(parseBasketIssue);
  if (items.some((item) => item === undefined) || issues.some((issue) => issue === undefined))
    return undefined;
  if (!isRecord(totals)) return undefined;
  const { hourly, monthly, setup, net, tax, gross } = totals;
  if (![hourly, monthly, setup, net, tax, gross].every(isDecimal)) return undefined;
  return {
    id,
    ...(token === undefined ? {} : { token }),
    currency: currency as BasketView['currency'],
    items: items as BasketItemView[],
    totals: {
      hourly: hourly as string,
      monthly: monthly as string,
      setup: setup as string,
      net: net as string,
      tax: tax as string,
      gross: gross as string,
    },
    issues: issues as BasketIssue[],
    ready,
    revision,
    updatedAt,
  };
}

function headers(
  options: BasketOptions | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...(options?.token ? { 'Basket-Token': options.token } : {}), ...extra };
}

function call(
  store: string,
  rest: string,
  options: BasketOptions | undefined,
  init: {
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    body?: unknown;
    okStatuses?: number[];
    extra?: Record<string, string>;
  },
): Promise<ApiResult<BasketView>> {
  const { token: _token, ...requestOptions } = options ?? {};
  return requestJson(storePath(store, rest), parseBasketView, {
    ...requestOptions,
    method: init.method,
    ...(init.body === undefined ? {} : { body: init.body }),
    okStatuses: init.okStatuses ?? [200],
    headers: headers(options, init.extra),
  });
}

/** `GET basket`: re-quoted and checked (an empty basket, without a token, for a new visitor). */
export function fetchBasket(store: string, options?: BasketOptions): Promise<ApiResult<BasketView>> {
  return call(store, '/basket', options, { method: 'GET' });
}

/** `POST basket/items` (201), with a fresh `Idempotency-Key` unless one is given. */
export function addBasketItem(
  store: string,
  request: BasketItemRequest,
  options?: BasketOptions & { idempotencyKey?: string },
): Promise<ApiResult<BasketView>> {
  return call(store, '/basket/items', options, {
    method: 'POST',
    body: request,
    okStatuses: [201],
    extra: { 'Idempotency-Key': options?.idempotencyKey ?? newIdempotencyKey() },
  });
}

/** `PATCH basket/items/{id}`: configuration, inputs, quantity, or `acceptPrice: true`. */
export function updateBasketItem(
  store: string,
  itemId: string,
  change: BasketItemChange,
  options?: BasketOptions,
): Promise<ApiResult<BasketView>> {
  return call(store, `/basket/items/${encodeURIComponent(itemId)}`, options, {
    method: 'PATCH',
    body: change,
  });
}

/** `DELETE basket/items/{id}`: the basket without the item. */
export function removeBasketItem(
  store: string,
  itemId: string,
  options?: BasketOptions,
): Promise<ApiResult<BasketView>> {
  return call(store, `/basket/items/${encodeURIComponent(itemId)}`, options, { method: 'DELETE' });
}

/** `POST basket/validate`: checks as checkout will, domain availability included. */
export function validateBasket(store: string, options?: BasketOptions): Promise<ApiResult<BasketView>> {
  return call(store, '/basket/validate', options, { method: 'POST' });
}
