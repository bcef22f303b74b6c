import { requestPasswordReset } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { checkEmail } from '#lib/validation.ts';

/** Asks for a reset link. The API answers 202 whether or not the account exists. */
export class ForgotPasswordForm {
  readonly store: string;
  readonly #fetch: typeof fetch | undefined;
  email = $state('');
  readonly form = new FormState('forgot', { email: 'Email' });
  /** The address the link went to, once sent. */
  sentTo: string | undefined = $state();

  constructor(store: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.#fetch = fetchFn;
  }

  async submit(): Promise<boolean> {
    const email = this.email.trim();
    const result = await this.form.submit({ email: checkEmail(email) }, () =>
      requestPasswordReset(this.store, email, { fetch: this.#fetch }),
    );
    if (result?.ok) this.sentTo = email;
    return result?.ok ?? false;
  }
}
