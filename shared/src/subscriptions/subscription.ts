/** The service (subscription) a buyer runs: one per ordered unit, billed by the hour. */
import * as z from 'zod';
import { ProductId } from '../catalog/catalog.ts';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';
import { Configuration, ProductKind } from '../catalog/product.ts';
import { CounterMetric } from '../usage/metrics.ts';
import { SUBSCRIPTION_STATES } from './lifecycle.ts';

export const SubscriptionId = z.string().regex(/^sub_[0-9a-z]{26}$/, 'must be a sub_… id');
export const SubscriptionState = z.enum(SUBSCRIPTION_STATES).meta({ id: 'SubscriptionState' });
export const PaymentMethod = z.enum(['credits', 'card', 'invoice']).meta({ id: 'PaymentMethod' });
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const ActorView = z
  .object({ kind: z.enum(['buyer', 'merchant', 'system', 'platform']), id: z.string() })
  .strict()
  .meta({ id: 'Actor' });

/**
 * Metered usage prices, fixed at order, by counter metric: money per unit used and, for services
 * paid with credits, credits per unit.
 *
 * @example { egress_gb: { unitPrice: '0.05', credits: '0.05' } }
 */
export const ServiceMeters = z
  .partialRecord(
    CounterMetric,
    z.object({ unitPrice: DecimalString, credits: DecimalString.optional() }).strict(),
  )
  .meta({ id: 'ServiceMeters' });
export type ServiceMeters = z.infer<typeof ServiceMeters>;

/** What the service costs, fixed at order (a resize re-prices it). Money per hour, unrounded. */
export const ServicePrice = z
  .object({
    currency: CurrencyCode,
    hourly: DecimalString,
    /** Per hour while stopped (storage only, say); '0' when the product sets none. */
    stoppedHourly: DecimalString,
    monthlyEstimate: DecimalString,
    setup: DecimalString,
    /** Credits per hour when the service is paid with credits. */
    credits: z.object({ hourly: DecimalString, stoppedHourly: DecimalString }).strict().optional(),
    /** Usage billed per unit on top of the hourly rate (egress per GB). */
    meters: ServiceMeters.optional(),
  })
  .strict()
  .meta({ id: 'ServicePrice' });
export type ServicePrice = z.infer<typeof ServicePrice>;

export const SubscriptionTransition = z
  .object({
    at: z.iso.datetime(),
    action: z.string(),
    from: SubscriptionState,
    to: SubscriptionState,
    actor: ActorView,
    reason: z.string(),
  })
  .strict()
  .meta({ id: 'SubscriptionTransition' });
export type SubscriptionTransition = z.infer<typeof SubscriptionTransition>;

export const SubscriptionView = z
  .object({
    id: SubscriptionId,
    customerId: z.string(),
    orderId: z.string(),
    product: z.object({ id: ProductId, slug: z.string(), name: z.string(), kind: ProductKind }).strict(),
    configuration: Configuration,
    inputs: z.record(z.string(), z.string()),
    state: SubscriptionState,
    stateSince: z.iso.datetime(),
    paymentMethod: PaymentMethod,
    price: ServicePrice,
    billing: z
      .object({
        /** Usage before this instant is posted (a debit per hour, or an invoice line). */
        billedThrough: z.iso.datetime(),
        /** When the next hour is posted; absent while nothing accrues. */
        nextPostingAt: z.iso.datetime().optional(),
        /** Metered services: usage before this hour boundary is posted (an hour after it ends). */
        meteredThrough: z.iso.datetime().optional(),
      })
      .strict(),
    /** The end of the committed term, when the product has one. */
    committedUntil: z.iso.datetime().optional(),
    /** A cancellation waiting for the end of the term. */
    cancelAt: z.iso.datetime().optional(),
    /** Suspended services are terminated then unless resumed. */
    terminateAt: z.iso.datetime().optional(),
    suspendedReason: z.string().optional(),
    /** While provisioning: the service fails (and is refunded) unless the platform confirms it by then. */
    provisioningDeadline: z.iso.datetime().optional(),
    /** How to reach the service, as its platform reported it; the password is shown to the buyer only. */
    access: z
      .object({
        url: z.string().optional(),
        username: z.string().optional(),
        notes: z.string().optional(),
        hasPassword: z.boolean(),
        password: z.string().optional(),
      })
      .strict()
      .optional(),
    createdAt: z.iso.datetime(),
    revision: z.number().int(),
    /** Newest first; on getSubscription only. */
    history: z.array(SubscriptionTransition).optional(),
  })
  .strict()
  .meta({ id: 'Subscription' });
export type SubscriptionView = z.infer<typeof SubscriptionView>;

export const ResizePreview = z
  .object({
    subscriptionId: SubscriptionId,
    currency: CurrencyCode,
    configuration: Configuration,
    current: z.object({ hourly: DecimalString, monthlyEstimate: DecimalString }).strict(),
    proposed: z.object({ hourly: DecimalString, monthlyEstimate: DecimalString }).strict(),
    /** New minus current rate, per hour. */
    hourlyDifference: DecimalString,
    /** The difference for what is left of the current hour, from `effectiveAt`, unrounded. */
    proratedDifference: DecimalString,
    effectiveAt: z.iso.datetime(),
    /** With credits: the new burn in credits per hour. */
    credits: z.object({ hourly: DecimalString, hourlyDifference: DecimalString }).strict().optional(),
  })
  .strict()
  .meta({ id: 'ResizePreview' });
export type ResizePreview = z.infer<typeof ResizePreview>;
