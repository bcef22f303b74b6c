/**
 * The store's billing settings and its test clock (`/api/v1/stores/{store}/admin/billing-settings`,
 * `.../admin/test-clock`): read with finance:read, change with finance:manage; a sandbox store's
 * clock moves forward with store:manage (202, then poll until `ready`). Checked with the shared schemas.
 */
import { type AdvanceClockRequest, BillingSettings, TestClockView } from '#shared/billing/settings.ts';
import { type ApiOptions, type ApiResult, getJson, requestJson } from './http.ts';
import { adminPath } from './identity.ts';
import { schemaParser } from './parse.ts';

export type { AdvanceClockRequest, BillingSettings, TestClockView };

export const parseBillingSettings = schemaParser(BillingSettings);
export const parseTestClock = schemaParser(TestClockView);

export function fetchBillingSettings(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<BillingSettings>> {
  return getJson(adminPath(store, '/billing-settings'), parseBillingSettings, options);
}

/** `PUT billing-settings`: the whole settings; they apply from now on. */
export function saveBillingSettings(
  store: string,
  settings: BillingSettings,
  options?: ApiOptions,
): Promise<ApiResult<BillingSettings>> {
  return requestJson(adminPath(store, '/billing-settings'), parseBillingSettings, {
    ...options,
    method: 'PUT',
    body: settings,
  });
}

export function fetchTestClock(store: string, options?: ApiOptions): Promise<ApiResult<TestClockView>> {
  return getJson(adminPath(store, '/test-clock'), parseTestClock, options);
}

/** `POST test-clock/advance` (202, `status: advancing`); 409 `not_sandbox`, `clock_advancing`. */
export function advanceTestClock(
  store: string,
  request: AdvanceClockRequest,
  options?: ApiOptions,
): Promise<ApiResult<TestClockView>> {
  return requestJson(adminPath(store, '/test-clock/advance'), parseTestClock, {
    ...options,
    method: 'POST',
    body: request,
    okStatuses: [202],
  });
}
