/**
 * Auto top-up: below X credits, buy pack Y with the card an earlier card payment saved. The
 * ledger asks once per drop (`topUpRequestedAt` set in the debit's own transaction, event
 * credits.top_up_due); this buys the pack off-session. A bus event delivered twice buys once (a
 * marker per event, written with the purchase; the charge is keyed on the purchase). A declined
 * card turns auto top-up off, so a bad card is not charged every hour.
 */
import * as z from 'zod';
import { parseCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { CreditPurchaseView, SetAutoTopUpRequest } from '#shared/payments/credit-purchase.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { changeWallet } from '../credits/ledger-service.ts';
import { type StoredWallet, walletView } from '../credits/wallet.ts';
import type { WalletRef } from '../credits/wallet-store.ts';
import { backoff } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import { toMinorUnits } from '../orders/checkout.ts';
import type { StoredCreditPurchase } from './credit-purchase-store.ts';
import { buyerOf, type CreditPurchaseDeps, fulfilCreditPurchase, newPurchase } from './credit-purchases.ts';
import { applicationFee, CARD_OFF_FOR_CREDITS_MESSAGE, cardSetup } from './payment-settings.ts';

const AUTO_TOP_UP = { kind: 'system', id: 'auto-top-up' } as const;

export async function setAutoTopUp(
  deps: CreditPurchaseDeps,
  tenant: Tenant,
  principal: Principal,
  request: SetAutoTopUpRequest,
) {
  const { customerId } = buyerOf(principal);
  const currency = (request.currency ?? tenant.defaultCurrency) as CreditPurchaseView['currency'];
  const ref: WalletRef = { tenantId: tenant.id, customerId, currency };
  let autoTopUp: StoredWallet['autoTopUp'];
  if (request.enabled) {
    const packId = request.packId as string;
    const pack = await deps.packs.get(tenant.id, packId);
    if (!pack?.active) throw new NotFoundError('credit_pack_not_found', `There is no credit pack ${packId}`);
    if (pack.prices[currency] === undefined) {
      throw new ConflictError('currency_not_offered', `The pack ${packId} has no price in ${currency}`);
    }
    if (!(await cardSetup(deps.payments, tenant.id))) {
      throw new ConflictError('payment_method_unavailable', CARD_OFF_FOR_CREDITS_MESSAGE, {
        paymentMethod: 'card',
      });
    }
    if (!(await deps.payments.store.savedCard(tenant.id, customerId))) {
      throw new ConflictError(
        'no_saved_card',
        'Auto top-up charges the card saved by an earlier card payment in this store: pay once by card first',
      );
    }
    const below = parseCredits(request.belowCredits as string);
    if (below <= 0) throw new ConflictError('invalid_threshold', 'belowCredits must be more than zero');
    autoTopUp = { below, packId };
  }
  const at = (await deps.time.now(tenant)).toISOString();
  const result = await changeWallet(
    deps.ledger,
    ref,
    (change) => {
      const { autoTopUp: _old, topUpRequestedAt: _requested, ...rest } = change.wallet;
      change.wallet = autoTopUp ? { ...rest, autoTopUp } : rest;
    },
    { create: true, at },
  );
  if (result.kind !== 'written') throw new ConflictError('wallet_busy', 'The wallet is changing; try again');
  return walletView(result.wallet, await deps.ledger.billingSettings(tenant.id));
}

const TopUpDue = z.object({
  customerId: z.string().min(1),
  currency: z.string().length(3),
  packId: z.string(),
});

/** Turns auto top-up off (a declined card, a pack withdrawn); the buyer sees it gone from the wallet. */
async function stopAutoTopUp(deps: CreditPurchaseDeps, ref: WalletRef, at: string, why: string) {
  logger.warn('auto top-up turned off', { customerId: ref.customerId, currency: ref.currency, why });
  await changeWallet(
    deps.ledger,
    ref,
    (change) => {
      const { autoTopUp: _auto, topUpRequestedAt: _requested, ...rest } = change.wallet;
      change.wallet = rest;
    },
    { at },
  );
}

/** credits.top_up_due → the pack, bought off-session with the saved card. Returns the purchase. */
export async function topUp(
  deps: CreditPurchaseDeps,
  tenant: Tenant,
  event: EventEnvelope,
): Promise<StoredCreditPurchase | undefined> {
  if (event.type !== 'credits.top_up_due') return undefined;
  const due = TopUpDue.parse(event.data);
  const ref = {
    tenantId: tenant.id,
    customerId: due.customerId,
    currency: due.currency as CreditPurchaseView['currency'],
  };
  const markerId = `bus#${event.id}`;
  const at = (await deps.time.now(tenant)).toISOString();
  let purchase: StoredCreditPurchase | undefined;
  for (let attempt = 1; !purchase; attempt++) {
    const marker = await deps.payments.store.processedEvent(tenant.id, markerId);
    if (marker) {
      // Delivered before: carry on with the purchase it started (or nothing, if it started none).
      purchase = marker.payable ? await deps.purchases.get(tenant.id, marker.payable.id) : undefined;
      if (!purchase) return undefined;
      break;
    }
    const wallet = await deps.ledger.wallets.get(ref);
    const [card, setup] = await Promise.all([
      deps.payments.store.savedCard(tenant.id, due.customerId),
      cardSetup(deps.payments, tenant.id),
    ]);
    if (!wallet?.autoTopUp || !wallet.topUpRequestedAt) return undefined; // turned off, or arrived
    if (!card || !setup) {
      await stopAutoTopUp(deps, ref, at, card ? 'card payment is off' : 'no saved card');
      return undefined;
    }
    let fresh: StoredCreditPurchase;
    try {
      fresh = await newPurchase(
        deps,
        tenant,
        due.customerId,
        wallet.autoTopUp.packId,
        ref.currency,
        'card',
        AUTO_TOP_UP,
      );
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof ConflictError)) throw error;
      await stopAutoTopUp(deps, ref, at, error.message);
      return undefined;
    }
    const written = await deps.commit([
      deps.payments.store.processedEventItem(tenant.id, {
        eventId: markerId,
        type: event.type,
        outcome: 'unchanged',
        payable: { kind: 'creditPurchase', id: fresh.id },
        at,
      }),
      deps.purchases.createItem(tenant.id, fresh),
    ]);
    if (written.ok) purchase = fresh;
    else if (attempt >= 5) throw new Error(`auto top-up of ${due.customerId} stayed contended`);
  }
  if (purchase.status !== 'pending_payment') return fulfilCreditPurchase(deps, tenant, purchase.id);

  const card = await deps.payments.store.savedCard(tenant.id, purchase.customerId);
  const setup = await cardSetup(deps.payments, tenant.id);
  const charge =
    card && setup
      ? await setup.provider.chargeSavedCard({
          tenantId: tenant.id,
          payable: { kind: 'creditPurchase', id: purchase.id },
          currency: purchase.currency,
          amountMinor: toMinorUnits(purchase.gross, purchase.currency),
          stripeCustomerId: card.stripeCustomerId,
          paymentMethodId: card.paymentMethodId,
          description: `Auto top-up: ${purchase.packName}`,
          ...applicationFee(setup, toMinorUnits(purchase.gross, purchase.currency)),
          idempotencyKey: purchase.id,
        })
      : ({ status: 'failed', message: 'no saved card or card payment is off' } as const);
  if (charge.status === 'processing') return purchase; // the webhook completes it
  for (let attempt = 1; ; attempt++) {
    const current = (await deps.purchases.get(tenant.id, purchase.id)) as StoredCreditPurchase;
    if (current.status !== 'pending_payment') break; // the webhook was quicker
    const next: StoredCreditPurchase =
      charge.status === 'succeeded'
        ? {
            ...current,
            status: 'paid',
            paidAt: at,
            paymentIntentId: charge.paymentIntentId,
            revision: current.revision + 1,
          }
        : { ...current, status: 'cancelled', failure: charge.message, revision: current.revision + 1 };
    if ((await deps.commit([deps.purchases.updateItem(tenant.id, next, current.revision)])).ok) break;
    if (attempt >= 10) throw new Error(`credit purchase ${purchase.id} stayed contended`);
    await backoff(attempt);
  }
  if (charge.status === 'failed') {
    await stopAutoTopUp(deps, ref, at, charge.message);
    return deps.purchases.get(tenant.id, purchase.id);
  }
  return fulfilCreditPurchase(deps, tenant, purchase.id);
}
