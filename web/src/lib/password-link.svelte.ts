import type { ApiResult } from './api/http.ts';
import { isInvalidToken } from './api/identity.ts';
import type { FormState } from './form.svelte.ts';
import { checkNewPassword, checkPasswordConfirmation } from './validation.ts';

/**
 * A form behind an emailed link that sets a password (a password reset, an invitation): the token
 * from the link, the new password twice, and whether the link turned out to be used or expired.
 */
export class PasswordLinkForm<F extends string> {
  readonly store: string;
  readonly token: string;
  readonly form: FormState<F | 'password' | 'confirmation'>;
  protected readonly fetch: typeof fetch | undefined;
  password = $state('');
  confirmation = $state('');
  done = $state(false);
  /** The link was used already, expired or never valid (400 invalid_token). */
  invalidLink = $state(false);

  constructor(
    store: string,
    token: string,
    form: FormState<F | 'password' | 'confirmation'>,
    fetchFn: typeof fetch | undefined,
  ) {
    this.store = store;
    this.token = token;
    this.form = form;
    this.fetch = fetchFn;
  }

  /** Checks the password (and `checks`), then `call`; true once the API accepted it. */
  protected async send(
    checks: Partial<Record<F, string | undefined>>,
    call: () => Promise<ApiResult<null>>,
  ): Promise<boolean> {
    const result = await this.form.submit(
      {
        ...checks,
        password: checkNewPassword(this.password),
        confirmation: checkPasswordConfirmation(this.password, this.confirmation),
      },
      call,
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
