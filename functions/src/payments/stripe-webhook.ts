/**
 * Stripe's events about card payments, in any order and any number of times: each event is
 * handled once (its id is recorded in the same transaction as the order change it makes), and
 * every change is guarded by the order's state, so a late or repeated event changes nothing.
 *
 *   checkout.session.completed / async_payment_succeeded / payment_intent.succeeded → paid → fulfilled
 *   checkout.session.expired / async_payment_failed                             → cancelled (unless paid)
 *   payment_intent.payment_failed                                               → noted; the buyer may retry
 */
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { type Payable, Payable as PayableSchema, type WebhookReceipt } from '#shared/payments/payments.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { backoff, type TransactItem } from '../data/transactions.ts';
import type { InvoiceDeps } from '../invoices/invoice-service.ts';
import { logger } from '../observability/logger.ts';
import { type CheckoutDeps, fulfilOrder, publishOrderEvent, toMinorUnits } from '../orders/checkout.ts';
import type { StoredOrder } from '../orders/order-store.ts';
import type { StoredCreditPurchase } from './credit-purchase-store.ts';
import { type CreditPurchaseDeps, fulfilCreditPurchase } from './credit-purchases.ts';
import { applyInvoiceEvent } from './invoice-charges.ts';
import type { PaymentEvent } from './payment-provider.ts';
import { cardSetup, type PaymentDeps, webhookSecret } from './payment-settings.ts';
import type { ProcessedEvent } from './payment-store.ts';

export type WebhookDeps = {
  payments: PaymentDeps;
  orders: CheckoutDeps;
  purchases?: CreditPurchaseDeps;
  invoices?: InvoiceDeps;
};

const PAYING = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'payment_intent.succeeded',
]);
const ENDING = new Set(['checkout.session.expired', 'checkout.session.async_payment_failed']);
const DECLINED = 'payment_intent.payment_failed';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

/** Verifies the signature, then applies the event to what it pays for. */
export async function handleStripeWebhook(
  deps: WebhookDeps,
  tenant: Tenant,
  rawBody: string | Buffer | undefined,
  signature: string | undefined,
): Promise<WebhookReceipt> {
  const secret = await webhookSecret(deps.payments, tenant.id);
  if (!secret) {
    throw new NotFoundError('stripe_not_connected', 'This store has no Stripe account connected');
  }
  if (!signature || rawBody === undefined) {
    throw new ValidationError(
      'invalid_signature',
      'A Stripe event needs its raw body and the Stripe-Signature header',
    );
  }
  let event: PaymentEvent;
  try {
    event = await deps.payments.verifyWebhook(rawBody, signature, secret);
  } catch (error) {
    throw new ValidationError(
      'invalid_signature',
      `The Stripe-Signature does not match this store's webhook signing secret: ${(error as Error).message}`,
    );
  }
  return { received: true, outcome: await applyEvent(deps, tenant, event) };
}

/**
 * A paid payment intent names the Stripe customer and the card the Checkout saved for later
 * (setup_future_usage): kept for off-session charges (auto top-up). The latest card wins.
 */
async function rememberCard(
  deps: PaymentDeps,
  tenantId: string,
  customerId: string,
  event: PaymentEvent,
  at: string,
): Promise<void> {
  const object = event.object;
  if (event.type !== 'payment_intent.succeeded' || object.object !== 'payment_intent') return;
  const stripeCustomerId = idOf(object.customer);
  const paymentMethodId = idOf(object.payment_method);
  if (!stripeCustomerId || !paymentMethodId) return;
  await deps.store.saveCard(tenantId, customerId, { stripeCustomerId, paymentMethodId, savedAt: at });
}

function payableOf(tenant: Tenant, event: PaymentEvent): Payable | undefined {
  const metadata = event.object.metadata ?? {};
  // Events of payments Nimbus did not start (or another store's, on a shared account) are not ours.
  if (metadata.tenant !== tenant.id) return undefined;
  const parsed = PayableSchema.safeParse({ kind: metadata.kind, id: metadata.id });
  return parsed.success ? parsed.data : undefined;
}

export async function applyEvent(
  deps: WebhookDeps,
  tenant: Tenant,
  event: PaymentEvent,
): Promise<WebhookReceipt['outcome']> {
  const relevant = PAYING.has(event.type) || ENDING.has(event.type) || event.type === DECLINED;
  const payable = relevant ? payableOf(tenant, event) : undefined;
  if (payable?.kind === 'invoice' && deps.invoices) {
    return applyInvoiceEvent({ payments: deps.payments, invoices: deps.invoices }, tenant, event, payable.id);
  }
  if (payable?.kind === 'creditPurchase' && deps.purchases) {
    return applyPurchaseEvent(deps.purchases, tenant, event, payable);
  }
  if (payable?.kind !== 'order') return 'ignored';
  const orders = deps.orders;
  return applyOnce(
    {
      payments: deps.payments,
      commit: orders.commit,
      now: async () => (await orders.time.now(tenant)).toISOString(),
    },
    tenant.id,
    event,
    payable,
    {
      load: () => orders.orders.get(tenant.id, payable.id),
      decide: (order, at) => decide(order, event, at),
      updateItem: (next, expected) => orders.orders.updateItem(tenant.id, next, expected),
      finish: () => finishFulfilment(deps, tenant, payable.id),
      async applied(decision, at) {
        const next = 'next' in decision ? decision.next : undefined;
        if (next?.status === 'paid') {
          await publishOrderEvent(orders, tenant.id, next, 'order.paid', at, {
            amount: next.payment.card?.amount,
          });
        } else if (next?.status === 'cancelled') {
          await publishOrderEvent(orders, tenant.id, next, 'order.cancelled', at);
        }
        if ('refundLatePayment' in decision && decision.refundLatePayment) {
          await refundLatePayment(deps, tenant, payable.id, decision.refundLatePayment);
        }
      },
    },
  );
}

/**
 * Applies a provider event to what it pays for, once: the event's marker and the payable's new
 * state are one transaction (retried after a lost race, with the decision taken again); a repeat
 * only finishes what the first delivery may have left half done (fulfilment).
 */
async function applyOnce<T extends { customerId: string; revision: number }, D extends EventDecision<T>>(
  deps: { payments: PaymentDeps; commit: CheckoutDeps['commit']; now: () => Promise<string> },
  tenantId: string,
  event: PaymentEvent,
  payable: Payable,
  steps: {
    load(): Promise<T | undefined>;
    decide(current: T, at: string): D;
    updateItem(next: T, expectedRevision: number): TransactItem;
    /** Fulfilment: after a payment (and again on a repeat, to finish a half-done one). */
    finish(): Promise<void>;
    /** What else follows a change that landed (events, a late refund). */
    applied?(decision: D, at: string): Promise<void>;
  },
): Promise<WebhookReceipt['outcome']> {
  if (await deps.payments.store.processedEvent(tenantId, event.id)) {
    await steps.finish();
    return 'duplicate';
  }
  for (let attempt = 1; ; attempt++) {
    const current = await steps.load();
    const at = await deps.now();
    const decision: D | EventDecision<T> = current
      ? steps.decide(current, at)
      : { outcome: 'ignored', note: `no ${payable.kind} ${payable.id}` };
    const record: ProcessedEvent = {
      eventId: event.id,
      type: event.type,
      outcome: decision.outcome,
      payable,
      ...(decision.note ? { note: decision.note } : {}),
      at,
    };
    const items = [deps.payments.store.processedEventItem(tenantId, record)];
    const next = 'next' in decision ? decision.next : undefined;
    if (current && next) items.push(steps.updateItem(next, current.revision));
    const written = await deps.commit(items);
    if (written.ok) {
      if (current) await rememberCard(deps.payments, tenantId, current.customerId, event, at);
      if (decision.note) logger.warn('stripe event not applied', { eventId: event.id, note: decision.note });
      if (current) await steps.applied?.(decision as D, at);
      if (decision.outcome === 'paid' || decision.outcome === 'unchanged') await steps.finish();
      return decision.outcome;
    }
    // The marker exists: the same event is being (or was) handled by another delivery.
    if (written.failedConditions.includes(0)) return 'duplicate';
    if (attempt >= 10) throw new Error(`${payable.kind} ${payable.id} stayed contended`);
    await backoff(attempt);
  }
}

/** What an event does to what it pays for: pure, so a retry after a lost race asks again. */
type EventDecision<T> =
  | { outcome: 'paid' | 'cancelled' | 'unchanged'; next?: T; note?: string }
  | { outcome: 'ignored'; note?: string };

type Decision =
  | {
      outcome: 'paid' | 'cancelled' | 'unchanged';
      next?: StoredOrder;
      note?: string;
      refundLatePayment?: string;
    }
  | { outcome: 'ignored'; note?: string };

/** What the event does to the order: pure, so the retry loop can ask again after a lost race. */
function decide(order: StoredOrder, event: PaymentEvent, at: string): Decision {
  if (order.paymentMethod !== 'card' || !order.payment.card)
    return { outcome: 'ignored', note: 'not a card order' };
  const card = order.payment.card;
  const object = event.object;
  const paymentIntentId = object.object === 'payment_intent' ? object.id : idOf(object.payment_intent);
  const customerId = idOf(object.customer);
  if (PAYING.has(event.type)) {
    if (object.object === 'checkout.session' && object.id !== card.sessionId) {
      return { outcome: 'ignored', note: `session ${object.id} is not the order's` };
    }
    if (object.object === 'checkout.session' && object.payment_status === 'unpaid') {
      // Completed, but a delayed method (a bank debit) is still on its way: async_payment_* follows.
      return { outcome: 'unchanged', note: 'payment still processing' };
    }
    const paid = object.object === 'payment_intent' ? object.amount_received : object.amount_total;
    const expected = toMinorUnits(card.amount, order.currency);
    if ((paid ?? 0) !== expected || (object.currency ?? '').toUpperCase() !== order.currency) {
      return {
        outcome: 'ignored',
        note: `paid ${paid ?? 0} ${object.currency ?? '?'}, the order needs ${expected} ${order.currency}`,
      };
    }
    if (order.status === 'cancelled') {
      // The session expired first, then money came anyway: give it back rather than keep it.
      return paymentIntentId
        ? {
            outcome: 'unchanged',
            note: 'paid after cancellation: refunded',
            refundLatePayment: paymentIntentId,
          }
        : { outcome: 'unchanged', note: 'paid after cancellation' };
    }
    if (order.status !== 'pending_payment') {
      // Already paid by the other event of the pair (or a repeat): only add what it knows.
      return { outcome: 'unchanged' };
    }
    return {
      outcome: 'paid',
      next: {
        ...order,
        status: 'paid',
        paidAt: at,
        payment: {
          ...order.payment,
          card: {
            ...card,
            ...(paymentIntentId ? { paymentIntentId } : {}),
            ...(customerId ? { customerId } : {}),
          },
        },
        revision: order.revision + 1,
      },
    };
  }
  if (ENDING.has(event.type)) {
    if (object.id !== card.sessionId)
      return { outcome: 'ignored', note: `session ${object.id} is not the order's` };
    // A late 'expired' after the payment changes nothing.
    if (order.status !== 'pending_payment') return { outcome: 'unchanged' };
    return {
      outcome: 'cancelled',
      next: {
        ...order,
        status: 'cancelled',
        failure: {
          code: event.type === 'checkout.session.expired' ? 'payment_expired' : 'payment_failed',
          message:
            event.type === 'checkout.session.expired'
              ? 'The card payment was not completed in time; order again to retry'
              : 'The payment failed; order again to retry',
        },
        revision: order.revision + 1,
      },
    };
  }
  // A declined card: the Checkout page lets the buyer try another one, so the order stays open.
  if (order.status !== 'pending_payment') return { outcome: 'unchanged' };
  return {
    outcome: 'unchanged',
    next: {
      ...order,
      payment: {
        ...order.payment,
        card: { ...card, lastError: object.last_payment_error?.message ?? 'The card was declined' },
      },
      revision: order.revision + 1,
    },
  };
}

async function finishFulfilment(deps: WebhookDeps, tenant: Tenant, orderId: string): Promise<void> {
  const order = await deps.orders.orders.get(tenant.id, orderId);
  if (order && (order.status === 'paid' || order.status === 'provisioning')) {
    await fulfilOrder(deps.orders, tenant, orderId);
  }
}

async function refundLatePayment(
  deps: WebhookDeps,
  tenant: Tenant,
  orderId: string,
  paymentIntentId: string,
) {
  const card = await cardSetup(deps.payments, tenant.id);
  if (!card) {
    logger.error('late payment not refunded: Stripe is no longer connected', { orderId, paymentIntentId });
    return;
  }
  await card.provider.refund({
    paymentIntentId,
    reason: `Order ${orderId} was cancelled before the payment arrived`,
    idempotencyKey: `${orderId}#late-refund`,
  });
}

/**
 * A credit purchase's events: paid → credits and invoice (fulfilCreditPurchase); an expired
 * session → cancelled while unpaid. Money that comes after the session expired still buys the
 * credits (nothing was reserved for the purchase, so there is nothing to undo).
 */
async function applyPurchaseEvent(
  deps: CreditPurchaseDeps,
  tenant: Tenant,
  event: PaymentEvent,
  payable: Payable,
): Promise<WebhookReceipt['outcome']> {
  return applyOnce(
    {
      payments: deps.payments,
      commit: deps.commit,
      now: async () => (await deps.time.now(tenant)).toISOString(),
    },
    tenant.id,
    event,
    payable,
    {
      load: () => deps.purchases.get(tenant.id, payable.id),
      decide: (purchase, at) => decidePurchase(purchase, event, at),
      updateItem: (next, expected) => deps.purchases.updateItem(tenant.id, next, expected),
      finish: async () => void (await fulfilCreditPurchase(deps, tenant, payable.id)),
    },
  );
}

function decidePurchase(
  purchase: StoredCreditPurchase,
  event: PaymentEvent,
  at: string,
): EventDecision<StoredCreditPurchase> {
  if (purchase.paymentMethod !== 'card') return { outcome: 'ignored', note: 'not a card purchase' };
  const object = event.object;
  if (object.object === 'checkout.session' && object.id !== purchase.sessionId) {
    return { outcome: 'ignored', note: `session ${object.id} is not the purchase's` };
  }
  if (PAYING.has(event.type)) {
    if (object.object === 'checkout.session' && object.payment_status === 'unpaid') {
      return { outcome: 'unchanged', note: 'payment still processing' };
    }
    const paid = object.object === 'payment_intent' ? object.amount_received : object.amount_total;
    const expected = toMinorUnits(purchase.gross, purchase.currency);
    if ((paid ?? 0) !== expected || (object.currency ?? '').toUpperCase() !== purchase.currency) {
      return {
        outcome: 'ignored',
        note: `paid ${paid ?? 0} ${object.currency ?? '?'}, the purchase needs ${expected} ${purchase.currency}`,
      };
    }
    if (purchase.status === 'paid') return { outcome: 'unchanged' };
    const paymentIntentId = object.object === 'payment_intent' ? object.id : idOf(object.payment_intent);
    return {
      outcome: 'paid',
      next: {
        ...purchase,
        status: 'paid',
        paidAt: at,
        ...(paymentIntentId ? { paymentIntentId } : {}),
        revision: purchase.revision + 1,
      },
    };
  }
  if (ENDING.has(event.type) && purchase.status === 'pending_payment') {
    return {
      outcome: 'cancelled',
      next: { ...purchase, status: 'cancelled', revision: purchase.revision + 1 },
    };
  }
  return { outcome: 'unchanged' };
}
