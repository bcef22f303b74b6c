import {
  addBasketItem,
  type BasketFix,
  type BasketItemChange,
  type BasketItemRequest,
  type BasketView,
  fetchBasket,
  removeBasketItem,
  updateBasketItem,
  validateBasket,
} from '#lib/api/basket.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { type StoreSession, storeSession } from '#lib/session.svelte.ts';
import { readBasketToken, tokenAfter, writeBasketToken } from './basket-token.ts';
import { fixCall, itemCount } from './basket-view.ts';

/**
 * The basket of the store being browsed, shared by the header (item count), the product page
 * (add) and the basket page: every call answers with the whole basket, which replaces the one
 * shown. Keeps the visitor token (`Basket-Token`) in localStorage per store.
 */
export class BasketStore {
  /** The store `view` belongs to. */
  store: string | undefined = $state();
  view: BasketView | undefined = $state();
  /** Why the last read failed (a write's problem is returned to its caller). */
  problem: ApiProblem | undefined = $state();
  loading = $state(false);
  /** A write (add, change, remove, check) is on its way. */
  writing = $state(false);
  /** The basket as of the last "Check basket" (domain availability asked), until the next change. */
  checked = $state(false);

  readonly #session: StoreSession;
  #pending: { store: string; promise: Promise<ApiResult<BasketView>> } | undefined;

  constructor(session: StoreSession = storeSession) {
    this.#session = session;
  }

  /** Items counting quantities; 0 before the basket is known. */
  readonly count: number = $derived(this.view ? itemCount(this.view.items) : 0);

  #signedIn(store: string): boolean {
    return this.#session.store === store && this.#session.status === 'signed-in';
  }

  /** Staff have no basket (the API answers 403 `no_basket`). */
  isStaff(store: string): boolean {
    return this.#signedIn(store) && this.#session.view?.principal === 'staff';
  }

  #options(store: string) {
    return { token: readBasketToken(store) };
  }

  /** Takes an answer: keeps the basket and the token it implies. */
  #accept(store: string, result: ApiResult<BasketView>): ApiResult<BasketView> {
    if (result.ok) {
      const kept = readBasketToken(store);
      const next = tokenAfter(kept, result.data, this.#signedIn(store));
      if (next !== kept) writeBasketToken(store, next);
      this.store = store;
      this.view = result.data;
      this.problem = undefined;
    }
    return result;
  }

  /**
   * For the header: reads the basket when there can be one (a visitor token, or a buyer signed
   * in); otherwise it is empty without asking.
   */
  async peek(store: string): Promise<void> {
    if (this.store !== store) {
      this.store = store;
      this.view = undefined;
    }
    if (this.isStaff(store)) return;
    if (!readBasketToken(store) && !this.#signedIn(store)) return;
    await this.load(store);
  }

  /** Reads the basket; a read already on its way for the store is shared. */
  async load(store: string): Promise<ApiResult<BasketView>> {
    if (this.#pending?.store === store) return this.#pending.promise;
    this.loading = true;
    const promise = fetchBasket(store, this.#options(store)).then((result) => {
      if (!result.ok && this.store === store) this.problem = result.problem;
      return this.#accept(store, result);
    });
    this.#pending = { store, promise };
    try {
      return await promise;
    } finally {
      if (this.#pending?.promise === promise) this.#pending = undefined;
      this.loading = false;
    }
  }

  async #write(store: string, call: () => Promise<ApiResult<BasketView>>, checked = false) {
    this.writing = true;
    try {
      const result = this.#accept(store, await call());
      if (result.ok) this.checked = checked;
      return result;
    } finally {
      this.writing = false;
    }
  }

  add(store: string, request: BasketItemRequest, idempotencyKey?: string): Promise<ApiResult<BasketView>> {
    return this.#write(store, () =>
      addBasketItem(store, request, {
        ...this.#options(store),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      }),
    );
  }

  update(store: string, itemId: string, change: BasketItemChange): Promise<ApiResult<BasketView>> {
    return this.#write(store, () => updateBasketItem(store, itemId, change, this.#options(store)));
  }

  remove(store: string, itemId: string): Promise<ApiResult<BasketView>> {
    return this.#write(store, () => removeBasketItem(store, itemId, this.#options(store)));
  }

  /** Checks as checkout will (domain availability included). */
  validate(store: string): Promise<ApiResult<BasketView>> {
    return this.#write(store, () => validateBasket(store, this.#options(store)), true);
  }

  /** Performs a fix: the one basket call it stands for. */
  applyFix(store: string, fix: BasketFix): Promise<ApiResult<BasketView>> {
    const call = fixCall(fix);
    if (call.kind === 'update') return this.update(store, call.itemId, call.change);
    if (call.kind === 'add') return this.add(store, call.request);
    return this.remove(store, call.itemId);
  }
}

/** The app's one basket state (a single-page app). */
export const basketStore = new BasketStore();
