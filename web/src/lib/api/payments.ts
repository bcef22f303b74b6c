/**
 * Payments (`/api/v1/stores/{store}/...`): what a buyer may pay with (`payment-options`), buying a
 * credit pack by card or on account and following the purchase, the store's Stripe connection
 * (`admin/payment-settings`, keys write-only) and a customer's billing profile (pay by invoice,
 * payment terms). Answers are checked with the shared schemas.
 */
import { type BuyCreditPackRequest, CreditPurchaseView } from '#shared/payments/credit-purchase.ts';
import {
  CustomerBillingProfile,
  PaymentOptionsView,
  PaymentSettingsView,
  type UpdateBillingProfileRequest,
  type UpdatePaymentSettingsRequest,
} from '#shared/payments/payments.ts';
import { type ApiOptions, type ApiResult, getJson, postOnce, requestJson } from './http.ts';
import { adminPath, storePath } from './identity.ts';
import { schemaParser } from './parse.ts';

export type {
  BuyCreditPackRequest,
  CreditPurchaseView,
  CustomerBillingProfile,
  PaymentOptionsView,
  PaymentSettingsView,
  UpdateBillingProfileRequest,
  UpdatePaymentSettingsRequest,
};
export type CreditPurchaseStatus = CreditPurchaseView['status'];

export const parsePaymentOptions = schemaParser(PaymentOptionsView);
export const parseCreditPurchase = schemaParser(CreditPurchaseView);
export const parsePaymentSettings = schemaParser(PaymentSettingsView);
export const parseBillingProfile = schemaParser(CustomerBillingProfile);

const segment = encodeURIComponent;

/** `GET payment-options` (buyers who may order): credits always; card and invoice with a reason when off. */
export function fetchPaymentOptions(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<PaymentOptionsView>> {
  return getJson(storePath(store, '/payment-options'), parsePaymentOptions, options);
}

/**
 * `POST credit-packs/{packId}/purchases` (201). By card the purchase is `pending_payment` with a
 * `checkoutUrl`; on account it is paid and credited at once, with its invoice. Keep one
 * `idempotencyKey` per attempt. 409 `payment_method_unavailable` says why a method is off.
 */
export function buyCreditPack(
  store: string,
  packId: string,
  request: BuyCreditPackRequest,
  options: ApiOptions & { idempotencyKey?: string } = {},
): Promise<ApiResult<CreditPurchaseView>> {
  return postOnce(
    storePath(store, `/credit-packs/${segment(packId)}/purchases`),
    parseCreditPurchase,
    request,
    options,
  );
}

/** `GET credit-purchases/{id}`: paid yet, credited yet, its invoice. */
export function fetchCreditPurchase(
  store: string,
  purchaseId: string,
  options?: ApiOptions,
): Promise<ApiResult<CreditPurchaseView>> {
  return getJson(storePath(store, `/credit-purchases/${segment(purchaseId)}`), parseCreditPurchase, options);
}

/** `GET admin/payment-settings` (finance:read): connected or not, mode, last 4 of each key, webhook path. */
export function fetchPaymentSettings(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<PaymentSettingsView>> {
  return getJson(adminPath(store, '/payment-settings'), parsePaymentSettings, options);
}

/**
 * `PUT admin/payment-settings` (finance:manage): `{ stripe: { secretKey, webhookSecret } }` connects
 * (a key left out keeps the stored one), `{ stripe: null }` disconnects.
 */
export function savePaymentSettings(
  store: string,
  request: UpdatePaymentSettingsRequest,
  options?: ApiOptions,
): Promise<ApiResult<PaymentSettingsView>> {
  return requestJson(adminPath(store, '/payment-settings'), parsePaymentSettings, {
    ...options,
    method: 'PUT',
    body: request,
  });
}

/** `GET admin/customers/{id}/billing-profile`: may the customer pay by invoice, and on what terms. */
export function fetchBillingProfile(
  store: string,
  customerId: string,
  options?: ApiOptions,
): Promise<ApiResult<CustomerBillingProfile>> {
  return getJson(
    adminPath(store, `/customers/${segment(customerId)}/billing-profile`),
    parseBillingProfile,
    options,
  );
}

/** `PUT admin/customers/{id}/billing-profile` (finance:manage). */
export function saveBillingProfile(
  store: string,
  customerId: string,
  request: UpdateBillingProfileRequest,
  options?: ApiOptions,
): Promise<ApiResult<CustomerBillingProfile>> {
  return requestJson(
    adminPath(store, `/customers/${segment(customerId)}/billing-profile`),
    parseBillingProfile,
    {
      ...options,
      method: 'PUT',
      body: request,
    },
  );
}
