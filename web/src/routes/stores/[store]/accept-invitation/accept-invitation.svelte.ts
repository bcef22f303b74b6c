import { acceptInvitation, isInvalidToken } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { checkNewPassword, checkPasswordConfirmation, checkRequired } from '#lib/validation.ts';

/** Accepts an invitation (staff, or a store's first owner): a name and a password. */
export class AcceptInvitationForm {
  readonly store: string;
  readonly token: string;
  readonly #fetch: typeof fetch | undefined;
  name = $state('');
  password = $state('');
  confirmation = $state('');
  readonly form = new FormState('invitation', {
    name: 'Your name',
    password: 'Password',
    confirmation: 'Repeat the password',
  });
  done = $state(false);
  invalidLink = $state(false);

  constructor(store: string, token: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.token = token;
    this.#fetch = fetchFn;
  }

  async submit(): Promise<boolean> {
    const name = this.name.trim();
    const result = await this.form.submit(
      {
        name: checkRequired(name, 'Enter your name.'),
        password: checkNewPassword(this.password),
        confirmation: checkPasswordConfirmation(this.password, this.confirmation),
      },
      () =>
        acceptInvitation(
          this.store,
          { token: this.token, name, password: this.password },
          { fetch: this.#fetch },
        ),
    );
    if (!result) return false;
    if (result.ok) {
      this.done = true;
      return true;
    }
    this.invalidLink = isInvalidToken(result.problem);
    return false;
  }
}
