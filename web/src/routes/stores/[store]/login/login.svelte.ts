import { login, type SessionView } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { storeSession } from '#lib/session.svelte.ts';
import { checkCurrentPassword, checkEmail } from '#lib/validation.ts';

/** The sign-in form of a store. */
export class LoginForm {
  readonly store: string;
  readonly #fetch: typeof fetch | undefined;
  email = $state('');
  password = $state('');
  readonly form = new FormState('login', { email: 'Email', password: 'Password' });

  constructor(store: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.#fetch = fetchFn;
  }

  /** Signs in; the session (from the answer) goes to the shared session state. */
  async submit(): Promise<SessionView | undefined> {
    const email = this.email.trim();
    const result = await this.form.submit(
      { email: checkEmail(email), password: checkCurrentPassword(this.password) },
      () => login(this.store, { email, password: this.password }, { fetch: this.#fetch }),
    );
    if (!result?.ok) return undefined;
    storeSession.signedIn(this.store, result.data);
    return result.data;
  }
}
