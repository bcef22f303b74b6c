import { resetPassword } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { PasswordLinkForm } from '#lib/password-link.svelte.ts';
import { storeSession } from '#lib/session.svelte.ts';

/** Sets a new password with the token from the emailed link; every session ends with it. */
export class ResetPasswordForm extends PasswordLinkForm<never> {
  constructor(store: string, token: string, fetchFn?: typeof fetch) {
    const labels = { password: 'New password', confirmation: 'Repeat the password' };
    super(store, token, new FormState('reset', labels), fetchFn);
  }

  async submit(): Promise<boolean> {
    const done = await this.send({}, () =>
      resetPassword(this.store, { token: this.token, password: this.password }, { fetch: this.fetch }),
    );
    if (done) storeSession.signedOut(this.store); // the API ended every session of the account
    return done;
  }
}
