/**
 * Buying a credit pack. On account: the credits arrive at once and an open invoice is issued (due
 * after the customer's terms). By card: a Stripe Checkout Session for the pack's gross price; the
 * credits arrive when Stripe reports the payment (stripe-webhook.ts). Either way the credits are
 * three ledger entries keyed on the purchase — the paid credits, the bonus, the cashback — and
 * the invoice is keyed on it too, so fulfilment may run any number of times.
 */
import { localized } from '#shared/catalog/localized.ts';
import { parseCredits } from '#shared/credits/credit-units.ts';
import { priceCreditPack } from '#shared/credits/packs.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { BuyCreditPackRequest, CreditPurchaseView } from '#shared/payments/credit-purchase.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { TenantClock } from '../billing/tenant-clock.ts';
import type { CreditPackStore } from '../credits/credit-pack-store.ts';
import { creditWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { backoff, type TransactItem, type TransactOutcome } from '../data/transactions.ts';
import { type InvoiceDeps, issueInvoice } from '../invoices/invoice-service.ts';
import { logger } from '../observability/logger.ts';
import { toMinorUnits } from '../orders/checkout.ts';
import type { CreditPurchaseStore, StoredCreditPurchase } from './credit-purchase-store.ts';
import {
  applicationFee,
  billingProfile,
  CARD_OFF_FOR_CREDITS_MESSAGE,
  cardSetup,
  INVOICE_OFF_MESSAGE,
  type PaymentDeps,
} from './payment-settings.ts';

export type CreditPurchaseDeps = {
  payments: PaymentDeps;
  purchases: CreditPurchaseStore;
  packs: Pick<CreditPackStore, 'get'>;
  ledger: LedgerDeps;
  invoices: InvoiceDeps;
  time: TenantClock;
  clock: Clock;
  commit(items: TransactItem[]): Promise<TransactOutcome>;
  publicUrl(): string;
};

export const purchaseView = ({
  revision: _revision,
  sessionId: _session,
  paymentIntentId: _intent,
  cashbackExpiresAt: _expires,
  placedBy: _placedBy,
  ...view
}: StoredCreditPurchase): CreditPurchaseView => view;

export function buyerOf(principal: Principal): {
  customerId: string;
  placedBy: StoredCreditPurchase['placedBy'];
} {
  const customerId = customerOf(principal);
  if (customerId === undefined || (principal.kind !== 'buyer' && principal.kind !== 'apiKey')) {
    throw new ForbiddenError(
      'buyers_only',
      'Credits are bought by a customer account; act as the customer to buy for one',
    );
  }
  return {
    customerId,
    placedBy:
      principal.kind === 'buyer'
        ? { kind: 'user', id: principal.userId }
        : { kind: 'apiKey', id: principal.keyId },
  };
}

/**
 * A new purchase of a pack, priced for the customer (the invoice's own VAT rule: an approved
 * account's VAT id counts as valid, so purchase and invoice agree).
 */
export async function newPurchase(
  deps: CreditPurchaseDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox' | 'defaultLanguage'>,
  customerId: string,
  packId: string,
  currency: CreditPurchaseView['currency'],
  paymentMethod: CreditPurchaseView['paymentMethod'],
  placedBy: StoredCreditPurchase['placedBy'],
): Promise<StoredCreditPurchase> {
  const pack = await deps.packs.get(tenant.id, packId);
  if (!pack?.active) throw new NotFoundError('credit_pack_not_found', `There is no credit pack ${packId}`);
  const settings = await deps.ledger.billingSettings(tenant.id);
  if (!settings.creditPrices[currency]) {
    throw new ConflictError('credits_not_offered', `This store does not sell credits in ${currency}`);
  }
  if (pack.prices[currency] === undefined) {
    throw new ConflictError('currency_not_offered', `The pack ${packId} has no price in ${currency}`, {
      currencies: Object.keys(pack.prices),
    });
  }
  const [seller, buyer] = await Promise.all([
    deps.invoices.parties.seller(tenant.id),
    deps.invoices.parties.buyer(tenant.id, customerId),
  ]);
  if (!buyer) throw new NotFoundError('customer_not_found', `There is no customer ${customerId}`);
  const quote = priceCreditPack(pack, currency, {
    sellerCountry: seller.country,
    buyer: { country: buyer.country, ...(buyer.vatId ? { vatId: buyer.vatId, vatIdValid: true } : {}) },
  });
  const now = (await deps.time.now(tenant)).toISOString();
  return {
    id: newId('cpp', deps.clock),
    customerId,
    packId,
    packName: localized(pack.name, tenant.defaultLanguage, 'en'),
    paymentMethod,
    status: 'pending_payment',
    currency,
    credits: quote.credits,
    bonus: quote.bonus,
    cashback: quote.cashback,
    net: quote.net,
    tax: quote.tax.amount,
    gross: quote.gross,
    credited: false,
    createdAt: now,
    revision: 1,
    placedBy,
    ...(placedBy.kind === 'system' ? { automatic: true } : {}),
    ...(pack.cashback?.expiresAfterDays
      ? {
          cashbackExpiresAt: new Date(
            Date.parse(now) + pack.cashback.expiresAfterDays * 86_400_000,
          ).toISOString(),
        }
      : {}),
  };
}

export async function buyCreditPack(
  deps: CreditPurchaseDeps,
  tenant: Tenant,
  principal: Principal,
  packId: string,
  request: BuyCreditPackRequest,
): Promise<CreditPurchaseView> {
  const { customerId, placedBy } = buyerOf(principal);
  const currency = (request.currency ?? tenant.defaultCurrency) as CreditPurchaseView['currency'];
  const base = await newPurchase(deps, tenant, customerId, packId, currency, request.paymentMethod, placedBy);
  const now = base.createdAt;
  const quote = { credits: base.credits, gross: base.gross };

  if (request.paymentMethod === 'invoice') {
    const profile = await billingProfile(deps.payments, tenant.id, customerId);
    if (!profile.invoiceAllowed) {
      throw new ConflictError('payment_method_unavailable', INVOICE_OFF_MESSAGE, {
        paymentMethod: 'invoice',
      });
    }
    const purchase: StoredCreditPurchase = { ...base, status: 'paid', paidAt: now };
    await deps.purchases.create(tenant.id, purchase);
    return purchaseView(await fulfilCreditPurchase(deps, tenant, purchase.id));
  }

  const card = await cardSetup(deps.payments, tenant.id);
  if (!card)
    throw new ConflictError('payment_method_unavailable', CARD_OFF_FOR_CREDITS_MESSAGE, {
      paymentMethod: 'card',
    });
  const amountMinor = toMinorUnits(quote.gross, currency);
  const page = `${deps.publicUrl()}/stores/${tenant.slug}/wallet?purchase=${base.id}`;
  const session = await card.provider.createCheckoutSession({
    tenantId: tenant.id,
    payable: { kind: 'creditPurchase', id: base.id },
    currency,
    lines: [
      { name: `${base.packName} (${quote.credits} credits)`, unitAmountMinor: amountMinor, quantity: 1 },
    ],
    amountMinor,
    ...applicationFee(card, amountMinor),
    successUrl: `${page}&payment=success`,
    cancelUrl: `${page}&payment=cancelled`,
    ...(principal.kind === 'buyer' ? { customerEmail: principal.email } : {}),
    idempotencyKey: base.id,
  });
  const purchase: StoredCreditPurchase = {
    ...base,
    sessionId: session.id,
    ...(session.url ? { checkoutUrl: session.url } : {}),
  };
  try {
    await deps.purchases.create(tenant.id, purchase);
  } catch (error) {
    // Nobody must pay for a purchase that was not written.
    await card.provider
      .expireCheckoutSession(session.id)
      .catch((failure: unknown) => logger.warn('checkout session not expired', failure as Error));
    throw error;
  }
  return purchaseView(purchase);
}

export async function getCreditPurchase(
  deps: Pick<CreditPurchaseDeps, 'purchases'>,
  tenant: Tenant,
  principal: Principal,
  purchaseId: string,
): Promise<CreditPurchaseView> {
  const purchase = await deps.purchases.get(tenant.id, purchaseId);
  const scope = customerOf(principal);
  if (!purchase || (scope !== undefined && purchase.customerId !== scope)) {
    throw new NotFoundError('credit_purchase_not_found', `There is no credit purchase ${purchaseId}`);
  }
  return purchaseView(purchase);
}

/**
 * Puts a paid purchase's credits in the wallet and issues its invoice, once: every step is keyed
 * on the purchase, so a repeat (a duplicate webhook, a retried request) only finishes what is left.
 */
export async function fulfilCreditPurchase(
  deps: CreditPurchaseDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  purchaseId: string,
): Promise<StoredCreditPurchase> {
  const purchase = await deps.purchases.get(tenant.id, purchaseId);
  if (!purchase)
    throw new NotFoundError('credit_purchase_not_found', `There is no credit purchase ${purchaseId}`);
  if (purchase.status !== 'paid' || (purchase.credited && purchase.invoiceId)) return purchase;
  const ref = { tenantId: tenant.id, customerId: purchase.customerId, currency: purchase.currency };
  const at = purchase.paidAt ?? purchase.createdAt;
  const actor =
    purchase.placedBy.kind === 'system'
      ? { kind: 'system' as const, id: purchase.placedBy.id }
      : { kind: 'buyer' as const, id: purchase.placedBy.id };
  const reference = { kind: 'creditPurchase' as const, id: purchase.id };
  const entries = [
    {
      type: 'purchase' as const,
      amount: parseCredits(purchase.credits),
      key: 'credits',
      reason: purchase.packName,
    },
    {
      type: 'bonus' as const,
      amount: parseCredits(purchase.bonus),
      key: 'bonus',
      reason: `${purchase.packName}: bonus`,
    },
    {
      type: 'grant' as const,
      amount: parseCredits(purchase.cashback),
      key: 'cashback',
      reason: `${purchase.packName}: cashback`,
      ...(purchase.cashbackExpiresAt ? { expiresAt: purchase.cashbackExpiresAt } : {}),
    },
  ];
  for (const { key, ...entry } of entries) {
    if (entry.amount <= 0) continue;
    await creditWallet(deps.ledger, ref, {
      ...entry,
      actor,
      idempotencyKey: `${purchase.id}#${key}`,
      at,
      reference,
    });
  }
  const bonus = parseCredits(purchase.bonus) > 0 ? ` + ${purchase.bonus} bonus` : '';
  const invoice = await issueInvoice(deps.invoices, tenant, {
    customerId: purchase.customerId,
    currency: purchase.currency,
    lines: [
      {
        description: `${purchase.packName}: ${purchase.credits} credits${bonus}`,
        quantity: 1,
        unitNet: purchase.net,
      },
    ],
    source: { kind: 'creditPurchase', id: purchase.id },
    paymentMethod: purchase.paymentMethod,
    status: purchase.paymentMethod === 'card' ? 'paid' : 'open',
  });
  for (let attempt = 1; ; attempt++) {
    const current = (await deps.purchases.get(tenant.id, purchaseId)) as StoredCreditPurchase;
    if (current.credited && current.invoiceId) return current;
    const next = { ...current, credited: true, invoiceId: invoice.id, revision: current.revision + 1 };
    if ((await deps.commit([deps.purchases.updateItem(tenant.id, next, current.revision)])).ok) return next;
    if (attempt >= 10) throw new ConflictError('credit_purchase_busy', 'The purchase is changing; try again');
    await backoff(attempt);
  }
}
