/**
 * Capacity triggers: the merchant's policies per product (`admin/trigger-policies`: list, create
 * or change) and, on a buyer's service, the policies it may use with its own tuning
 * (`subscriptions/{id}/triggers`) and what they did (`subscriptions/{id}/trigger-firings`).
 * Answers are checked with the shared schemas.
 */
import { pageOf } from '#shared/http/paging.ts';
import {
  FIRING_OUTCOMES,
  type FiringOutcome,
  type ScaleAction,
  ServiceTriggerList,
  ServiceTriggerView,
  type SetServiceTriggerRequest,
  type TriggerAction,
  type TriggerAggregation,
  TriggerFiringView,
  type TriggerOperator,
  TriggerPolicyList,
  TriggerPolicyView,
  type UpsertTriggerPolicyRequest,
} from '#shared/triggers/trigger.ts';
import { type ApiOptions, type ApiResult, getJson, requestJson } from './http.ts';
import { adminPath, storePath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type {
  FiringOutcome,
  ScaleAction,
  ServiceTriggerList,
  ServiceTriggerView,
  SetServiceTriggerRequest,
  TriggerAction,
  TriggerAggregation,
  TriggerFiringView,
  TriggerOperator,
  TriggerPolicyView,
  UpsertTriggerPolicyRequest,
};
export { FIRING_OUTCOMES };

const parsePolicyList = schemaParser(TriggerPolicyList);
export const parsePolicy = schemaParser(TriggerPolicyView);
export const parseServiceTriggers = schemaParser(ServiceTriggerList);
export const parseServiceTrigger = schemaParser(ServiceTriggerView);
export const parseFiringPage = schemaParser(pageOf(TriggerFiringView)) as (
  body: unknown,
) => CursorPage<TriggerFiringView> | undefined;

const servicePath = (store: string, subscriptionId: string, rest: string) =>
  storePath(store, `/subscriptions/${encodeURIComponent(subscriptionId)}${rest}`);

/** `GET admin/trigger-policies` (catalog:read or catalog:manage): every policy, enabled or not. */
export async function fetchTriggerPolicies(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<TriggerPolicyView[]>> {
  const result = await getJson(adminPath(store, '/trigger-policies'), parsePolicyList, options);
  return result.ok ? { ...result, data: result.data.items } : result;
}

/**
 * `PUT admin/trigger-policies` (catalog:manage): 201 when it creates one, 200 with `id` when it
 * changes one. A 400 names each field (`body.threshold`, `body.action.step`); `expectedRevision`
 * turns a lost update into a 409.
 */
export function saveTriggerPolicy(
  store: string,
  request: UpsertTriggerPolicyRequest,
  options?: ApiOptions,
): Promise<ApiResult<TriggerPolicyView>> {
  return requestJson(adminPath(store, '/trigger-policies'), parsePolicy, {
    ...options,
    method: 'PUT',
    body: request,
    okStatuses: [200, 201],
  });
}

/** `GET subscriptions/{id}/triggers`: the product's enabled policies, each with this service's setting. */
export function fetchServiceTriggers(
  store: string,
  subscriptionId: string,
  options?: ApiOptions,
): Promise<ApiResult<ServiceTriggerList>> {
  return getJson(servicePath(store, subscriptionId, '/triggers'), parseServiceTriggers, options);
}

/** `PUT subscriptions/{id}/triggers/{policyId}`: on or off, tuned within the policy's bounds (400 otherwise). */
export function setServiceTrigger(
  store: string,
  subscriptionId: string,
  policyId: string,
  request: SetServiceTriggerRequest,
  options?: ApiOptions,
): Promise<ApiResult<ServiceTriggerView>> {
  return requestJson(
    servicePath(store, subscriptionId, `/triggers/${encodeURIComponent(policyId)}`),
    parseServiceTrigger,
    { ...options, method: 'PUT', body: request },
  );
}

/** `GET subscriptions/{id}/trigger-firings`, newest first. */
export function fetchTriggerFirings(
  store: string,
  subscriptionId: string,
  query: { limit?: number; cursor?: string | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<TriggerFiringView>>> {
  const search = new URLSearchParams({ limit: String(query.limit ?? 10) });
  if (query.cursor) search.set('cursor', query.cursor);
  return getJson(servicePath(store, subscriptionId, `/trigger-firings?${search}`), parseFiringPage, options);
}
