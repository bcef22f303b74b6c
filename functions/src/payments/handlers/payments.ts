import {
  buyCreditPack,
  getCreditPurchase,
  getCustomerBillingProfile,
  getPaymentOptions,
  getPaymentSettings,
  setAutoTopUp,
  stripeWebhook,
  updateCustomerBillingProfile,
  updatePaymentSettings,
} from '#shared/payments/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok, rawBody } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { setAutoTopUp as setAutoTopUpFor } from '../auto-top-up.ts';
import * as purchases from '../credit-purchases.ts';
import * as settings from '../payment-settings.ts';
import { handleStripeWebhook } from '../stripe-webhook.ts';
import { tableMoney, tablePayments } from '../table-payments.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** Payment settings, customers' billing profiles, the buyer's payment options, Stripe's webhook. */
export const handler = routes(
  [
    buyCreditPack,
    httpHandler(
      buyCreditPack,
      async ({ tenant, principal, params, body }) =>
        created(
          await purchases.buyCreditPack(tableMoney().purchases, tenant, principal, params.packId, body),
        ),
      options,
    ),
  ],
  [
    setAutoTopUp,
    httpHandler(
      setAutoTopUp,
      async ({ tenant, principal, body }) =>
        ok(await setAutoTopUpFor(tableMoney().purchases, tenant, principal, body)),
      options,
    ),
  ],
  [
    getCreditPurchase,
    httpHandler(
      getCreditPurchase,
      async ({ tenant, principal, params }) =>
        ok(await purchases.getCreditPurchase(tableMoney().purchases, tenant, principal, params.purchaseId)),
      options,
    ),
  ],
  [
    getPaymentSettings,
    httpHandler(
      getPaymentSettings,
      async ({ tenant }) => ok(await settings.getPaymentSettings(tablePayments(), tenant)),
      options,
    ),
  ],
  [
    updatePaymentSettings,
    httpHandler(
      updatePaymentSettings,
      async ({ tenant, body }) => ok(await settings.updatePaymentSettings(tablePayments(), tenant, body)),
      options,
    ),
  ],
  [
    getCustomerBillingProfile,
    httpHandler(
      getCustomerBillingProfile,
      async ({ tenant, params }) =>
        ok(await settings.getCustomerBillingProfile(tablePayments(), tenant, params.customerId)),
      options,
    ),
  ],
  [
    updateCustomerBillingProfile,
    httpHandler(
      updateCustomerBillingProfile,
      async ({ tenant, params, body }) =>
        ok(await settings.updateCustomerBillingProfile(tablePayments(), tenant, params.customerId, body)),
      options,
    ),
  ],
  [
    getPaymentOptions,
    httpHandler(
      getPaymentOptions,
      async ({ tenant, principal }) => ok(await settings.paymentOptions(tablePayments(), tenant, principal)),
      options,
    ),
  ],
  [
    stripeWebhook,
    httpHandler(
      stripeWebhook,
      async ({ tenant, event, headers }) =>
        ok(await handleStripeWebhook(tableMoney(), tenant, rawBody(event), headers['stripe-signature'])),
      options,
    ),
  ],
);
