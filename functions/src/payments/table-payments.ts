/**
 * The payments context wired on the table: the payment store, the data keys, Stripe. The money
 * contexts (tableBilling) get card and invoice payment from here.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient } from '../aws/clients.ts';
import { tableName } from '../aws/environment.ts';
import { type BillingDeps, tableBilling } from '../billing/table-billing.ts';
import { DynamoDbCreditPackStore } from '../credits/adapters/dynamodb-credit-pack-store.ts';
import { DynamoDbCustomerRepository } from '../identity/adapters/dynamodb-customer-repository.ts';
import type { InvoiceDeps } from '../invoices/invoice-service.ts';
import { invoiceOrder } from '../invoices/order-invoices.ts';
import { tableInvoices } from '../invoices/table-invoices.ts';
import type { CheckoutDeps, CheckoutPayments } from '../orders/checkout.ts';
import { DynamoDbCreditPurchaseStore } from './adapters/dynamodb-credit-purchase-store.ts';
import { DynamoDbPaymentStore } from './adapters/dynamodb-payment-store.ts';
import { StripePaymentProvider, verifyStripeWebhook } from './adapters/stripe-payment-provider.ts';
import type { CreditPurchaseDeps } from './credit-purchases.ts';
import { dataKeys } from './data-keys.ts';
import { billingProfile, cardSetup, type PaymentDeps } from './payment-settings.ts';
import type { WebhookDeps } from './stripe-webhook.ts';

export function buildPaymentDeps(
  client: DynamoDBDocumentClient,
  table: string,
  options: { clock?: Clock; secrets?: PaymentDeps['secrets'] } = {},
): PaymentDeps {
  const customers = new DynamoDbCustomerRepository(client, table);
  return {
    store: new DynamoDbPaymentStore(client, table),
    secrets: options.secrets ?? dataKeys,
    providerFor: (secretKey, accountId) => new StripePaymentProvider(secretKey, { accountId }),
    verifyWebhook: verifyStripeWebhook,
    clock: options.clock ?? systemClock,
    customerExists: async (tenantId, customerId) => (await customers.get(tenantId, customerId)) !== undefined,
  };
}

/** What checkout needs of the payments context (and of invoices, for orders by card or on account). */
export function checkoutPayments(deps: PaymentDeps, invoices?: InvoiceDeps): CheckoutPayments {
  return {
    card: (tenantId) => cardSetup(deps, tenantId),
    billingProfile: (tenantId, customerId) => billingProfile(deps, tenantId, customerId),
    publicUrl: () => (process.env.PUBLIC_URL ?? '').replace(/\/$/, ''),
    ...(invoices ? { billOrder: (tenant, order) => invoiceOrder(invoices, tenant, order) } : {}),
  };
}

/** The money contexts with card and invoice payment: checkout, the webhook, refunds. */
export function withPayments<D extends CheckoutDeps>(
  orders: D,
  payments: PaymentDeps,
  invoices?: InvoiceDeps,
): D {
  return { ...orders, payments: { ...checkoutPayments(payments, invoices), ...orders.payments } };
}

let deps: PaymentDeps | undefined;
let webhookDeps:
  | (WebhookDeps & { orders: BillingDeps; purchases: CreditPurchaseDeps; invoices: InvoiceDeps })
  | undefined;

/** The payments context of this function instance. */
export function tablePayments(): PaymentDeps {
  deps ??= buildPaymentDeps(dynamoDocumentClient(), tableName());
  return deps;
}

/** Credit pack purchases on the table, with the money contexts they use. */
export function buildCreditPurchaseDeps(
  client: DynamoDBDocumentClient,
  table: string,
  money: { payments: PaymentDeps; billing: BillingDeps; invoices: InvoiceDeps },
): CreditPurchaseDeps {
  return {
    payments: money.payments,
    purchases: new DynamoDbCreditPurchaseStore(client, table),
    packs: new DynamoDbCreditPackStore(client, table),
    ledger: money.billing.ledger,
    invoices: money.invoices,
    time: money.billing.time,
    clock: money.billing.clock,
    commit: money.billing.commit,
    publicUrl: () => (process.env.PUBLIC_URL ?? '').replace(/\/$/, ''),
  };
}

/** Orders, billing, payments and credit purchases of this function instance, wired together. */
export function tableMoney(): WebhookDeps & {
  orders: BillingDeps;
  purchases: CreditPurchaseDeps;
  invoices: InvoiceDeps;
} {
  if (webhookDeps) return webhookDeps;
  const payments = tablePayments();
  const invoices = tableInvoices();
  const billing = withPayments(tableBilling(), payments, invoices);
  webhookDeps = {
    payments,
    orders: billing,
    invoices,
    purchases: buildCreditPurchaseDeps(dynamoDocumentClient(), tableName(), { payments, billing, invoices }),
  };
  return webhookDeps;
}
