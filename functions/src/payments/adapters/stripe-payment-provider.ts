/**
 * The payment port on Stripe: Checkout Sessions (mode `payment`, or `setup` when nothing is due
 * now), refunds, webhook signatures. With Stripe Connect the calls act on the connected account
 * (`Stripe-Account`) and the platform's fee is the payment's application fee.
 */
import Stripe from 'stripe';
import { UnavailableError } from '#shared/errors.ts';
import type {
  CheckoutSession,
  CheckoutSessionInput,
  OffSessionCharge,
  OffSessionChargeInput,
  PaymentEvent,
  PaymentProvider,
  RefundInput,
  WebhookVerifier,
} from '../payment-provider.ts';

/** Where the Stripe API is: api.stripe.com, or (tests, local demos) `STRIPE_API_BASE`. */
export type StripeEndpoint = { host: string; port: number; protocol: 'http' | 'https' };

export function stripeEndpointFromEnv(): StripeEndpoint | undefined {
  const base = process.env.STRIPE_API_BASE;
  if (!base) return undefined;
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

function toSession(session: Stripe.Checkout.Session): CheckoutSession {
  const paymentIntentId = idOf(session.payment_intent);
  const customerId = idOf(session.customer);
  return {
    id: session.id,
    ...(session.url ? { url: session.url } : {}),
    status: (session.status ?? 'open') as CheckoutSession['status'],
    paymentStatus: session.payment_status as CheckoutSession['paymentStatus'],
    amountTotalMinor: session.amount_total ?? 0,
    ...(session.currency ? { currency: session.currency } : {}),
    ...(paymentIntentId ? { paymentIntentId } : {}),
    ...(customerId ? { customerId } : {}),
    metadata: (session.metadata ?? {}) as Record<string, string>,
  };
}

/** Stripe's own errors become a 503 that says Stripe failed; the details stay in the log. */
async function calling<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new UnavailableError('payment_provider_failed', `Stripe could not ${what}: ${error.message}`, {
        type: error.type,
        ...(error.code ? { code: error.code } : {}),
      });
    }
    throw error;
  }
}

export class StripePaymentProvider implements PaymentProvider {
  readonly #stripe: Stripe;
  readonly #account: { stripeAccount: string } | Record<string, never>;

  constructor(
    secretKey: string,
    options: { accountId?: string | undefined; endpoint?: StripeEndpoint | undefined } = {},
  ) {
    this.#stripe = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 8_000,
      ...(options.endpoint ?? stripeEndpointFromEnv() ?? {}),
    });
    this.#account = options.accountId ? { stripeAccount: options.accountId } : {};
  }

  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    const metadata = { tenant: input.tenantId, kind: input.payable.kind, id: input.payable.id };
    const currency = input.currency.toLowerCase();
    const common = {
      client_reference_id: input.payable.id,
      metadata,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
    };
    const params: Stripe.Checkout.SessionCreateParams =
      input.amountMinor > 0
        ? {
            ...common,
            mode: 'payment',
            // A Stripe customer with the card saved: later usage is invoiced and can be charged.
            customer_creation: 'always',
            line_items: input.lines.map((line) => ({
              quantity: line.quantity,
              price_data: { currency, unit_amount: line.unitAmountMinor, product_data: { name: line.name } },
            })),
            payment_intent_data: {
              metadata,
              setup_future_usage: 'off_session',
              ...(input.applicationFeeMinor ? { application_fee_amount: input.applicationFeeMinor } : {}),
            },
          }
        : // Nothing due now: the session only saves the card for the monthly invoice of usage.
          { ...common, mode: 'setup', currency, setup_intent_data: { metadata } };
    return calling('open a checkout session', async () =>
      toSession(
        await this.#stripe.checkout.sessions.create(params, {
          idempotencyKey: input.idempotencyKey,
          ...this.#account,
        }),
      ),
    );
  }

  async chargeSavedCard(input: OffSessionChargeInput): Promise<OffSessionCharge> {
    const metadata = { tenant: input.tenantId, kind: input.payable.kind, id: input.payable.id };
    try {
      const intent = await this.#stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          customer: input.stripeCustomerId,
          payment_method: input.paymentMethodId,
          off_session: true,
          confirm: true,
          description: input.description,
          metadata,
          ...(input.applicationFeeMinor ? { application_fee_amount: input.applicationFeeMinor } : {}),
        },
        { idempotencyKey: input.idempotencyKey, ...this.#account },
      );
      if (intent.status === 'succeeded') return { status: 'succeeded', paymentIntentId: intent.id };
      if (intent.status === 'processing') return { status: 'processing', paymentIntentId: intent.id };
      return { status: 'failed', paymentIntentId: intent.id, message: `the payment is ${intent.status}` };
    } catch (error) {
      // A decline or a bank that wants the buyer present is an answer, not an outage.
      if (error instanceof Stripe.errors.StripeCardError) {
        const intentId = (error.raw as { payment_intent?: { id?: string } }).payment_intent?.id;
        return {
          status: 'failed',
          ...(intentId ? { paymentIntentId: intentId } : {}),
          message: error.message,
        };
      }
      return calling('charge the saved card', () => Promise.reject(error));
    }
  }

  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    return calling('read the checkout session', async () =>
      toSession(await this.#stripe.checkout.sessions.retrieve(sessionId, {}, this.#account)),
    );
  }

  async expireCheckoutSession(sessionId: string): Promise<void> {
    await calling('close the checkout session', () =>
      this.#stripe.checkout.sessions.expire(sessionId, {}, this.#account),
    );
  }

  refund(input: RefundInput): Promise<{ id: string; status: string }> {
    return calling('refund the payment', async () => {
      const refund = await this.#stripe.refunds.create(
        {
          payment_intent: input.paymentIntentId,
          ...(input.amountMinor !== undefined ? { amount: input.amountMinor } : {}),
          metadata: { reason: input.reason.slice(0, 500) },
          // A platform fee goes back with the payment it was taken from.
          ...('stripeAccount' in this.#account ? { refund_application_fee: true } : {}),
        },
        { idempotencyKey: input.idempotencyKey, ...this.#account },
      );
      return { id: refund.id, status: refund.status ?? 'pending' };
    });
  }
}

/** Stripe's signature check (HMAC-SHA256 over timestamp and raw body, 5 minutes' tolerance). */
export const verifyStripeWebhook: WebhookVerifier = async (rawBody, signature, secret) => {
  const event = await Stripe.webhooks.constructEventAsync(rawBody, signature, secret);
  return { id: event.id, type: event.type, object: event.data.object as unknown as PaymentEvent['object'] };
};
