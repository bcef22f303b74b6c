/**
 * Gives a failed order's money back: credits return to the wallet as a reversal of the setup-fee
 * debit, a card payment is refunded through Stripe. Both are keyed on the order, so running it
 * again (a retried message) refunds once. Invoice orders have nothing to refund: their invoice is
 * corrected by the invoices context.
 */
import { creditsToString, parseCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { creditWallet } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import { publishOrderEvent } from '../orders/checkout.ts';
import type { StoredOrder } from '../orders/order-store.ts';
import { cardSetup } from './payment-settings.ts';
import type { WebhookDeps } from './stripe-webhook.ts';

export type RefundDeps = WebhookDeps;

export type RefundOutcome = {
  order: StoredOrder;
  refunded: { credits?: string; card?: { amount: string; refundId: string } } | undefined;
};

/**
 * Fails the order (unless it is failed or cancelled already) and refunds what was paid for it.
 *
 * @example await refundOrder(deps, tenant, 'ord_…', { code: 'provisioning_failed', message: 'The platform refused the service' })
 */
export async function refundOrder(
  deps: RefundDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  orderId: string,
  failure: { code: string; message: string },
): Promise<RefundOutcome> {
  const order = await deps.orders.orders.get(tenant.id, orderId);
  if (!order) throw new NotFoundError('order_not_found', `There is no order ${orderId}`);
  if (order.status === 'pending_payment' || order.status === 'cancelled') {
    throw new ConflictError('order_not_paid', `Order ${orderId} was not paid: there is nothing to refund`);
  }
  const at = (await deps.orders.time.now(tenant)).toISOString();
  let refunded: RefundOutcome['refunded'];
  let refundId: string | undefined;

  const charged = order.payment.credits ? parseCredits(order.payment.credits.charged) : 0;
  if (order.paymentMethod === 'credits' && charged > 0) {
    await creditWallet(
      deps.orders.ledger,
      { tenantId: tenant.id, customerId: order.customerId, currency: order.currency },
      {
        type: 'reversal',
        amount: charged,
        reason: `Refund of order ${order.id}: ${failure.message}`,
        actor: { kind: 'system', id: 'payments' },
        idempotencyKey: `${order.id}#refund`,
        at,
        reference: { kind: 'entry', id: order.payment.credits?.entryId ?? order.id },
      },
    );
    refunded = { credits: creditsToString(charged) };
  }
  const card = order.payment.card;
  if (order.paymentMethod === 'card' && card?.paymentIntentId && !card.refundId) {
    const setup = await cardSetup(deps.payments, tenant.id);
    if (!setup) {
      throw new ConflictError(
        'stripe_not_connected',
        'The store’s Stripe account is no longer connected: refund the payment in Stripe',
      );
    }
    const refund = await setup.provider.refund({
      paymentIntentId: card.paymentIntentId,
      reason: failure.message,
      idempotencyKey: `${order.id}#refund`,
    });
    refundId = refund.id;
    refunded = { card: { amount: card.amount, refundId: refund.id } };
  }

  for (let attempt = 1; ; attempt++) {
    const current = (await deps.orders.orders.get(tenant.id, orderId)) as StoredOrder;
    const next: StoredOrder = {
      ...current,
      status: current.status === 'cancelled' ? current.status : 'failed',
      failure: current.failure ?? failure,
      payment: {
        ...current.payment,
        refunded: refunded !== undefined || current.payment.refunded === true,
        ...(refundId && current.payment.card ? { card: { ...current.payment.card, refundId } } : {}),
      },
      revision: current.revision + 1,
    };
    if ((await deps.orders.commit([deps.orders.orders.updateItem(tenant.id, next, current.revision)])).ok) {
      if (current.status !== 'failed' && next.status === 'failed') {
        // The buyer is told (an email, through the customer-notices queue).
        await publishOrderEvent(deps.orders, tenant.id, next, 'order.failed', at, {
          failure: next.failure,
          ...(refunded
            ? {
                refunded: {
                  ...(refunded.credits ? { credits: refunded.credits } : {}),
                  ...(refunded.card ? { card: `${refunded.card.amount} ${next.currency}` } : {}),
                },
              }
            : {}),
        });
      }
      return { order: next, refunded };
    }
    if (attempt >= 10) throw new ConflictError('order_busy', 'The order is changing; try again');
    await backoff(attempt);
  }
}

/**
 * A service its platform could not provision (subscription.failed): its order is refunded once
 * none of the order's services came up. An order with other services running keeps its payment
 * (a refund of one item's share is not made yet: docs/provisioning.md, Known gaps).
 */
export async function refundFailedService(
  deps: RefundDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  failed: { subscriptionId: string; orderId: string; reason: string },
): Promise<RefundOutcome | undefined> {
  const order = await deps.orders.orders.get(tenant.id, failed.orderId);
  if (
    !order ||
    order.status === 'failed' ||
    order.status === 'cancelled' ||
    order.status === 'pending_payment'
  ) {
    return undefined;
  }
  const serviceIds = order.items.flatMap((item) => item.subscriptionIds);
  const services = await Promise.all(serviceIds.map((id) => deps.orders.subscriptions.get(tenant.id, id)));
  if (!services.every((service) => service?.state === 'failed')) return undefined;
  return refundOrder(deps, tenant, order.id, { code: 'provisioning_failed', message: failed.reason });
}
