import { type OperatorSignIn, operatorLogin } from '#lib/api/operator.ts';
import { FormState } from '#lib/form.svelte.ts';
import { checkCurrentPassword, checkEmail } from '#lib/validation.ts';

/** The platform operator's sign-in form. */
export class OperatorLoginForm {
  readonly #fetch: typeof fetch | undefined;
  email = $state('');
  password = $state('');
  readonly form = new FormState('operator-login', { email: 'Email', password: 'Password' });

  constructor(fetchFn?: typeof fetch) {
    this.#fetch = fetchFn;
  }

  async submit(): Promise<OperatorSignIn | undefined> {
    const email = this.email.trim();
    const result = await this.form.submit(
      { email: checkEmail(email), password: checkCurrentPassword(this.password) },
      () => operatorLogin({ email, password: this.password }, { fetch: this.#fetch }),
    );
    return result?.ok ? result.data : undefined;
  }
}
