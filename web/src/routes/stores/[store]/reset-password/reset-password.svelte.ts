import { isInvalidToken, resetPassword } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { storeSession } from '#lib/session.svelte.ts';
import { checkNewPassword, checkPasswordConfirmation } from '#lib/validation.ts';

/** Sets a new password with the token from the emailed link; every session ends with it. */
export class ResetPasswordForm {
  readonly store: string;
  readonly token: string;
  readonly #fetch: typeof fetch | undefined;
  password = $state('');
  confirmation = $state('');
  readonly form = new FormState('reset', { password: 'New password', confirmation: 'Repeat the password' });
  done = $state(false);
  /** The link was used already, expired or never valid (400 invalid_token). */
  invalidLink = $state(false);

  constructor(store: string, token: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.token = token;
    this.#fetch = fetchFn;
  }

  async submit(): Promise<boolean> {
    const result = await this.form.submit(
      {
        password: checkNewPassword(this.password),
        confirmation: checkPasswordConfirmation(this.password, this.confirmation),
      },
      () => resetPassword(this.store, { token: this.token, password: this.password }, { fetch: this.#fetch }),
    );
    if (!result) return false;
    if (result.ok) {
      this.done = true;
      storeSession.signedOut(this.store); // the API ended every session of the account
      return true;
    }
    this.invalidLink = isInvalidToken(result.problem);
    return false;
  }
}
