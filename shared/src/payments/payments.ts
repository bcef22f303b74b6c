/**
 * How a store takes money besides credits: a card through the merchant's own Stripe account, and
 * invoices for the customers the merchant trusts with payment terms. Keys go in, never come out.
 */
import * as z from 'zod';
import { DecimalString } from '../catalog/money.ts';

/** A percentage with up to two decimals, 0–100: `'2.5'` is 2.5 %. */
const Percent = DecimalString.refine(
  (value) => Number(value) >= 0 && Number(value) <= 100 && !/\.\d{3,}$/.test(value),
  'must be a percentage from 0 to 100 with at most two decimals',
);

export const StripeConnection = z
  .object({
    /** A secret (`sk_…`) or restricted (`rk_…`) key. Kept encrypted; only its last 4 are shown. */
    secretKey: z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$/,
        'must be a Stripe secret key (sk_test_… / sk_live_… or rk_…)',
      )
      .optional(),
    /** The signing secret of the webhook endpoint (`whsec_…`). Kept encrypted. */
    webhookSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{8,250}$/, 'must be a webhook signing secret (whsec_…)')
      .optional(),
    /**
     * Stripe Connect: the merchant's connected account (`acct_…`) when the platform's key acts on
     * its behalf; sessions are then created on that account.
     */
    accountId: z
      .string()
      .regex(/^acct_[A-Za-z0-9]{6,64}$/, 'must be a Stripe account id (acct_…)')
      .optional(),
    /** Stripe Connect: the platform's fee on each card payment, taken as an application fee. */
    platformFeePercent: Percent.optional(),
  })
  .strict()
  .meta({ id: 'StripeConnection' });
export type StripeConnection = z.infer<typeof StripeConnection>;

export const UpdatePaymentSettingsRequest = z
  .object({
    /**
     * Connect or change the Stripe account (a key left out keeps the stored one; the first
     * connection needs both keys); `null` disconnects it and turns card payment off.
     */
    stripe: StripeConnection.nullable(),
  })
  .strict()
  .meta({ id: 'UpdatePaymentSettingsRequest' });
export type UpdatePaymentSettingsRequest = z.infer<typeof UpdatePaymentSettingsRequest>;

export const PaymentSettingsView = z
  .object({
    card: z
      .object({
        /** Buyers can pay by card (a Stripe account is connected). */
        enabled: z.boolean(),
        /** Why card payment is off, when it is. */
        message: z.string().optional(),
      })
      .strict(),
    stripe: z
      .object({
        connected: z.boolean(),
        /** From the key: test keys take test cards only. */
        mode: z.enum(['test', 'live']).optional(),
        secretKeyLast4: z.string().optional(),
        webhookSecretLast4: z.string().optional(),
        accountId: z.string().optional(),
        platformFeePercent: DecimalString.optional(),
        /** Where Stripe must send events (add this endpoint in the Stripe dashboard). */
        webhookPath: z.string(),
        connectedAt: z.iso.datetime().optional(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'PaymentSettings' });
export type PaymentSettingsView = z.infer<typeof PaymentSettingsView>;

export const CustomerBillingProfile = z
  .object({
    customerId: z.string(),
    /** The customer may order and be billed by invoice. */
    invoiceAllowed: z.boolean(),
    /** Days an invoice is due after it is issued. */
    paymentTermsDays: z.number().int().min(0).max(120),
    updatedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'CustomerBillingProfile' });
export type CustomerBillingProfile = z.infer<typeof CustomerBillingProfile>;

export const UpdateBillingProfileRequest = CustomerBillingProfile.pick({
  invoiceAllowed: true,
  paymentTermsDays: true,
})
  .strict()
  .meta({ id: 'UpdateBillingProfileRequest' });
export type UpdateBillingProfileRequest = z.infer<typeof UpdateBillingProfileRequest>;

/** Without a profile a customer pays by credits or card; invoices need the merchant's yes. */
export const DEFAULT_PAYMENT_TERMS_DAYS = 14;

/** What a buyer may pay with at checkout, and why not where not. */
export const PaymentOptionsView = z
  .object({
    credits: z.object({ available: z.literal(true) }).strict(),
    card: z.object({ available: z.boolean(), message: z.string().optional() }).strict(),
    invoice: z
      .object({
        available: z.boolean(),
        paymentTermsDays: z.number().int().optional(),
        message: z.string().optional(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'PaymentOptions' });
export type PaymentOptionsView = z.infer<typeof PaymentOptionsView>;

/**
 * What a card payment pays for: an order, credits bought outright, or an invoice (charged to the
 * saved card). Carried in the
 * Checkout Session's and the PaymentIntent's metadata, so a webhook finds it without a lookup.
 */
export const Payable = z
  .object({ kind: z.enum(['order', 'creditPurchase', 'invoice']), id: z.string().min(1).max(64) })
  .strict();
export type Payable = z.infer<typeof Payable>;

/** The answer to Stripe: what became of the event. */
export const WebhookReceipt = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['paid', 'cancelled', 'duplicate', 'unchanged', 'ignored']),
  })
  .strict()
  .meta({ id: 'WebhookReceipt' });
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;
