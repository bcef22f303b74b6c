import type { ApiProblem } from '#lib/api/http.ts';
import { isInvalidToken, verifyEmail } from '#lib/api/identity.ts';

export type VerifyState = 'missing' | 'verifying' | 'verified' | 'invalid' | 'failed';

/** Confirms an email address with the token from the link, as soon as the page opens. */
export class EmailVerification {
  readonly store: string;
  readonly token: string;
  readonly #fetch: typeof fetch | undefined;
  state: VerifyState = $state('verifying');
  problem: ApiProblem | undefined = $state();

  constructor(store: string, token: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.token = token;
    this.#fetch = fetchFn;
    if (!token) this.state = 'missing';
  }

  async run(): Promise<VerifyState> {
    if (!this.token) {
      this.state = 'missing';
      return this.state;
    }
    this.state = 'verifying';
    this.problem = undefined;
    const result = await verifyEmail(this.store, this.token, { fetch: this.#fetch });
    if (result.ok) {
      this.state = 'verified';
    } else {
      this.problem = result.problem;
      this.state = isInvalidToken(result.problem) ? 'invalid' : 'failed';
    }
    return this.state;
  }
}
