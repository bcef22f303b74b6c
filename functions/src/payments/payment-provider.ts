/**
 * The card payment port: what Nimbus asks of a payment service provider. One adapter today,
 * Stripe (adapters/stripe-payment-provider.ts); tests run it against a fake Stripe HTTP server.
 */
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { Payable } from '#shared/payments/payments.ts';

export type CheckoutLine = { name: string; unitAmountMinor: number; quantity: number };

export type CheckoutSessionInput = {
  tenantId: string;
  /** What is paid for; goes into the session's and the payment's metadata. */
  payable: Payable;
  currency: CurrencyCode;
  /** Charged now; their sum is `amountMinor`. Empty when nothing is charged now. */
  lines: CheckoutLine[];
  amountMinor: number;
  /** Stripe Connect: the platform's share, when the store has a fee. */
  applicationFeeMinor?: number;
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string;
  /** The same key gives the same session: a retried checkout cannot open a second one. */
  idempotencyKey: string;
};

export type CheckoutSession = {
  id: string;
  url?: string;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  amountTotalMinor: number;
  currency?: string;
  paymentIntentId?: string;
  customerId?: string;
  metadata: Record<string, string>;
};

export type RefundInput = {
  paymentIntentId: string;
  /** Default: all of it. */
  amountMinor?: number;
  reason: string;
  idempotencyKey: string;
};

/** A payment from a saved card without the buyer present (auto top-up, a usage invoice). */
export type OffSessionChargeInput = {
  tenantId: string;
  payable: Payable;
  currency: CurrencyCode;
  amountMinor: number;
  stripeCustomerId: string;
  paymentMethodId: string;
  description: string;
  applicationFeeMinor?: number;
  /** The same key charges once. */
  idempotencyKey: string;
};

export type OffSessionCharge =
  | { status: 'succeeded'; paymentIntentId: string }
  /** A delayed method: the payment_intent.succeeded webhook completes it. */
  | { status: 'processing'; paymentIntentId: string }
  /** Declined, or the bank wants the buyer present (3-D Secure): the buyer must act. */
  | { status: 'failed'; paymentIntentId?: string; message: string };

export interface PaymentProvider {
  chargeSavedCard(input: OffSessionChargeInput): Promise<OffSessionCharge>;
  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession>;
  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession>;
  /** Closes an open session (the order it was for was not written after all). */
  expireCheckoutSession(sessionId: string): Promise<void>;
  refund(input: RefundInput): Promise<{ id: string; status: string }>;
}

/** The part of a provider's event a use case reads (Stripe's event, narrowed). */
export type PaymentEvent = {
  id: string;
  type: string;
  /** The session or payment intent the event is about. */
  object: {
    object: string;
    id: string;
    metadata?: Record<string, string> | null;
    amount_total?: number | null;
    amount_received?: number | null;
    currency?: string | null;
    payment_status?: string | null;
    payment_intent?: string | { id: string } | null;
    /** A payment intent's card: saved on the customer when the Checkout set it up for later. */
    payment_method?: string | { id: string } | null;
    customer?: string | { id: string } | null;
    last_payment_error?: { message?: string } | null;
  };
};

/** Checks a webhook's signature against the raw body; throws when it does not match. */
export type WebhookVerifier = (
  rawBody: string | Buffer,
  signature: string,
  secret: string,
) => Promise<PaymentEvent>;
