import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import {
  createTenant,
  fetchTenants,
  operatorLogout,
  type SignupMode,
  sortTenants,
  type Tenant,
  type TenantStatus,
  updateTenant,
} from '#lib/api/operator.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { checkSlug, slugify } from '#lib/slug.ts';
import { checkEmail, checkRequired } from '#lib/validation.ts';

const LABELS = {
  name: 'Store name',
  slug: 'Store address',
  ownerEmail: 'Owner’s email',
  defaultCurrency: 'Currency',
  defaultLanguage: 'Language',
  signupMode: 'Who can sign up',
};
export type TenantField = keyof typeof LABELS;

/** The operator's list of tenants, the form that creates one, and suspend / reactivate. */
export class TenantsPage {
  readonly #fetch: typeof fetch | undefined;
  readonly tenants: Resource<Tenant[]>;
  needsSignIn = $state(false);
  announcement = $state('');
  actionProblem: ApiProblem | undefined = $state();
  /** Ids of tenants with a change in flight. */
  updating: string[] = $state([]);

  name = $state('');
  slug = $state('');
  /** Once the operator types a slug, the name no longer suggests one. */
  slugEdited = $state(false);
  ownerEmail = $state('');
  defaultCurrency = $state('EUR');
  defaultLanguage = $state('en');
  signupMode: SignupMode = $state('open');
  readonly form = new FormState<TenantField>('new-tenant', LABELS, { codes: { slug_taken: 'slug' } });
  created: Tenant | undefined = $state();

  constructor(fetchFn?: typeof fetch) {
    this.#fetch = fetchFn;
    this.tenants = new Resource((signal) => this.#guard(fetchTenants({ signal, fetch: this.#fetch })));
  }

  readonly sorted: Tenant[] = $derived.by(() => sortTenants(this.tenants.data ?? []));

  load(): Promise<void> {
    return this.tenants.refresh();
  }

  setName(name: string): void {
    this.name = name;
    if (!this.slugEdited) this.slug = slugify(name);
    this.form.touch('name');
  }

  setSlug(slug: string): void {
    this.slug = slug;
    this.slugEdited = slug !== '';
    this.form.touch('slug');
  }

  checks(): Partial<Record<TenantField, string | undefined>> {
    return {
      name: checkRequired(this.name, 'Enter the name of the store.'),
      slug: checkSlug(this.slug.trim()),
      ownerEmail: checkEmail(this.ownerEmail, 'Enter the email address of the store’s owner.'),
      defaultCurrency: /^[A-Z]{3}$/.test(this.defaultCurrency.trim().toUpperCase())
        ? undefined
        : 'Use a three-letter currency code, e.g. EUR.',
      defaultLanguage: /^[a-z]{2}(-[A-Z]{2})?$/.test(this.defaultLanguage.trim())
        ? undefined
        : 'Use a language code like en or de-DE.',
    };
  }

  async create(): Promise<Tenant | undefined> {
    const input = {
      name: this.name.trim(),
      slug: this.slug.trim(),
      ownerEmail: this.ownerEmail.trim(),
      defaultCurrency: this.defaultCurrency.trim().toUpperCase(),
      defaultLanguage: this.defaultLanguage.trim(),
      signupMode: this.signupMode,
    };
    const result = await this.form.submit(this.checks(), () =>
      this.#guard(createTenant(input, { fetch: this.#fetch })),
    );
    if (!result?.ok) return undefined;
    const tenant = result.data;
    this.tenants.data = [tenant, ...(this.tenants.data ?? []).filter((t) => t.id !== tenant.id)];
    this.created = tenant;
    this.announcement = `Created ${tenant.name}. An invitation went to ${input.ownerEmail}.`;
    this.name = '';
    this.slug = '';
    this.slugEdited = false;
    this.ownerEmail = '';
    return tenant;
  }

  async setStatus(tenant: Tenant, status: TenantStatus): Promise<void> {
    if (this.updating.includes(tenant.id)) return;
    this.updating = [...this.updating, tenant.id];
    this.actionProblem = undefined;
    try {
      const result = await this.#guard(updateTenant(tenant.id, { status }, { fetch: this.#fetch }));
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.actionProblem = result.problem;
        return;
      }
      this.tenants.data = (this.tenants.data ?? []).map((t) => (t.id === tenant.id ? result.data : t));
      this.announcement =
        status === 'suspended'
          ? `Suspended ${tenant.name}: its store is offline.`
          : `Reactivated ${tenant.name}: its store is open again.`;
    } finally {
      this.updating = this.updating.filter((id) => id !== tenant.id);
    }
  }

  async signOut(): Promise<boolean> {
    const result = await operatorLogout({ fetch: this.#fetch });
    if (result.ok || isUnauthenticated(result.problem)) return true;
    this.actionProblem = result.problem;
    return false;
  }

  dispose(): void {
    this.tenants.dispose();
  }

  async #guard<T>(pending: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await pending;
    if (!result.ok && isUnauthenticated(result.problem)) this.needsSignIn = true;
    return result;
  }
}
