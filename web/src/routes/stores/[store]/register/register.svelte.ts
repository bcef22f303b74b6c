import { type Registration, type RegistrationResult, register } from '#lib/api/identity.ts';
import { countryOptions, guessCountry } from '#lib/countries.ts';
import { FormState } from '#lib/form.svelte.ts';
import { checkEmail, checkNewPassword, checkRequired } from '#lib/validation.ts';

export type AccountType = Registration['type'];

const LABELS = {
  companyName: 'Company name',
  vatId: 'VAT ID',
  country: 'Country',
  name: 'Your name',
  email: 'Email',
  password: 'Password',
  message: 'Message to the store',
};
export type RegisterField = keyof typeof LABELS;

/** The fields of each form, in page order: a company's country sits with its other details. */
export const FIELD_ORDER: Record<'person' | 'company', readonly RegisterField[]> = {
  person: ['name', 'email', 'password', 'country'],
  company: ['companyName', 'vatId', 'country', 'name', 'email', 'password', 'message'],
};

/** The sign-up form: a person, or a company (whose first user is the person filling it in). */
export class RegisterForm {
  readonly store: string;
  readonly #fetch: typeof fetch | undefined;
  readonly countries = countryOptions('en');

  type: AccountType = $state('person');
  companyName = $state('');
  vatId = $state('');
  name = $state('');
  email = $state('');
  password = $state('');
  country = $state('');
  message = $state('');

  readonly form = new FormState<RegisterField>('register', LABELS, {
    codes: { email_taken: 'email' },
    order: () => FIELD_ORDER[this.type],
  });
  /** What happens next, once the store has the account. */
  result: RegistrationResult | undefined = $state();
  /** Where the confirmation link went. */
  sentTo = $state('');
  /** The store takes customers by invitation only (403 signup_closed). */
  closed = $state(false);

  constructor(store: string, options: { fetch?: typeof fetch; languages?: readonly string[] } = {}) {
    this.store = store;
    this.#fetch = options.fetch;
    this.country = guessCountry(options.languages ?? []) ?? '';
  }

  /** The request body for the chosen type (company-only fields are left out for a person). */
  body(): Registration {
    const common = {
      name: this.name.trim(),
      email: this.email.trim(),
      password: this.password,
      country: this.country,
    };
    if (this.type === 'person') return { type: 'person', ...common };
    return {
      type: 'company',
      companyName: this.companyName.trim(),
      ...(this.vatId.trim() ? { vatId: this.vatId.trim().toUpperCase().replace(/\s+/g, '') } : {}),
      ...common,
      ...(this.message.trim() ? { message: this.message.trim() } : {}),
    };
  }

  checks(): Partial<Record<RegisterField, string | undefined>> {
    const company = this.type === 'company';
    return {
      companyName: company ? checkRequired(this.companyName, 'Enter the name of the company.') : undefined,
      vatId: company && this.vatId.trim().length > 20 ? 'Use at most 20 characters.' : undefined,
      name: checkRequired(this.name, 'Enter your name.'),
      email: checkEmail(this.email),
      password: checkNewPassword(this.password),
      country: this.country ? undefined : 'Choose a country.',
      message: company && this.message.length > 2000 ? 'Use at most 2000 characters.' : undefined,
    };
  }

  async submit(): Promise<RegistrationResult | undefined> {
    const body = this.body();
    const result = await this.form.submit(this.checks(), () =>
      register(this.store, body, { fetch: this.#fetch }),
    );
    if (!result) return undefined;
    if (result.ok) {
      this.sentTo = body.email;
      this.result = result.data;
      return result.data;
    }
    this.closed = result.problem.kind === 'http' && result.problem.code === 'signup_closed';
    return undefined;
  }
}
