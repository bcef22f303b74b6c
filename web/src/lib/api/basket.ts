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
import { isCurrency, isDecimal, isProductKind, parseConfiguration, parseQuote } from './catalog.ts';
import { type ApiOptions, type ApiResult, isRecord, requestJson } from './http.ts';
import { newIdempotencyKey } from './idempotency.ts';
import { storePath } from './identity.ts';
import {
  isBoolean,
  isDateTime,
  isNumber,
  isOptional,
  isString,
  oneOf,
  optional,
  parseList,
} from './parse.ts';

export type { BasketFix, BasketIssue, BasketItemChange, BasketItemView, BasketView, IssueSeverity };
/** What the client sends to add an item (defaults left out). */
export type BasketItemRequest = z.input<typeof BasketItemRequestSchema>;

export type BasketOptions = ApiOptions & {
  /** The visitor basket's secret (`Basket-Token`), when this browser has one. */
  token?: string | undefined;
};

export const ISSUE_SEVERITIES: readonly string[] = [
  'error',
  'warning',
  'suggestion',
] satisfies IssueSeverity[];

const isStringRecord = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every(isString);

function parseFixAction(value: unknown): BasketFix['action'] | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'removeItem') {
    return isString(value.itemId) ? { kind: 'removeItem', itemId: value.itemId } : undefined;
  }
  const { configuration, inputs, quantity } = value;
  const parsedConfiguration = configuration === undefined ? undefined : parseConfiguration(configuration);
  if (configuration !== undefined && !parsedConfiguration) return undefined;
  if (!isOptional(inputs, isStringRecord) || !isOptional(quantity, isNumber)) return undefined;
  const common = {
    ...optional('configuration', parsedConfiguration),
    ...optional('inputs', inputs),
    ...optional('quantity', quantity),
  };
  if (value.kind === 'updateItem') {
    if (!isString(value.itemId)) return undefined;
    if (value.acceptPrice !== undefined && value.acceptPrice !== true) return undefined;
    return {
      kind: 'updateItem',
      itemId: value.itemId,
      ...common,
      ...optional('acceptPrice', value.acceptPrice),
    };
  }
  if (value.kind === 'addItem') {
    if (!isString(value.product) || !isOptional(value.preset, isString)) return undefined;
    return { kind: 'addItem', product: value.product, ...optional('preset', value.preset), ...common };
  }
  return undefined;
}

function parseFix(value: unknown): BasketFix | undefined {
  if (!isRecord(value) || !isString(value.label)) return undefined;
  const action = parseFixAction(value.action);
  return action ? { label: value.label, action } : undefined;
}

export function parseBasketIssue(value: unknown): BasketIssue | undefined {
  if (!isRecord(value)) return undefined;
  const { severity, code, message, itemId, field, fix } = value;
  if (!oneOf<IssueSeverity>(severity, ISSUE_SEVERITIES) || !isString(code) || !isString(message))
    return undefined;
  if (!isOptional(itemId, isString) || !isOptional(field, isString)) return undefined;
  const parsedFix = fix === undefined ? undefined : parseFix(fix);
  if (fix !== undefined && !parsedFix) return undefined;
  return {
    severity,
    code,
    message,
    ...optional('itemId', itemId),
    ...optional('field', field),
    ...optional('fix', parsedFix),
  };
}

function parseShownPrice(value: unknown): ShownPrice | undefined {
  if (!isRecord(value)) return undefined;
  const { currency, hourly, monthly, setup } = value;
  if (!isCurrency(currency) || !isDecimal(hourly) || !isDecimal(monthly) || !isDecimal(setup)) {
    return undefined;
  }
  return { currency, hourly, monthly, setup };
}

function parsePriceChange(value: unknown): BasketItemView['priceChange'] {
  if (!isRecord(value)) return undefined;
  const shown = parseShownPrice(value.shown);
  const current = parseShownPrice(value.current);
  return shown && current ? { shown, current } : undefined;
}

function parseBasketItem(value: unknown): BasketItemView | undefined {
  if (!isRecord(value)) return undefined;
  const { id, product, inputs, quantity, addedAt, priceChange } = value;
  if (!isString(id) || !isStringRecord(inputs) || !isNumber(quantity) || !isDateTime(addedAt)) {
    return undefined;
  }
  if (!isRecord(product) || !isString(product.id) || !isString(product.slug) || !isString(product.name)) {
    return undefined;
  }
  if (!isProductKind(product.kind) || !isBoolean(product.available)) return undefined;
  const configuration = parseConfiguration(value.configuration);
  const quote = value.quote === undefined ? undefined : parseQuote(value.quote);
  const change = priceChange === undefined ? undefined : parsePriceChange(priceChange);
  if (!configuration || (value.quote !== undefined && !quote)) return undefined;
  if (priceChange !== undefined && !change) return undefined;
  return {
    id,
    product: {
      id: product.id as BasketItemView['product']['id'],
      slug: product.slug,
      name: product.name,
      kind: product.kind,
      available: product.available,
    },
    configuration,
    inputs,
    quantity,
    ...optional('quote', quote),
    ...optional('priceChange', change),
    addedAt,
  };
}

export function parseBasketView(body: unknown): BasketView | undefined {
  if (!isRecord(body)) return undefined;
  const { id, token, currency, totals, ready, revision, updatedAt } = body;
  if (!isString(id) || !isOptional(token, isString) || !isCurrency(currency)) return undefined;
  if (!isBoolean(ready) || !isNumber(revision) || !isDateTime(updatedAt)) return undefined;
  const items = parseList(body.items, parseBasketItem);
  const issues = parseList(body.issues, parseBasketIssue);
  if (!items || !issues || !isRecord(totals)) return undefined;
  const { hourly, monthly, setup, net, tax, gross } = totals;
  if (!isDecimal(hourly) || !isDecimal(monthly) || !isDecimal(setup)) return undefined;
  if (!isDecimal(net) || !isDecimal(tax) || !isDecimal(gross)) return undefined;
  return {
    id,
    ...optional('token', token),
    currency,
    items,
    totals: { hourly, monthly, setup, net, tax, gross },
    issues,
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
