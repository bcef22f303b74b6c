/**
 * Checkout: the basket, checked once more, becomes an order with a frozen price; the order is
 * paid; each ordered unit becomes a service. With credits, the setup fees are debited in the
 * order's own transaction (with the basket's deletion), after checking that the wallet also
 * covers the store's minimum runway at the ordered rate. By card, the order waits for payment
 * (pending_payment) at a Stripe Checkout page; the payments context's webhook pays it. By
 * invoice, the order is paid on account at once (customers the merchant allows).
 */
import type { BasketView } from '#shared/basket/basket.ts';
import {
  type CurrencyCode,
  decimal,
  formatMinorUnits,
  minorUnitExponent,
  roundToMinorUnit,
  sumOf,
  toDecimalString,
} from '#shared/catalog/money.ts';
import type { MeterPrice, PriceList } from '#shared/catalog/product.ts';
import { creditsForMoney, creditsToString, hourlyCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { CheckoutRequest, OrderItemView, OrderView } from '#shared/orders/order.ts';
import type { CustomerBillingProfile } from '#shared/payments/payments.ts';
import type { ServiceMeters } from '#shared/subscriptions/subscription.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { CounterMetric } from '#shared/usage/metrics.ts';
import type { BasketOwner, BasketRepository } from '../basket/basket-repository.ts';
import { buyerBasketOwner } from '../basket/basket-service.ts';
import { changeWallet, type LedgerDeps, recordDebit } from '../credits/ledger-service.ts';
import { backoff } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import type { CheckoutLine } from '../payments/payment-provider.ts';
import {
  applicationFee,
  CARD_OFF_MESSAGE,
  type CardSetup,
  INVOICE_OFF_MESSAGE,
} from '../payments/payment-settings.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { createService, type SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import type { OrderStore, StoredOrder } from './order-store.ts';

export type CheckoutDeps = SubscriptionDeps & {
  orders: OrderStore;
  baskets: Pick<BasketRepository, 'deleteItem'>;
  ledger: LedgerDeps;
  /** The caller's basket, re-quoted and checked as validateBasket does. */
  checkedBasket(tenant: Tenant, principal: Principal): Promise<BasketView>;
  /** Card and invoice payment (the payments context); without it only credits are offered. */
  payments?: CheckoutPayments;
};

export type CheckoutPayments = {
  /** The store's card provider; undefined when no Stripe account is connected (card is off). */
  card(tenantId: string): Promise<CardSetup | undefined>;
  billingProfile(tenantId: string, customerId: string): Promise<CustomerBillingProfile>;
  /** The web app's address: Stripe sends the buyer back there. */
  publicUrl(): string;
  /**
   * THE call point for invoicing an order paid on account (paymentMethod `invoice`): called by
   * fulfilOrder before the services are created, again when fulfilment runs again, so it must be
   * idempotent per order (key it on the order id). The invoice id it returns is noted on the
   * order. Wired to the invoices context (functions/src/invoices/order-invoices.ts).
   */
  billOrder?(
    tenant: Pick<Tenant, 'id' | 'sandbox'>,
    order: StoredOrder,
  ): Promise<{ invoiceId: string } | undefined>;
};

/** An amount already rounded to the currency, in minor units (cents): what Stripe charges. */
export function toMinorUnits(amount: string, currency: CurrencyCode): number {
  const minor = decimal(amount).times(10 ** minorUnitExponent(currency));
  if (!minor.isInteger()) throw new RangeError(`${amount} ${currency} is not rounded to the currency`);
  return minor.toNumber();
}

export const ORDERS_EVENT_SOURCE = 'nimbus.orders';

function ownerOf(principal: Principal): {
  owner: BasketOwner;
  customerId: string;
  placedBy: StoredOrder['placedBy'];
} {
  const owner = buyerBasketOwner(principal);
  if (!owner) throw new ForbiddenError('no_basket', 'Only buyers order; act as a customer to order for one');
  const placedBy =
    owner.kind === 'user'
      ? { kind: 'user' as const, id: owner.userId }
      : { kind: 'apiKey' as const, id: owner.keyId };
  return { owner, customerId: owner.customerId, placedBy };
}

const orderView = ({ revision: _revision, placedBy: _placedBy, ...view }: StoredOrder): OrderView => view;

export async function checkout(
  deps: CheckoutDeps,
  tenant: Tenant,
  principal: Principal,
  request: CheckoutRequest,
): Promise<OrderView> {
  const { owner, customerId, placedBy } = ownerOf(principal);
  const method = request.paymentMethod;
  // The method is checked first: a buyer who cannot pay this way learns it before anything else.
  const card = method === 'card' ? await deps.payments?.card(tenant.id) : undefined;
  if (method === 'card' && !card) {
    throw new ConflictError('payment_method_unavailable', CARD_OFF_MESSAGE, { paymentMethod: method });
  }
  const profile =
    method === 'invoice' ? await deps.payments?.billingProfile(tenant.id, customerId) : undefined;
  if (method === 'invoice' && !profile?.invoiceAllowed) {
    throw new ConflictError('payment_method_unavailable', INVOICE_OFF_MESSAGE, { paymentMethod: method });
  }
  const basket = await deps.checkedBasket(tenant, principal);
  if (request.basketRevision !== undefined && request.basketRevision !== basket.revision) {
    throw new ConflictError(
      'basket_changed',
      'The basket has changed since you reviewed it; review it again',
      {
        revision: basket.revision,
      },
    );
  }
  if (basket.items.length === 0) throw new ConflictError('basket_empty', 'The basket is empty');
  if (!basket.ready) {
    throw new ConflictError('basket_not_ready', 'The basket has issues to resolve before checkout', {
      issues: basket.issues.filter((issue) => issue.severity === 'error'),
      priceChanges: basket.items.filter((item) => item.priceChange).map((item) => item.id),
    });
  }

  const now = (await deps.time.now(tenant)).toISOString();
  const view = await deps.cache.view(tenant);
  const currency = basket.currency;
  const items: OrderItemView[] = basket.items.map((item) => {
    const quoted = item.quote;
    if (!quoted)
      throw new ConflictError('basket_not_ready', `${item.product.name} cannot be priced right now`);
    const product = view.product(item.product.id);
    const { id, slug, name, kind } = item.product;
    return {
      product: { id, slug, name, kind },
      configuration: quoted.configuration,
      inputs: item.inputs,
      quantity: item.quantity,
      price: {
        hourly: quoted.hourly,
        stoppedHourly: product?.prices[currency]?.stoppedRate ?? '0',
        monthlyEstimate: quoted.monthlyEstimate,
        setup: quoted.setup,
        ...meteredPrices(product?.prices[currency]?.meters),
      },
      subscriptionIds: Array.from({ length: item.quantity }, () => newId('sub', deps.clock)),
    };
  });

  const times = (amount: string, quantity: number) => decimal(amount).times(quantity);
  const setup = roundToMinorUnit(
    sumOf(items.map((item) => times(item.price.setup, item.quantity))),
    currency,
  );
  const hourly = sumOf(items.map((item) => times(item.price.hourly, item.quantity)));
  const base = {
    id: newId('ord', deps.clock),
    customerId,
    currency,
    items,
    totals: {
      setup: formatMinorUnits(setup, currency),
      hourly: toDecimalString(hourly),
      monthlyEstimate: basket.totals.monthly,
      net: basket.totals.net,
      tax: basket.totals.tax,
      gross: basket.totals.gross,
    },
    createdAt: now,
    revision: 1,
    placedBy,
  };
  const writeOrder = async (order: StoredOrder) => {
    const written = await deps.commit([
      deps.orders.createItem(tenant.id, order),
      deps.baskets.deleteItem(tenant.id, owner, basket.revision),
    ]);
    if (!written.ok)
      throw new ConflictError('basket_changed', 'The basket changed while ordering; review it again');
  };

  if (method === 'card') {
    // Charged now: the setup fees and their VAT (at each item's rate, rounded once). Hourly usage
    // is invoiced monthly and charged to the card saved here.
    const setupTax = roundToMinorUnit(
      sumOf(
        basket.items.map((item, index) =>
          times((items[index] as OrderItemView).price.setup, item.quantity).times(item.quote?.tax.rate ?? 0),
        ),
      ),
      currency,
    );
    const amount = formatMinorUnits(setup.plus(setupTax), currency);
    const lines: CheckoutLine[] = items
      .filter((item) => decimal(item.price.setup).greaterThan(0))
      .map((item) => ({
        name: `${item.product.name}: setup fee`,
        unitAmountMinor: toMinorUnits(item.price.setup, currency),
        quantity: item.quantity,
      }));
    if (setupTax.greaterThan(0)) {
      lines.push({
        name: 'VAT on setup fees',
        unitAmountMinor: toMinorUnits(formatMinorUnits(setupTax, currency), currency),
        quantity: 1,
      });
    }
    const amountMinor = toMinorUnits(amount, currency);
    const { provider } = card as CardSetup;
    const site = deps.payments?.publicUrl() ?? '';
    const orderPage = `${site}/stores/${tenant.slug}/orders/${base.id}`;
    // The session first: when Stripe fails, no order was written and the basket is still there.
    const session = await provider.createCheckoutSession({
      tenantId: tenant.id,
      payable: { kind: 'order', id: base.id },
      currency,
      lines,
      amountMinor,
      ...applicationFee(card as CardSetup, amountMinor),
      successUrl: `${orderPage}?payment=success`,
      cancelUrl: `${orderPage}?payment=cancelled`,
      ...(principal.kind === 'buyer' ? { customerEmail: principal.email } : {}),
      idempotencyKey: base.id,
    });
    const order: StoredOrder = {
      ...base,
      status: 'pending_payment',
      paymentMethod: 'card',
      payment: {
        ...(session.url ? { checkoutUrl: session.url } : {}),
        card: { amount, sessionId: session.id },
      },
    };
    try {
      await writeOrder(order);
    } catch (error) {
      // Compensation: the session of an order that does not exist is closed, so nobody pays it.
      await provider
        .expireCheckoutSession(session.id)
        .catch((failure: unknown) => logger.warn('checkout session not expired', failure as Error));
      throw error;
    }
    await publishOrderEvent(deps, tenant.id, order, 'order.placed', now, { amount });
    return orderView(order);
  }

  if (method === 'invoice') {
    const order: StoredOrder = {
      ...base,
      status: 'paid',
      paymentMethod: 'invoice',
      payment: { onAccount: { paymentTermsDays: (profile as CustomerBillingProfile).paymentTermsDays } },
      paidAt: now,
    };
    await writeOrder(order);
    await publishOrderEvent(deps, tenant.id, order, 'order.paid', now, { setup: order.totals.setup });
    return orderView(await fulfilOrder(deps, tenant, order.id));
  }

  const settings = await deps.ledger.billingSettings(tenant.id);
  const creditPrice = settings.creditPrices[currency];
  if (!creditPrice) {
    throw new ConflictError('credits_not_offered', `This store does not sell credits in ${currency}`);
  }
  const setupUnits = creditsForMoney(setup, creditPrice);
  const runwayUnits = creditsForMoney(hourly.times(settings.minimumRunwayHours), creditPrice);

  const order: StoredOrder = {
    ...base,
    status: 'paid',
    paymentMethod: 'credits',
    payment: {
      credits: {
        charged: creditsToString(setupUnits),
        ...(setupUnits > 0 ? { entryId: newId('led', deps.clock) } : {}),
      },
    },
    paidAt: now,
  };
  const orderItems = () => [
    deps.orders.createItem(tenant.id, order),
    deps.baskets.deleteItem(tenant.id, owner, basket.revision),
  ];
  const ref = { tenantId: tenant.id, customerId, currency };
  const result = await changeWallet(
    deps.ledger,
    ref,
    (change) => {
      const balance = change.wallet.funds.balance;
      if (balance < setupUnits + runwayUnits) {
        throw new ConflictError(
          'insufficient_credits',
          `The order needs ${creditsToString(setupUnits + runwayUnits)} credits (setup fees ${creditsToString(setupUnits)}, ` +
            `${settings.minimumRunwayHours} h of running ${creditsToString(runwayUnits)}); the wallet holds ${creditsToString(balance)}`,
          {
            required: creditsToString(setupUnits + runwayUnits),
            balance: creditsToString(balance),
            missing: creditsToString(setupUnits + runwayUnits - balance),
          },
        );
      }
      if (setupUnits === 0) {
        // Nothing to debit, but the wallet is written all the same (its version goes up): the
        // order then holds only if the balance it was checked against is still the balance.
        change.wallet = { ...change.wallet };
        return;
      }
      recordDebit(change, {
        id: order.payment.credits?.entryId,
        type: 'debit',
        amount: setupUnits,
        at: now,
        reason: `Setup fees, order ${order.id}`,
        actor: { kind: 'buyer', id: placedBy.id },
        idempotencyKey: `${order.id}#setup`,
        reference: { kind: 'order', id: order.id },
      });
    },
    // Created empty when the customer has none yet: the check above then says what is missing.
    { at: now, also: orderItems, create: true },
  );
  if (result.kind === 'alsoFailed') {
    throw new ConflictError('basket_changed', 'The basket changed while ordering; review it again');
  }
  await publishOrderEvent(deps, tenant.id, order, 'order.paid', now, { setup: order.totals.setup });
  return orderView(await fulfilOrder(deps, tenant, order.id));
}

/** order.placed / order.paid / order.cancelled on the bus; a lost event never undoes the order. */
export async function publishOrderEvent(
  deps: Pick<CheckoutDeps, 'events' | 'clock'>,
  tenantId: string,
  order: StoredOrder,
  type: 'order.placed' | 'order.paid' | 'order.cancelled' | 'order.failed',
  time: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await deps.events
    .publish(ORDERS_EVENT_SOURCE, [
      {
        id: newId('evt', deps.clock),
        type,
        time,
        tenant: tenantId,
        subject: order.id,
        schemaVersion: 1,
        data: {
          customerId: order.customerId,
          paymentMethod: order.paymentMethod,
          currency: order.currency,
          ...data,
        },
      },
    ])
    .catch((error: unknown) => logger.error('order events not published', error as Error));
}

/**
 * Creates the services of a paid order, once each (their ids were fixed with the order), and
 * completes the order. Services activate at once: provisioning connectors come with the
 * provisioning context. Safe to run again after a failure half way.
 */
export async function fulfilOrder(
  deps: CheckoutDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  orderId: string,
): Promise<StoredOrder> {
  const order = await deps.orders.get(tenant.id, orderId);
  if (!order) throw new NotFoundError('order_not_found', `There is no order ${orderId}`);
  if (order.status !== 'paid' && order.status !== 'provisioning') return order;
  const at = (await deps.time.now(tenant)).toISOString();
  // Paid by card or on account: the invoice first (idempotent per order), so no service runs
  // unbilled.
  const billed =
    order.paymentMethod !== 'credits' && !order.payment.invoiceId
      ? await deps.payments?.billOrder?.(tenant, order)
      : undefined;
  const settings = await deps.ledger.billingSettings(tenant.id);
  const creditPrice = settings.creditPrices[order.currency] ?? '1';
  for (const item of order.items) {
    for (const subscriptionId of item.subscriptionIds) {
      if (await deps.subscriptions.get(tenant.id, subscriptionId)) continue;
      const price: StoredSubscription['price'] = {
        currency: order.currency,
        ...item.price,
        ...(order.paymentMethod === 'credits'
          ? {
              credits: {
                hourly: hourlyCredits(item.price.hourly, creditPrice),
                stoppedHourly: hourlyCredits(item.price.stoppedHourly, creditPrice),
              },
            }
          : {}),
        ...serviceMeters(item.price.meters, order.paymentMethod === 'credits' ? creditPrice : undefined),
      };
      await createService(
        deps,
        tenant.id,
        {
          id: subscriptionId,
          customerId: order.customerId,
          orderId: order.id,
          product: item.product,
          configuration: item.configuration,
          inputs: item.inputs,
          paymentMethod: order.paymentMethod,
          price,
        },
        at,
      );
    }
  }
  for (let attempt = 1; ; attempt++) {
    const current = (await deps.orders.get(tenant.id, orderId)) as StoredOrder;
    if (current.status === 'completed') return current;
    const completed: StoredOrder = {
      ...current,
      ...(billed ? { payment: { ...current.payment, invoiceId: billed.invoiceId } } : {}),
      status: 'completed',
      completedAt: at,
      revision: current.revision + 1,
    };
    if ((await deps.commit([deps.orders.updateItem(tenant.id, completed, current.revision)])).ok)
      return completed;
    if (attempt >= 10) throw new ConflictError('order_busy', 'The order is changing; try again');
    await backoff(attempt);
  }
}

export async function getOrder(
  deps: CheckoutDeps,
  tenant: Tenant,
  principal: Principal,
  orderId: string,
): Promise<OrderView> {
  const order = await deps.orders.get(tenant.id, orderId);
  const scope = customerOf(principal);
  if (!order || (scope !== undefined && order.customerId !== scope)) {
    throw new NotFoundError('order_not_found', `There is no order ${orderId}`);
  }
  return orderView(order);
}

export async function listOrders(
  deps: CheckoutDeps,
  tenant: Tenant,
  principal: Principal,
  query: {
    limit: number;
    cursor?: string | undefined;
    status?: OrderView['status'] | undefined;
    customerId?: string | undefined;
  },
) {
  const scope = customerOf(principal);
  const page = await deps.orders.list(
    tenant.id,
    { customerId: scope ?? query.customerId, status: query.status },
    query,
  );
  return { ...page, items: page.items.map(orderView) };
}

/** The product's usage prices in the order's currency, when it has any. */
function meteredPrices(meters: PriceList['meters']): { meters?: NonNullable<PriceList['meters']> } {
  return meters && Object.keys(meters).length > 0 ? { meters } : {};
}

/** Usage prices of a service: as ordered, plus credits per unit for services paid with credits. */
function serviceMeters(
  meters: OrderItemView['price']['meters'],
  creditPrice: string | undefined,
): { meters?: ServiceMeters } {
  if (!meters || Object.keys(meters).length === 0) return {};
  const priced: ServiceMeters = {};
  for (const [metric, { unitPrice }] of Object.entries(meters) as Array<[CounterMetric, MeterPrice]>) {
    priced[metric] = creditPrice
      ? { unitPrice, credits: hourlyCredits(unitPrice, creditPrice) }
      : { unitPrice };
  }
  return { meters: priced };
}
