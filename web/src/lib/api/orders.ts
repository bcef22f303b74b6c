/**
 * Orders (`/api/v1/stores/{store}/checkout`, `.../orders`): place the basket as an order, read one
 * order, list orders page by page (a buyer their account's; staff any customer's, or one with
 * `customerId`). Answers are checked with the shared schemas.
 */
import { pageOf } from '#shared/http/paging.ts';
import {
  type CheckoutRequest,
  ORDER_STATUSES,
  type OrderItemView,
  type OrderStatus,
  OrderView,
} from '#shared/orders/order.ts';
import type { PaymentMethod } from '#shared/subscriptions/subscription.ts';
import { type ApiOptions, type ApiResult, getJson, postOnce } from './http.ts';
import { storePath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type { CheckoutRequest, OrderItemView, OrderStatus, OrderView, PaymentMethod };
export { ORDER_STATUSES };

export const parseOrder = schemaParser(OrderView);
export const parseOrderPage = schemaParser(pageOf(OrderView)) as (
  body: unknown,
) => CursorPage<OrderView> | undefined;

export type ListQuery<S extends string> = {
  limit?: number;
  cursor?: string | undefined;
  /** Only this status (state, for services). */
  status?: S | undefined;
  /** Staff only: one customer's. */
  customerId?: string | undefined;
};

/** `?limit=&cursor=&<filter>=&customerId=` with the parts that are set. */
export function listSearch(query: ListQuery<string>, filter = 'status'): string {
  const search = new URLSearchParams({ limit: String(query.limit ?? 20) });
  if (query.cursor) search.set('cursor', query.cursor);
  if (query.status) search.set(filter, query.status);
  if (query.customerId) search.set('customerId', query.customerId);
  return `?${search}`;
}

/**
 * `POST checkout` (201): orders the basket the buyer reviewed (`basketRevision`). Keep one
 * `idempotencyKey` per attempt so a retry after a lost answer returns the first order. 409s:
 * `insufficient_credits` (details: required, balance, missing), `payment_method_unavailable`,
 * `basket_changed`, `basket_not_ready`, `basket_empty`.
 */
export function placeOrder(
  store: string,
  request: CheckoutRequest,
  options: ApiOptions & { idempotencyKey?: string } = {},
): Promise<ApiResult<OrderView>> {
  return postOnce(storePath(store, '/checkout'), parseOrder, request, options);
}

/** `GET orders/{id}`: items, the price snapshot, payment and the services it created. */
export function fetchOrder(
  store: string,
  orderId: string,
  options?: ApiOptions,
): Promise<ApiResult<OrderView>> {
  return getJson(storePath(store, `/orders/${encodeURIComponent(orderId)}`), parseOrder, options);
}

/** `GET orders`, newest first. */
export function fetchOrders(
  store: string,
  query: ListQuery<OrderStatus> = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<OrderView>>> {
  return getJson(storePath(store, `/orders${listSearch(query)}`), parseOrderPage, options);
}
