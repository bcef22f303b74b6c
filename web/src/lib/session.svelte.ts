import type { ApiProblem, ApiResult } from './api/http.ts';
import { fetchSession, isUnauthenticated, logout, type SessionView } from './api/identity.ts';
import { hasSignedInHint, setSignedInHint } from './signed-in-hint.ts';

export type SessionStatus = 'unknown' | 'checking' | 'signed-in' | 'signed-out';

type Hints = {
  has: (store: string) => boolean;
  set: (store: string, signedIn: boolean) => void;
};

const browserHints: Hints = {
  has: (store) => hasSignedInHint(store),
  set: (store, on) => setSignedInHint(store, on),
};

/**
 * Who is signed in to which store, shared by the header (name and menu) and the store pages
 * (sign-in, account). One store at a time: the session cookie is one per browser.
 */
export class StoreSession {
  /** The store the state below is about. */
  store: string | undefined = $state();
  view: SessionView | undefined = $state();
  status: SessionStatus = $state('unknown');
  /** Why the last check failed, when it was not simply "nobody is signed in". */
  problem: ApiProblem | undefined = $state();

  #controller: AbortController | undefined;
  #pending: Promise<SessionStatus> | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #hints: Hints;

  constructor(options: { fetch?: typeof fetch; hints?: Hints } = {}) {
    this.#fetch = options.fetch;
    this.#hints = options.hints ?? browserHints;
  }

  /**
   * Finds out who is signed in to `store`. Without `force`, a store this browser has not signed
   * anyone in to is taken as signed out without asking (no 401 for every anonymous visitor), and
   * a store already checked is not asked again. A check already on its way for the store is
   * shared, never cancelled by a lesser one. Returns the status it settled on.
   */
  check(store: string, { force = false } = {}): Promise<SessionStatus> {
    if (this.store === store && this.#pending) return this.#pending;
    if (!force && this.store === store && this.status !== 'unknown') return Promise.resolve(this.status);
    if (!force && !this.#hints.has(store)) {
      this.#cancel();
      this.#set(store, 'signed-out', undefined);
      return Promise.resolve(this.status);
    }
    this.#cancel();
    const controller = new AbortController();
    this.#controller = controller;
    if (this.store !== store) this.view = undefined;
    this.store = store;
    this.status = 'checking';
    const pending = this.#ask(store, controller).finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  async #ask(store: string, controller: AbortController): Promise<SessionStatus> {
    try {
      const result = await fetchSession(store, { signal: controller.signal, fetch: this.#fetch });
      if (controller.signal.aborted) return this.status;
      if (result.ok) {
        this.#accept(store, result.data);
      } else if (result.problem.kind === 'http') {
        // 401: nobody (any more). 404 (no such store) or 403 (a session of another store): nobody
        // is signed in to this one either; the problem is kept for pages that want to say why.
        this.#hints.set(store, false);
        this.#set(store, 'signed-out', isUnauthenticated(result.problem) ? undefined : result.problem);
      } else {
        this.#set(store, 'unknown', result.problem);
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    return this.status;
  }

  #cancel(): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#pending = undefined;
  }

  /** After a successful sign-in (or session check). */
  signedIn(store: string, view: SessionView): void {
    this.#cancel(); // a check still on its way (started before this sign-in) must not overwrite it
    this.#accept(store, view);
  }

  #accept(store: string, view: SessionView): void {
    this.#hints.set(store, true);
    this.store = store;
    this.view = view;
    this.status = 'signed-in';
    this.problem = undefined;
  }

  /** After sign-out, a revoked current session, a password reset or a 401. */
  signedOut(store: string): void {
    this.#cancel();
    this.#hints.set(store, false);
    this.#set(store, 'signed-out', undefined);
  }

  /** Ends the current session. A 401 means it had ended already: signed out either way. */
  async signOut(): Promise<ApiResult<null>> {
    const store = this.store;
    if (!store) return { ok: true, status: 204, data: null };
    const result = await logout(store, { fetch: this.#fetch });
    if (result.ok || isUnauthenticated(result.problem)) {
      this.signedOut(store);
      return { ok: true, status: 204, data: null };
    }
    return result;
  }

  #set(store: string, status: SessionStatus, problem: ApiProblem | undefined): void {
    this.store = store;
    this.status = status;
    this.problem = problem;
    if (status !== 'signed-in') this.view = undefined;
  }
}

/** The app's one session state (a single-page app: no server, so no cross-request sharing). */
export const storeSession = new StoreSession();
