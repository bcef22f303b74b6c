import type { BasketIssue, BasketItemView, BasketView } from '#lib/api/basket.ts';
import { fetchWallet, type WalletView } from '#lib/api/credits.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { type OrderView, type PaymentMethod, placeOrder } from '#lib/api/orders.ts';
import { type CheckoutRefusal, checkoutRefusal } from '#lib/billing/view.ts';
import { type BasketStore, basketStore } from '#lib/catalog/basket.svelte.ts';
import { basketWideIssues, isQuantity, issueCounts, issuesOf } from '#lib/catalog/basket-view.ts';
import { type StoreSession, storeSession } from '#lib/session.svelte.ts';

/**
 * View state of the basket page: the shared basket (header count, product page), what the buyer
 * does to it (quantities, remove, fixes, accept a new price, check) and what each action said.
 */
export class BasketPage {
  readonly store: string;
  readonly #basket: BasketStore;
  readonly #session: StoreSession;

  /** The item an action is working on, or 'basket' for a check. */
  busy: string | undefined = $state();
  /** A failed action, next to what it was about ('basket' or an item id). */
  actionProblem: { about: string; problem: ApiProblem } | undefined = $state();
  /** One sentence for the live region after each action. */
  announcement = $state('');

  /** How the buyer pays; card and invoice stay offered until the store refuses them. */
  paymentMethod: PaymentMethod = $state('credits');
  /** Methods the store refused (409 payment_method_unavailable), with its message. */
  unavailable: Partial<Record<PaymentMethod, string>> = $state({});
  /** Why the last order was refused. */
  refusal: CheckoutRefusal | undefined = $state();
  ordering = $state(false);
  /** The buyer's credits (with finance:view), to show beside "Credits". */
  wallet: WalletView | undefined = $state();
  /** One key per attempt: kept only when the answer was lost, so a retry cannot order twice. */
  #checkoutKey: string | undefined;
  readonly #fetch: typeof fetch | undefined;

  constructor(
    store: string,
    options: { basket?: BasketStore; session?: StoreSession; fetch?: typeof fetch } = {},
  ) {
    this.store = store;
    this.#basket = options.basket ?? basketStore;
    this.#session = options.session ?? storeSession;
    this.#fetch = options.fetch;
  }

  /** A buyer is signed in (visitors sign in first; staff have no basket). */
  readonly canOrder: boolean = $derived.by(
    () =>
      this.#session.store === this.store &&
      this.#session.status === 'signed-in' &&
      this.#session.view?.principal === 'buyer' &&
      this.#session.view.permissions.includes('orders:create'),
  );
  readonly signedOut: boolean = $derived.by(
    () => this.#session.store === this.store && this.#session.status === 'signed-out',
  );

  choosePayment(method: PaymentMethod): void {
    this.paymentMethod = method;
    this.refusal = undefined;
  }

  /**
   * Orders the basket as reviewed (its revision), with the chosen payment method. Returns the
   * order, or undefined with `refusal` saying why not.
   */
  async placeOrder(): Promise<OrderView | undefined> {
    const view = this.view;
    if (!view || this.ordering || this.busy) return undefined;
    const method = this.paymentMethod;
    this.ordering = true;
    this.refusal = undefined;
    this.#checkoutKey ??= newIdempotencyKey();
    try {
      const result = await placeOrder(
        this.store,
        { paymentMethod: method, basketRevision: view.revision },
        { idempotencyKey: this.#checkoutKey, ...(this.#fetch ? { fetch: this.#fetch } : {}) },
      );
      if (result.ok || result.problem.kind !== 'unreachable') this.#checkoutKey = undefined;
      if (result.ok) {
        this.announcement = 'Order placed.';
        return result.data;
      }
      const refusal = checkoutRefusal(result.problem, method);
      this.refusal = refusal;
      if (refusal.kind === 'payment_method_unavailable') {
        this.unavailable = { ...this.unavailable, [refusal.method]: refusal.message };
        if (this.paymentMethod === refusal.method) this.paymentMethod = 'credits';
      }
      // The basket changed or needs fixing: show it as it is now.
      if (refusal.kind.startsWith('basket_')) void this.#basket.load(this.store);
      this.announcement =
        refusal.kind === 'other' ? 'The order did not go through.' : 'The order was not placed.';
      return undefined;
    } finally {
      this.ordering = false;
    }
  }

  /** After an order: the basket is gone on the server; the header's count follows. */
  async afterOrder(): Promise<void> {
    await this.#basket.load(this.store);
  }

  async #loadWallet(): Promise<void> {
    if (!this.canOrder || !this.#session.view?.permissions.includes('finance:view')) return;
    const result = await fetchWallet(this.store, {}, this.#fetch ? { fetch: this.#fetch } : {});
    if (result.ok) this.wallet = result.data;
  }

  readonly view: BasketView | undefined = $derived.by(() =>
    this.#basket.store === this.store ? this.#basket.view : undefined,
  );
  readonly problem: ApiProblem | undefined = $derived.by(() => this.#basket.problem);
  readonly items: BasketItemView[] = $derived.by(() => this.view?.items ?? []);
  readonly empty: boolean = $derived.by(() => this.view !== undefined && this.items.length === 0);
  readonly topIssues: BasketIssue[] = $derived.by(() =>
    this.view ? basketWideIssues(this.view.issues, this.items) : [],
  );
  readonly isStaff: boolean = $derived.by(() => this.#basket.isStaff(this.store));

  /** "Ready to order", or what stands in the way, in one sentence. */
  readonly readiness: { ready: boolean; text: string } = $derived.by(() => {
    const view = this.view;
    if (!view || view.items.length === 0) return { ready: false, text: '' };
    if (view.ready) {
      return {
        ready: true,
        text: this.#basket.checked
          ? 'Ready to order: everything is checked, domain availability included.'
          : 'Ready to order. “Check basket” also asks whether domain names are still free.',
      };
    }
    const errors = view.issues.filter((issue) => issue.severity === 'error').length;
    return {
      ready: false,
      text: `Not ready to order yet: ${errors === 1 ? '1 problem needs' : `${errors} problems need`} fixing.`,
    };
  });

  issuesOf(item: BasketItemView): BasketIssue[] {
    return issuesOf(this.view?.issues ?? [], item.id).filter((issue) => issue.code !== 'price_changed');
  }

  /** Loads the basket (with the session known, so a signed-in buyer gets theirs). */
  async load(): Promise<void> {
    await this.#session.check(this.store);
    if (this.isStaff) return;
    await Promise.all([this.#basket.load(this.store), this.#loadWallet()]);
  }

  async #act(about: string, call: () => Promise<ApiResult<BasketView>>, done: (view: BasketView) => string) {
    if (this.busy) return;
    this.busy = about;
    this.actionProblem = undefined;
    try {
      const result = await call();
      if (result.ok) {
        const counts = issueCounts(result.data.issues);
        this.announcement = `${done(result.data)}${counts ? ` Basket: ${counts}.` : ''}`;
      } else {
        this.actionProblem = { about, problem: result.problem };
      }
    } finally {
      this.busy = undefined;
    }
  }

  setQuantity(item: BasketItemView, quantity: number): Promise<void> {
    if (!isQuantity(quantity) || quantity === item.quantity) return Promise.resolve();
    return this.#act(
      item.id,
      () => this.#basket.update(this.store, item.id, { quantity }),
      () => `${item.product.name}: quantity ${quantity}.`,
    );
  }

  remove(item: BasketItemView): Promise<void> {
    return this.#act(
      item.id,
      () => this.#basket.remove(this.store, item.id),
      () => `Removed ${item.product.name}.`,
    );
  }

  acceptPrice(item: BasketItemView): Promise<void> {
    return this.#act(
      item.id,
      () => this.#basket.update(this.store, item.id, { acceptPrice: true }),
      () => `Accepted the new price of ${item.product.name}.`,
    );
  }

  applyFix(issue: BasketIssue): Promise<void> {
    const fix = issue.fix;
    if (!fix) return Promise.resolve();
    return this.#act(
      issue.itemId ?? 'basket',
      () => this.#basket.applyFix(this.store, fix),
      () => `${fix.label}: done.`,
    );
  }

  check(): Promise<void> {
    return this.#act(
      'basket',
      () => this.#basket.validate(this.store),
      (view) => (view.ready ? 'Checked: ready to order.' : 'Checked.'),
    );
  }
}
