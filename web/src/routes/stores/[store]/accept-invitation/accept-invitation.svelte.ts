import { acceptInvitation } from '#lib/api/identity.ts';
import { FormState } from '#lib/form.svelte.ts';
import { PasswordLinkForm } from '#lib/password-link.svelte.ts';
import { checkRequired } from '#lib/validation.ts';

/** Accepts an invitation (staff, or a store's first owner): a name and a password. */
export class AcceptInvitationForm extends PasswordLinkForm<'name'> {
  name = $state('');

  constructor(store: string, token: string, fetchFn?: typeof fetch) {
    const labels = { name: 'Your name', password: 'Password', confirmation: 'Repeat the password' };
    super(store, token, new FormState('invitation', labels), fetchFn);
  }

  submit(): Promise<boolean> {
    const name = this.name.trim();
    return this.send({ name: checkRequired(name, 'Enter your name.') }, () =>
      acceptInvitation(
        this.store,
        { token: this.token, name, password: this.password },
        { fetch: this.fetch },
      ),
    );
  }
}
