import { type CreditPack, fetchCreditPacks } from '#lib/api/credits.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import {
  buyCreditPack,
  type CreditPurchaseView,
  fetchCreditPurchase,
  fetchPaymentOptions,
  type PaymentOptionsView,
} from '#lib/api/payments.ts';
import { addCredits, type BuyMethod, buyMethods, type PaymentReturn } from '#lib/billing/packs.ts';
import { creditsPhrase, formatCredits } from '#lib/billing/view.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';

/** How often, and how long, a purchase paid by card is asked about after Stripe sent the buyer back. */
export const POLL_MS = 1000;
export const POLL_TRIES = 45;

type Guard = <T>(pending: Promise<ApiResult<T>>) => Promise<ApiResult<T>>;

/** What a purchase added, in words: "900.00 credits + 100.00 bonus credits". */
export function purchasePhrase(purchase: CreditPurchaseView, locale?: string): string {
  const extras = [
    /^0+(\.0+)?$/.test(purchase.bonus) ? '' : `${formatCredits(purchase.bonus, { locale })} bonus credits`,
    /^0+(\.0+)?$/.test(purchase.cashback)
      ? ''
      : `${formatCredits(purchase.cashback, { locale })} cashback credits`,
  ].filter(Boolean);
  return [creditsPhrase(purchase.credits, locale), ...extras].join(' + ');
}

/** Everything that landed in the wallet: credits + bonus + cashback. */
export function purchaseTotal(purchase: CreditPurchaseView): string {
  return addCredits(addCredits(purchase.credits, purchase.bonus), purchase.cashback);
}

/**
 * The wallet's "Buy credits" section: the packs on sale, the methods the buyer may pay with
 * (card through Stripe, on account for customers the merchant allows), a purchase, and the way
 * back from Stripe (`?purchase=…&payment=…`): the purchase is asked about until its credits are in.
 */
export class BuyCredits {
  readonly store: string;
  readonly packs: Resource<CreditPack[]>;
  readonly options: Resource<PaymentOptionsView>;
  method: BuyMethod | undefined = $state();
  /** The pack being bought. */
  buying: string | undefined = $state();
  /** The last purchase: bought on account, or back from Stripe. */
  purchase: CreditPurchaseView | undefined = $state();
  /** Back from Stripe and still waiting for the payment to arrive. */
  waiting = $state(false);
  /** Why the last purchase did not go through. */
  problem: ApiProblem | undefined = $state();
  announcement = $state('');
  #key: { packId: string; method: BuyMethod; key: string } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  readonly #guard: Guard;
  readonly #fetch: typeof fetch | undefined;

  constructor(store: string, guard: Guard, options: { fetch?: typeof fetch } = {}) {
    this.store = store;
    this.#guard = guard;
    this.#fetch = options.fetch;
    const fetchOption = options.fetch ? { fetch: options.fetch } : {};
    this.packs = new Resource((signal) => guard(fetchCreditPacks(store, {}, { signal, ...fetchOption })));
    this.options = new Resource((signal) => guard(fetchPaymentOptions(store, { signal, ...fetchOption })));
  }

  readonly methods = $derived.by(() => buyMethods(this.options.data));
  readonly canBuy: boolean = $derived.by(() => this.methods.some((method) => method.available));

  async load(): Promise<void> {
    await Promise.all([this.packs.refresh(), this.options.refresh()]);
    this.method ??= this.methods.find((method) => method.available)?.method;
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.packs.dispose();
    this.options.dispose();
  }

  /**
   * Buys one pack with the chosen method in `currency`. By card the answer carries the Stripe page
   * (the caller goes there); on account the credits are in and `onCredited` runs.
   */
  async buy(
    packId: string,
    currency: CurrencyCode,
    onCredited: () => unknown,
    locale?: string,
  ): Promise<CreditPurchaseView | undefined> {
    const method = this.method;
    if (!method || this.buying) return undefined;
    this.buying = packId;
    this.problem = undefined;
    this.purchase = undefined;
    // One key per attempt at this pack and method: a retry after a lost answer buys once.
    if (this.#key?.packId !== packId || this.#key.method !== method) {
      this.#key = { packId, method, key: newIdempotencyKey() };
    }
    try {
      const result = await this.#guard(
        buyCreditPack(
          this.store,
          packId,
          { paymentMethod: method, currency },
          { idempotencyKey: this.#key.key, ...(this.#fetch ? { fetch: this.#fetch } : {}) },
        ),
      );
      if (result.ok || result.problem.kind !== 'unreachable') this.#key = undefined;
      if (!result.ok) {
        this.problem = result.problem;
        this.announcement = 'The credits were not bought.';
        if (result.problem.kind === 'http' && result.problem.code === 'payment_method_unavailable') {
          void this.options.refresh();
        }
        return undefined;
      }
      if (result.data.status === 'pending_payment') {
        this.announcement = 'Going to the card payment page…';
        return result.data;
      }
      this.purchase = result.data;
      this.announcement = `Bought: ${purchasePhrase(result.data, locale)} added.`;
      await onCredited();
      return result.data;
    } finally {
      this.buying = undefined;
    }
  }

  /** Back from Stripe: asks about the purchase until its credits are in (then `onCredited`), or it was cancelled. */
  async returned(back: PaymentReturn, onCredited: () => unknown, locale?: string): Promise<void> {
    if (!back.purchaseId) return;
    this.waiting = true;
    for (let attempt = 0; attempt < POLL_TRIES && !this.#disposed; attempt++) {
      const result = await this.#guard(
        fetchCreditPurchase(this.store, back.purchaseId, this.#fetch ? { fetch: this.#fetch } : {}),
      );
      if (!result.ok) {
        // A purchase that is not there (or not this buyer's) will not appear by asking again.
        if (result.problem.kind === 'http') {
          this.problem = result.problem;
          this.waiting = false;
          return;
        }
      } else {
        this.purchase = result.data;
        if (result.data.credited) {
          this.waiting = false;
          this.announcement = `Payment received: ${purchasePhrase(result.data, locale)} added.`;
          await onCredited();
          return;
        }
        if (result.data.status === 'cancelled' || (back.payment === 'cancelled' && attempt === 0)) {
          this.waiting = false;
          this.announcement =
            result.data.status === 'cancelled'
              ? 'The purchase was cancelled.'
              : 'The card payment was cancelled.';
          return;
        }
      }
      await new Promise((done) => {
        this.#timer = setTimeout(done, POLL_MS);
      });
    }
    this.waiting = false;
  }
}
