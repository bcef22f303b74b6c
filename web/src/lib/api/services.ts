/**
 * Services (`/api/v1/stores/{store}/subscriptions...`): list, read with history, start, stop,
 * preview and apply a resize, cancel. An action the state does not allow answers 409
 * `illegal_transition` with `details.state` (the service's state now). Answers are checked with
 * the shared schemas.
 */
import type { Configuration } from '#shared/catalog/product.ts';
import { pageOf } from '#shared/http/paging.ts';
import { SUBSCRIPTION_STATES, type SubscriptionState } from '#shared/subscriptions/lifecycle.ts';
import {
  ResizePreview,
  type SubscriptionTransition,
  SubscriptionView,
} from '#shared/subscriptions/subscription.ts';
import { type ApiOptions, type ApiProblem, type ApiResult, getJson, isRecord, requestJson } from './http.ts';
import { storePath } from './identity.ts';
import { type ListQuery, listSearch } from './orders.ts';
import { type CursorPage, oneOf, schemaParser } from './parse.ts';

export type { Configuration, ResizePreview, SubscriptionState, SubscriptionTransition, SubscriptionView };
export { SUBSCRIPTION_STATES };
export type ServiceAction = 'start' | 'stop';
export type CancelWhen = 'now' | 'end_of_term';

export const parseService = schemaParser(SubscriptionView);
export const parseServicePage = schemaParser(pageOf(SubscriptionView)) as (
  body: unknown,
) => CursorPage<SubscriptionView> | undefined;
export const parseResizePreview = schemaParser(ResizePreview);

const path = (store: string, id: string, rest = '') =>
  storePath(store, `/subscriptions/${encodeURIComponent(id)}${rest}`);

/** `GET subscriptions`, newest first (`status` filters by state). */
export function fetchServices(
  store: string,
  query: ListQuery<SubscriptionState> = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<SubscriptionView>>> {
  return getJson(storePath(store, `/subscriptions${listSearch(query, 'state')}`), parseServicePage, options);
}

/** `GET subscriptions/{id}`: the service with its history, newest first. */
export function fetchService(
  store: string,
  id: string,
  options?: ApiOptions,
): Promise<ApiResult<SubscriptionView>> {
  return getJson(path(store, id), parseService, options);
}

/** `POST subscriptions/{id}/start|stop`, with an optional reason for the history. */
export function changeService(
  store: string,
  id: string,
  action: ServiceAction,
  reason?: string,
  options?: ApiOptions,
): Promise<ApiResult<SubscriptionView>> {
  return requestJson(path(store, id, `/${action}`), parseService, {
    ...options,
    method: 'POST',
    body: reason ? { reason } : {},
  });
}

/** `POST subscriptions/{id}/resize/preview`: nothing changes; 400 names each problem. */
export function previewResize(
  store: string,
  id: string,
  configuration: Configuration,
  options?: ApiOptions,
): Promise<ApiResult<ResizePreview>> {
  return requestJson(path(store, id, '/resize/preview'), parseResizePreview, {
    ...options,
    method: 'POST',
    body: { configuration },
  });
}

/** `POST subscriptions/{id}/resize`; `expectedHourly` (from the preview) makes a changed price a 409. */
export function resizeService(
  store: string,
  id: string,
  configuration: Configuration,
  expectedHourly: string | undefined,
  options?: ApiOptions,
): Promise<ApiResult<SubscriptionView>> {
  return requestJson(path(store, id, '/resize'), parseService, {
    ...options,
    method: 'POST',
    body: { configuration, ...(expectedHourly ? { expectedHourly } : {}) },
  });
}

/** `POST subscriptions/{id}/cancel`: now, or at the end of the committed term. */
export function cancelService(
  store: string,
  id: string,
  when: CancelWhen,
  reason?: string,
  options?: ApiOptions,
): Promise<ApiResult<SubscriptionView>> {
  return requestJson(path(store, id, '/cancel'), parseService, {
    ...options,
    method: 'POST',
    body: { when, ...(reason ? { reason } : {}) },
  });
}

/** The service's state a 409 `illegal_transition` reports (someone else changed it meanwhile). */
export function conflictState(problem: ApiProblem | undefined): SubscriptionState | undefined {
  if (problem?.kind !== 'http' || problem.status !== 409 || !isRecord(problem.details)) return undefined;
  const { state } = problem.details;
  return oneOf<SubscriptionState>(state, SUBSCRIPTION_STATES) ? state : undefined;
}
