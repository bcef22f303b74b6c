/** An order: a checked basket, priced and frozen, paid by credits, card or invoice. */
import * as z from 'zod';
import { ProductId } from '../catalog/catalog.ts';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';
import { Configuration, MeterPrice, ProductKind } from '../catalog/product.ts';
import { CreditAmount } from '../credits/credit-units.ts';
import { PaymentMethod } from '../subscriptions/subscription.ts';
import { CounterMetric } from '../usage/metrics.ts';

export const OrderId = z.string().regex(/^ord_[0-9a-z]{26}$/, 'must be an ord_… id');

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'provisioning',
  'completed',
  'failed',
  'cancelled',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES).meta({ id: 'OrderStatus' });
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderItemView = z
  .object({
    product: z.object({ id: ProductId, slug: z.string(), name: z.string(), kind: ProductKind }).strict(),
    configuration: Configuration,
    inputs: z.record(z.string(), z.string()),
    quantity: z.number().int().positive(),
    /** One unit, as quoted at checkout. */
    price: z
      .object({
        hourly: DecimalString,
        stoppedHourly: DecimalString,
        monthlyEstimate: DecimalString,
        setup: DecimalString,
        /** Usage priced per unit (egress per GB), billed hourly as used. */
        meters: z.partialRecord(CounterMetric, MeterPrice).optional(),
      })
      .strict(),
    /** One service per unit, created once the order is paid. */
    subscriptionIds: z.array(z.string()),
  })
  .strict()
  .meta({ id: 'OrderItem' });
export type OrderItemView = z.infer<typeof OrderItemView>;

export const OrderView = z
  .object({
    id: OrderId,
    customerId: z.string(),
    status: OrderStatus,
    paymentMethod: PaymentMethod,
    currency: CurrencyCode,
    items: z.array(OrderItemView),
    /** Setup fees now; the hourly rate and the first month's estimate; VAT on setup + first month. */
    totals: z
      .object({
        setup: DecimalString,
        hourly: DecimalString,
        monthlyEstimate: DecimalString,
        net: DecimalString,
        tax: DecimalString,
        gross: DecimalString,
      })
      .strict(),
    payment: z
      .object({
        /** Credits taken for the setup fees. */
        credits: z.object({ charged: CreditAmount, entryId: z.string().optional() }).strict().optional(),
        /** Stripe Checkout: where the buyer pays. */
        checkoutUrl: z.string().optional(),
        /**
         * Card: what is charged now (setup fees and VAT on them; usage is invoiced monthly), the
         * Stripe session and payment, and a refund when there was one.
         */
        card: z
          .object({
            amount: DecimalString,
            sessionId: z.string().optional(),
            paymentIntentId: z.string().optional(),
            /** The Stripe customer the card is saved on, for the monthly invoices. */
            customerId: z.string().optional(),
            refundId: z.string().optional(),
            /** The last declined attempt; the buyer may try another card until the session expires. */
            lastError: z.string().optional(),
          })
          .strict()
          .optional(),
        /** Invoice: paid on account, due this many days after the invoice is issued. */
        onAccount: z.object({ paymentTermsDays: z.number().int() }).strict().optional(),
        invoiceId: z.string().optional(),
        /** The whole order was refunded (it failed). */
        refunded: z.boolean().optional(),
        /**
         * Money given back, each refund planned, then made: one per service that could not be
         * provisioned while others run (`subscriptionId`, its share of the setup fees), and one for
         * the order when it failed (what was left).
         */
        refunds: z
          .array(
            z
              .object({
                /** The service's id, or `order`. */
                key: z.string(),
                subscriptionId: z.string().optional(),
                credits: CreditAmount.optional(),
                /** Card money, in the order's currency, VAT included. */
                card: DecimalString.optional(),
                refundId: z.string().optional(),
                status: z.enum(['pending', 'done']),
                at: z.iso.datetime(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
    failure: z.object({ code: z.string(), message: z.string() }).strict().optional(),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().optional(),
    completedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof OrderView>;

export const CheckoutRequest = z
  .object({
    paymentMethod: PaymentMethod,
    /**
     * The basket revision the buyer reviewed: a 409 `basket_changed` when the basket has changed
     * since (in another tab, say). Left out, the current basket is ordered.
     */
    basketRevision: z.number().int().nonnegative().optional(),
  })
  .strict()
  .meta({ id: 'CheckoutRequest' });
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;
