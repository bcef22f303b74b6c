import * as z from 'zod';
import { CreditPackId } from '../credits/packs.ts';
import { WalletView } from '../credits/wallet.ts';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import {
  BuyCreditPackRequest,
  CreditPurchaseId,
  CreditPurchaseView,
  SetAutoTopUpRequest,
} from './credit-purchase.ts';
import {
  CustomerBillingProfile,
  PaymentOptionsView,
  PaymentSettingsView,
  UpdateBillingProfileRequest,
  UpdatePaymentSettingsRequest,
  WebhookReceipt,
} from './payments.ts';

const tags = ['payments'];

export const getPaymentSettings = defineOperation({
  operationId: 'getPaymentSettings',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/payment-settings',
  summary: 'Payment methods of the store: the Stripe connection (never its keys) and the webhook path',
  tags,
  access: [{ kind: 'staff', permission: 'finance:read' }],
  request: { params: storeParams },
  responses: { 200: PaymentSettingsView },
});

export const updatePaymentSettings = defineOperation({
  operationId: 'updatePaymentSettings',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/payment-settings',
  summary: 'Connect the store’s Stripe account (keys are stored encrypted) or disconnect it',
  description:
    'The keys are write-only: the answer shows the last 4 characters and whether they are test or ' +
    'live keys. `accountId` and `platformFeePercent` prepare Stripe Connect (sessions on the ' +
    'connected account, the fee as an application fee).',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  request: { params: storeParams, body: UpdatePaymentSettingsRequest },
  responses: { 200: PaymentSettingsView },
});

const customerParams = storeParams.extend({ customerId: z.string().min(1).max(64) });

export const getCustomerBillingProfile = defineOperation({
  operationId: 'getCustomerBillingProfile',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/customers/{customerId}/billing-profile',
  summary: 'Whether a customer may pay by invoice, and its payment terms',
  tags,
  access: [
    { kind: 'staff', permission: 'finance:read' },
    { kind: 'staff', permission: 'customers:read' },
  ],
  request: { params: customerParams },
  responses: { 200: CustomerBillingProfile },
});

export const updateCustomerBillingProfile = defineOperation({
  operationId: 'updateCustomerBillingProfile',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/customers/{customerId}/billing-profile',
  summary: 'Allow or stop paying by invoice for a customer; set its payment terms in days',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  request: { params: customerParams, body: UpdateBillingProfileRequest },
  responses: { 200: CustomerBillingProfile },
});

export const getPaymentOptions = defineOperation({
  operationId: 'getPaymentOptions',
  method: 'GET',
  path: '/api/v1/stores/{store}/payment-options',
  summary: 'What the buyer may pay with (at checkout, for credit packs), and why a method is off',
  tags,
  // Ordering, and buying credits (finance:view, as buyCreditPack).
  access: [
    { kind: 'buyer', permission: 'orders:create' },
    { kind: 'buyer', permission: 'finance:view' },
    { kind: 'apiKey', scope: 'orders:create' },
    { kind: 'apiKey', scope: 'finance:view' },
  ],
  request: { params: storeParams },
  responses: { 200: PaymentOptionsView },
});

export const stripeWebhook = defineOperation({
  operationId: 'stripeWebhook',
  method: 'POST',
  path: '/api/v1/webhooks/stripe/{store}',
  summary: 'Events from the store’s Stripe account (card payments completed, expired, failed)',
  description:
    'Stripe calls this; the `Stripe-Signature` header is checked with the store’s webhook signing ' +
    'secret against the raw body (400 when it does not match). Events are handled once each, in ' +
    'any order; events the store does not use are acknowledged and ignored.',
  tags,
  access: PUBLIC,
  request: { params: storeParams },
  responses: { 200: WebhookReceipt },
});

/** Buying credits: buyers who may order and see the account's finances. */
const BUY_CREDITS = [
  { kind: 'buyer', permission: 'finance:view' },
  { kind: 'apiKey', scope: 'finance:view' },
] as const;

export const buyCreditPack = defineOperation({
  operationId: 'buyCreditPack',
  method: 'POST',
  path: '/api/v1/stores/{store}/credit-packs/{packId}/purchases',
  summary: 'Buy a credit pack by card (Stripe Checkout) or on account (an invoice)',
  description:
    'Send an `Idempotency-Key`: a retry buys once. By card the answer is `pending_payment` with a ' +
    '`checkoutUrl`; the credits (and any bonus and cashback) arrive when Stripe reports the ' +
    'payment. On account (customers the merchant allows) the credits arrive at once and an invoice ' +
    'is issued, due after the customer’s payment terms.',
  tags: ['credits'],
  access: [...BUY_CREDITS],
  idempotent: true,
  request: { params: storeParams.extend({ packId: CreditPackId }), body: BuyCreditPackRequest },
  responses: { 201: CreditPurchaseView },
});

export const getCreditPurchase = defineOperation({
  operationId: 'getCreditPurchase',
  method: 'GET',
  path: '/api/v1/stores/{store}/credit-purchases/{purchaseId}',
  summary: 'A credit pack purchase: paid yet, credited yet, its invoice',
  tags: ['credits'],
  access: [...BUY_CREDITS, { kind: 'staff', permission: 'finance:read' }],
  request: { params: storeParams.extend({ purchaseId: CreditPurchaseId }) },
  responses: { 200: CreditPurchaseView },
});

export const setAutoTopUp = defineOperation({
  operationId: 'setAutoTopUp',
  method: 'PUT',
  path: '/api/v1/stores/{store}/wallet/auto-top-up',
  summary: 'Turn auto top-up on (below X credits, buy pack Y with the saved card) or off',
  description:
    'Needs a card saved by an earlier card payment in this store (409 `no_saved_card` otherwise). ' +
    'The usage that takes the balance below the threshold asks for the pack once; a declined card ' +
    'turns auto top-up off.',
  tags: ['credits'],
  access: [...BUY_CREDITS],
  request: { params: storeParams, body: SetAutoTopUpRequest },
  responses: { 200: WalletView },
});
