import { type Customer, fetchAccount } from '#lib/api/admin.ts';
import {
  type ApiKeyView,
  allowedScopes,
  type CreatedApiKey,
  canManageApiKeys,
  createApiKey,
  fetchApiKeys,
  revokeApiKey,
  type ScopeInfo,
  sortApiKeys,
} from '#lib/api/api-keys.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import {
  fetchSessions,
  isUnauthenticated,
  revokeSession,
  type SessionSummary,
  type SessionView,
} from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { type StoreSession, storeSession } from '#lib/session.svelte.ts';
import { describeUserAgent } from '#lib/user-agent.ts';
import { checkRequired } from '#lib/validation.ts';

export type KeyField = 'name' | 'scopes';

/**
 * View state of the account page: who is signed in, their sessions and (with `apikeys:manage`)
 * their API keys. Any 401 sets `needsSignIn`; the page then goes to the sign-in page.
 */
export class AccountPage {
  readonly store: string;
  readonly #fetch: typeof fetch | undefined;
  readonly #session: StoreSession;

  /** True when nobody is signed in (any more): the page sends the person to sign in. */
  needsSignIn = $state(false);
  /** Set when the session could not be checked at all (API unreachable…). */
  loadProblem: ApiProblem | undefined = $state();
  /** A failed action (revoke, sign out), shown above the section it belongs to. */
  actionProblem: { section: 'sessions' | 'keys'; problem: ApiProblem } | undefined = $state();
  /** One sentence for the live region after each action. */
  announcement = $state('');

  readonly sessions: Resource<SessionSummary[]>;
  readonly keys: Resource<ApiKeyView[]>;
  /** A buyer's customer account (its name: the company or the person). */
  readonly account: Resource<Customer>;

  keyName = $state('');
  keyScopes: string[] = $state([]);
  readonly keyForm = new FormState<KeyField>('new-key', { name: 'Name', scopes: 'Permissions' });
  /** The key just created, with its secret: shown once, kept in memory only. */
  created: CreatedApiKey | undefined = $state();

  constructor(store: string, options: { fetch?: typeof fetch; session?: StoreSession } = {}) {
    this.store = store;
    this.#fetch = options.fetch;
    this.#session = options.session ?? storeSession;
    this.sessions = new Resource((signal) =>
      this.#guard(fetchSessions(store, { signal, fetch: this.#fetch })),
    );
    this.keys = new Resource((signal) => this.#guard(fetchApiKeys(store, { signal, fetch: this.#fetch })));
    this.account = new Resource((signal) => this.#guard(fetchAccount(store, { signal, fetch: this.#fetch })));
  }

  readonly user: SessionView | undefined = $derived.by(() =>
    this.#session.store === this.store && this.#session.status === 'signed-in'
      ? this.#session.view
      : undefined,
  );
  readonly canManageKeys: boolean = $derived(this.user ? canManageApiKeys(this.user) : false);
  readonly scopeChoices: ScopeInfo[] = $derived(this.user ? allowedScopes(this.user) : []);
  readonly sortedKeys: ApiKeyView[] = $derived.by(() => sortApiKeys(this.keys.data ?? []));
  readonly otherSessions: SessionSummary[] = $derived.by(() =>
    (this.sessions.data ?? []).filter((session) => !session.current),
  );

  /** Checks the session with the API (always), then loads sessions and, if allowed, keys. */
  async load(): Promise<void> {
    this.loadProblem = undefined;
    const status = await this.#session.check(this.store, { force: true });
    if (status === 'signed-out') {
      this.needsSignIn = true;
      return;
    }
    if (status !== 'signed-in') {
      this.loadProblem = this.#session.problem;
      return;
    }
    await Promise.all([
      this.sessions.refresh(),
      this.canManageKeys ? this.keys.refresh() : undefined,
      this.user?.principal === 'buyer' ? this.account.refresh() : undefined,
    ]);
  }

  /**
   * Ends one session. Ending the current one signs out: returns true, and the page leaves for the
   * sign-in page.
   */
  async endSession(session: SessionSummary): Promise<boolean> {
    const result = await this.#guard(revokeSession(this.store, session.id, { fetch: this.#fetch }));
    if (!result.ok) {
      this.#failed('sessions', result.problem);
      return false;
    }
    if (session.current) {
      this.#session.signedOut(this.store);
      return true;
    }
    this.#removeSession(session.id);
    this.announcement = `Signed out ${describeUserAgent(session.userAgent)}.`;
    return false;
  }

  /** Ends every session but this one. */
  async endOtherSessions(): Promise<void> {
    const others = this.otherSessions;
    const results = await Promise.all(
      others.map(async (session) => ({
        session,
        result: await this.#guard(revokeSession(this.store, session.id, { fetch: this.#fetch })),
      })),
    );
    let ended = 0;
    for (const { session, result } of results) {
      // 404: it had ended meanwhile, which is what was asked for.
      if (result.ok || (result.problem.kind === 'http' && result.problem.status === 404)) {
        this.#removeSession(session.id);
        ended += 1;
      }
    }
    const failed = results.find(
      ({ result }) => !result.ok && !(result.problem.kind === 'http' && result.problem.status === 404),
    );
    if (failed && !failed.result.ok) this.#failed('sessions', failed.result.problem);
    this.announcement = `Signed out ${ended} other ${ended === 1 ? 'session' : 'sessions'}.`;
  }

  /** Signs out here (POST auth/logout). */
  async signOut(): Promise<boolean> {
    const result = await this.#session.signOut();
    if (!result.ok) this.#failed('sessions', result.problem);
    return result.ok;
  }

  toggleScope(scope: string, checked: boolean): void {
    this.keyScopes = checked
      ? [...new Set([...this.keyScopes, scope])]
      : this.keyScopes.filter((existing) => existing !== scope);
    this.keyForm.touch('scopes');
  }

  async createKey(): Promise<CreatedApiKey | undefined> {
    const name = this.keyName.trim();
    const scopes = this.scopeChoices
      .map((info) => info.scope)
      .filter((scope) => this.keyScopes.includes(scope));
    const result = await this.keyForm.submit(
      {
        name: checkRequired(name, 'Give the key a name, e.g. the program that will use it.'),
        scopes: scopes.length === 0 ? 'Choose at least one permission.' : undefined,
      },
      () => this.#guard(createApiKey(this.store, { name, scopes }, { fetch: this.#fetch })),
    );
    if (!result?.ok) return undefined;
    this.created = result.data;
    this.keys.data = [
      result.data.key,
      ...(this.keys.data ?? []).filter((key) => key.id !== result.data.key.id),
    ];
    this.keyName = '';
    this.keyScopes = [];
    this.announcement = `Created the API key “${result.data.key.name}”. Copy it now: it is shown only once.`;
    return result.data;
  }

  /** Hides the secret of the key just created (it cannot be shown again). */
  dismissSecret(): void {
    this.created = undefined;
  }

  async revokeKey(key: ApiKeyView): Promise<void> {
    const result = await this.#guard(revokeApiKey(this.store, key.id, { fetch: this.#fetch }));
    if (!result.ok) return this.#failed('keys', result.problem);
    if (this.created?.key.id === key.id) this.created = undefined;
    this.keys.data = (this.keys.data ?? []).map((existing) =>
      existing.id === key.id ? { ...existing, revokedAt: new Date().toISOString() } : existing,
    );
    this.announcement = `Revoked the API key “${key.name}”. It no longer works.`;
    void this.keys.refresh();
  }

  dispose(): void {
    this.sessions.dispose();
    this.keys.dispose();
  }

  #removeSession(id: string): void {
    this.sessions.data = (this.sessions.data ?? []).filter((session) => session.id !== id);
  }

  #failed(section: 'sessions' | 'keys', problem: ApiProblem): void {
    if (isUnauthenticated(problem)) return; // #guard has sent the page to sign in
    this.actionProblem = { section, problem };
    this.announcement = '';
  }

  /** Every answer passes here: a 401 means the session ended, wherever it happens. */
  async #guard<T>(pending: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await pending;
    if (!result.ok && isUnauthenticated(result.problem)) {
      this.#session.signedOut(this.store);
      this.needsSignIn = true;
    } else if (result.ok) {
      this.actionProblem = undefined;
    }
    return result;
  }
}
