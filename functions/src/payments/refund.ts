/**
 * Gives money back for services that could not be provisioned: credits return to the wallet as a
 * reversal, a card payment is refunded through Stripe. Invoice orders have nothing to refund
 * (their invoice is corrected by the invoices context).
 *
 * - A failed order (`refundOrder`) gets back what it paid, less what earlier refunds of its
 *   services gave back.
 * - One failed service of an order whose other services run (`refundFailedService`) gets back its
 *   share: its item's setup fee (one unit) over the order's setup fees, of what the order paid
 *   (VAT included, for a card). When the last service fails, the order is failed and gets the rest.
 *
 * Exactly once, under duplicate messages and concurrent runs: a refund is first planned on the
 * order (`payment.refunds`, conditional on its revision, so two runs cannot both plan from the
 * same state), then made with an idempotency key of its own (`<order>#refund` for the order,
 * `<order>#refund#<service>` for a share), then marked done. A run that stopped half way leaves
 * a pending refund the next run makes.
 */
import { decimal, formatMinorUnits, minorUnitExponent, PricingDecimal } from '#shared/catalog/money.ts';
import { creditsToString, parseCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { creditWallet } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import { publishOrderEvent, toMinorUnits } from '../orders/checkout.ts';
import type { StoredOrder } from '../orders/order-store.ts';
import { cardSetup } from './payment-settings.ts';
import type { WebhookDeps } from './stripe-webhook.ts';

export type RefundDeps = WebhookDeps;

type Refund = NonNullable<StoredOrder['payment']['refunds']>[number];

export type RefundOutcome = {
  order: StoredOrder;
  refunded: { credits?: string; card?: { amount: string; refundId: string } } | undefined;
};

const WHOLE = 'order';
const keyOf = (order: StoredOrder, refund: Pick<Refund, 'subscriptionId'>) =>
  refund.subscriptionId ? `${order.id}#refund#${refund.subscriptionId}` : `${order.id}#refund`;

/** What the order took: credits (hundredths), card money (minor units). */
function paidFor(order: StoredOrder): { credits: number; cardMinor: number } {
  const credits =
    order.paymentMethod === 'credits' && order.payment.credits
      ? parseCredits(order.payment.credits.charged)
      : 0;
  const card = order.payment.card;
  const cardMinor =
    order.paymentMethod === 'card' && card?.paymentIntentId ? toMinorUnits(card.amount, order.currency) : 0;
  return { credits, cardMinor };
}

/** What is still the buyer's to get back: paid, less every refund planned so far. */
function left(order: StoredOrder): { credits: number; cardMinor: number } {
  const paid = paidFor(order);
  for (const refund of order.payment.refunds ?? []) {
    paid.credits -= refund.credits ? parseCredits(refund.credits) : 0;
    paid.cardMinor -= refund.card ? toMinorUnits(refund.card, order.currency) : 0;
  }
  return { credits: Math.max(0, paid.credits), cardMinor: Math.max(0, paid.cardMinor) };
}

const moneyOf = (minor: number, order: StoredOrder) =>
  formatMinorUnits(decimal(minor).div(10 ** minorUnitExponent(order.currency)), order.currency);

/** One service's share of what the order paid: its item's setup fee over all of them. */
function shareOf(order: StoredOrder, subscriptionId: string): { credits: number; cardMinor: number } {
  const item = order.items.find((candidate) => candidate.subscriptionIds.includes(subscriptionId));
  const setups = decimal(order.totals.setup);
  if (!item || setups.isZero()) return { credits: 0, cardMinor: 0 };
  const fraction = decimal(item.price.setup).div(setups);
  const paid = paidFor(order);
  const rest = left(order);
  const part = (amount: number) =>
    fraction.times(amount).toDecimalPlaces(0, PricingDecimal.ROUND_HALF_UP).toNumber();
  return {
    credits: Math.min(part(paid.credits), rest.credits),
    cardMinor: Math.min(part(paid.cardMinor), rest.cardMinor),
  };
}

/**
 * Plans a refund on the order, once: `decide` looks at the order as it is now and says what to
 * add (or nothing). Conditional on the order's revision; a lost race decides again.
 */
async function plan(
  deps: RefundDeps,
  tenant: Pick<Tenant, 'id'>,
  orderId: string,
  decide: (order: StoredOrder) => { refund: Refund; failure?: StoredOrder['failure'] } | undefined,
): Promise<{ order: StoredOrder; planned: boolean; failedNow: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.orders.orders.get(tenant.id, orderId);
    if (!current) throw new NotFoundError('order_not_found', `There is no order ${orderId}`);
    const decision = decide(current);
    if (!decision) return { order: current, planned: false, failedNow: false };
    const failing =
      decision.failure !== undefined && current.status !== 'failed' && current.status !== 'cancelled';
    const next: StoredOrder = {
      ...current,
      ...(failing ? { status: 'failed' as const, failure: current.failure ?? decision.failure } : {}),
      payment: { ...current.payment, refunds: [...(current.payment.refunds ?? []), decision.refund] },
      revision: current.revision + 1,
    };
    if ((await deps.orders.commit([deps.orders.orders.updateItem(tenant.id, next, current.revision)])).ok) {
      return { order: next, planned: true, failedNow: failing };
    }
    if (attempt >= 10) throw new ConflictError('order_busy', 'The order is changing; try again');
    await backoff(attempt);
  }
}

/** Makes the order's pending refunds (idempotent per refund), marking each done. */
async function makePending(
  deps: RefundDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  order: StoredOrder,
  reason: string,
): Promise<StoredOrder> {
  let current = order;
  for (const refund of order.payment.refunds ?? []) {
    if (refund.status === 'done') continue;
    const key = keyOf(order, refund);
    if (refund.credits) {
      await creditWallet(
        deps.orders.ledger,
        { tenantId: tenant.id, customerId: order.customerId, currency: order.currency },
        {
          type: 'reversal',
          amount: parseCredits(refund.credits),
          reason: refund.subscriptionId
            ? `Refund for ${refund.subscriptionId} of order ${order.id}: ${reason}`
            : `Refund of order ${order.id}: ${reason}`,
          actor: { kind: 'system', id: 'payments' },
          idempotencyKey: key,
          at: refund.at,
          reference: { kind: 'entry', id: order.payment.credits?.entryId ?? order.id },
        },
      );
    }
    let refundId: string | undefined;
    const paymentIntentId = order.payment.card?.paymentIntentId;
    if (refund.card && paymentIntentId) {
      const setup = await cardSetup(deps.payments, tenant.id);
      if (!setup) {
        throw new ConflictError(
          'stripe_not_connected',
          'The store’s Stripe account is no longer connected: refund the payment in Stripe',
        );
      }
      const whole = !refund.subscriptionId && refund.card === order.payment.card?.amount;
      refundId = (
        await setup.provider.refund({
          paymentIntentId,
          // All of it when nothing was refunded before (Stripe's default), else exactly the rest.
          ...(whole ? {} : { amountMinor: toMinorUnits(refund.card, order.currency) }),
          reason,
          idempotencyKey: key,
        })
      ).id;
    }
    current = await markDone(deps, tenant, order.id, refund, refundId);
  }
  return current;
}

async function markDone(
  deps: RefundDeps,
  tenant: Pick<Tenant, 'id'>,
  orderId: string,
  refund: Refund,
  refundId: string | undefined,
): Promise<StoredOrder> {
  for (let attempt = 1; ; attempt++) {
    const current = (await deps.orders.orders.get(tenant.id, orderId)) as StoredOrder;
    const refunds = (current.payment.refunds ?? []).map((candidate) =>
      candidate.key === refund.key
        ? { ...candidate, status: 'done' as const, ...(refundId ? { refundId } : {}) }
        : candidate,
    );
    const whole = refund.key === WHOLE;
    const next: StoredOrder = {
      ...current,
      payment: {
        ...current.payment,
        refunds,
        refunded: current.payment.refunded === true || whole,
        ...(whole && refundId && current.payment.card ? { card: { ...current.payment.card, refundId } } : {}),
      },
      revision: current.revision + 1,
    };
    if ((await deps.orders.commit([deps.orders.orders.updateItem(tenant.id, next, current.revision)])).ok)
      return next;
    if (attempt >= 10) throw new ConflictError('order_busy', 'The order is changing; try again');
    await backoff(attempt);
  }
}

const outcomeOf = (order: StoredOrder, key: string): RefundOutcome['refunded'] => {
  const refund = order.payment.refunds?.find((candidate) => candidate.key === key);
  if (!refund || (!refund.credits && !refund.card)) return undefined;
  return {
    ...(refund.credits ? { credits: refund.credits } : {}),
    ...(refund.card ? { card: { amount: refund.card, refundId: refund.refundId ?? '' } } : {}),
  };
};

/**
 * Fails the order (unless it is failed or cancelled already) and refunds what is left of what it
 * paid.
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
  const { order: planned, failedNow } = await plan(deps, tenant, orderId, (current) => {
    // Refunded already (`refunded` alone: an order refunded before refunds were listed).
    if (current.payment.refunded || current.payment.refunds?.some((refund) => refund.key === WHOLE)) {
      return undefined;
    }
    const rest = left(current);
    return {
      refund: {
        key: WHOLE,
        ...(rest.credits > 0 ? { credits: creditsToString(rest.credits) } : {}),
        ...(rest.cardMinor > 0 ? { card: moneyOf(rest.cardMinor, current) } : {}),
        status: 'pending',
        at,
      },
      failure,
    };
  });
  const done = await makePending(deps, tenant, planned, failure.message);
  const refunded = outcomeOf(done, WHOLE);
  if (failedNow) {
    // The buyer is told (an email, through the customer-notices queue).
    await publishOrderEvent(deps.orders, tenant.id, done, 'order.failed', at, {
      failure: done.failure,
      ...(refunded
        ? {
            refunded: {
              ...(refunded.credits ? { credits: refunded.credits } : {}),
              ...(refunded.card ? { card: `${refunded.card.amount} ${done.currency}` } : {}),
            },
          }
        : {}),
    });
  }
  return { order: done, refunded };
}

/**
 * A service its platform could not provision (subscription.failed): the last of the order's
 * services to fail fails the order, which gets back what is left; one that fails while others
 * run (or are still being set up) gets back its share.
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
  const mine = services.find((service) => service?.id === failed.subscriptionId);
  if (mine?.state !== 'failed') return undefined;
  if (services.every((service) => service?.state === 'failed')) {
    return refundOrder(deps, tenant, order.id, { code: 'provisioning_failed', message: failed.reason });
  }
  const at = (await deps.orders.time.now(tenant)).toISOString();
  const { order: planned } = await plan(deps, tenant, order.id, (current) => {
    if (current.status === 'failed' || current.status === 'cancelled') return undefined;
    if (current.payment.refunds?.some((refund) => refund.key === failed.subscriptionId)) return undefined;
    const share = shareOf(current, failed.subscriptionId);
    if (share.credits === 0 && share.cardMinor === 0) return undefined;
    return {
      refund: {
        key: failed.subscriptionId,
        subscriptionId: failed.subscriptionId,
        ...(share.credits > 0 ? { credits: creditsToString(share.credits) } : {}),
        ...(share.cardMinor > 0 ? { card: moneyOf(share.cardMinor, current) } : {}),
        status: 'pending',
        at,
      },
    };
  });
  const done = await makePending(deps, tenant, planned, failed.reason);
  return { order: done, refunded: outcomeOf(done, failed.subscriptionId) };
}
