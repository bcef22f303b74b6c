import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { isUnauthenticated, type SessionView } from '#lib/api/identity.ts';
import { type StoreSession, storeSession } from '#lib/session.svelte.ts';

/**
 * The signed-in part of a store (orders, services, wallet): asks who is signed in, sends the page
 * to sign in when nobody is (or the session ends on any request: `guard()`), and says whether the
 * person may see money (`finance:view` for a buyer, `finance:read` for staff).
 */
export class SignedInArea {
  readonly store: string;
  readonly fetch: typeof fetch | undefined;
  readonly #session: StoreSession;

  /** Nobody is signed in (any more): the page goes to the sign-in page with `?next=`. */
  needsSignIn = $state(false);
  /** The session could not be checked at all (API unreachable…). */
  loadProblem: ApiProblem | undefined = $state();

  constructor(store: string, options: { fetch?: typeof fetch; session?: StoreSession } = {}) {
    this.store = store;
    this.fetch = options.fetch;
    this.#session = options.session ?? storeSession;
  }

  readonly user: SessionView | undefined = $derived.by(() =>
    this.#session.store === this.store && this.#session.status === 'signed-in'
      ? this.#session.view
      : undefined,
  );
  readonly staff: boolean = $derived(this.user?.principal === 'staff');
  /** Balances, ledgers and prices of the wallet. */
  readonly seesFinance: boolean = $derived(
    this.user?.permissions.includes(this.staff ? 'finance:read' : 'finance:view') ?? false,
  );
  /** Start, stop, resize and cancel. */
  readonly managesServices: boolean = $derived(
    this.user?.permissions.includes(this.staff ? 'orders:manage' : 'services:manage') ?? false,
  );

  /** Resolves true once someone is signed in. */
  async check(): Promise<boolean> {
    this.loadProblem = undefined;
    const status = await this.#session.check(this.store);
    if (status === 'signed-out') this.needsSignIn = true;
    else if (status !== 'signed-in') this.loadProblem = this.#session.problem;
    return status === 'signed-in';
  }

  /** Every answer passes here: a 401 means the session ended, wherever it happens. */
  async guard<T>(pending: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await pending;
    if (!result.ok && isUnauthenticated(result.problem)) {
      this.#session.signedOut(this.store);
      this.needsSignIn = true;
    }
    return result;
  }
}
