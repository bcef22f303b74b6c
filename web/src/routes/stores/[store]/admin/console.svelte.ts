import { getContext, setContext } from 'svelte';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { isUnauthenticated, type SessionView } from '#lib/api/identity.ts';
import { type ConsoleSection, can, canAny, consoleSections, isStaff } from '#lib/console.ts';
import { type StoreSession, storeSession } from '#lib/session.svelte.ts';

/**
 * The merchant console of one store (`/stores/[store]/admin/...`): asks who is signed in (always,
 * so roles changed meanwhile count), keeps buyers out, and tells the pages what the member of staff
 * may do. Every console request passes `guard()`: a 401 anywhere sends the page to sign in.
 */
export class ConsoleFrame {
  readonly store: string;
  readonly fetch: typeof fetch | undefined;
  readonly #session: StoreSession;

  /** Nobody is signed in (any more): the layout goes to the sign-in page with `?next=`. */
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
  /** Signed in as staff of this store: the console is theirs. */
  readonly staff: boolean = $derived(isStaff(this.user));
  readonly sections: ConsoleSection[] = $derived(consoleSections(this.user));

  can(permission: string): boolean {
    return can(this.user, permission);
  }

  canAny(permissions: readonly string[]): boolean {
    return canAny(this.user, permissions);
  }

  async load(): Promise<void> {
    this.loadProblem = undefined;
    const status = await this.#session.check(this.store, { force: true });
    if (status === 'signed-out') this.needsSignIn = true;
    else if (status !== 'signed-in') this.loadProblem = this.#session.problem;
  }

  /** Every console answer passes here: a 401 means the session ended, wherever it happens. */
  async guard<T>(pending: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await pending;
    if (!result.ok && isUnauthenticated(result.problem)) {
      this.#session.signedOut(this.store);
      this.needsSignIn = true;
    }
    return result;
  }
}

const KEY = Symbol('console');

export function setConsoleFrame(frame: ConsoleFrame): void {
  setContext(KEY, frame);
}

/** The console of the current page (set by `admin/+layout.svelte`). */
export function getConsoleFrame(): ConsoleFrame {
  const frame = getContext<ConsoleFrame | undefined>(KEY);
  if (!frame) throw new Error('getConsoleFrame() outside /stores/[store]/admin/');
  return frame;
}
