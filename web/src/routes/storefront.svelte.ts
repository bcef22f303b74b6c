import type { ApiProblem } from '#lib/api/http.ts';
import { DEMO_STORE, fetchStorefront, type Storefront } from '#lib/api/storefront.ts';
import { Resource } from '#lib/resource.svelte.ts';

/** View state of the storefront home (`/`): what the page shows for each outcome of the API call. */
export class StorefrontHome {
  readonly slug: string;
  readonly #fetch: typeof fetch | undefined;
  readonly resource = new Resource<Storefront>((signal) =>
    fetchStorefront(this.slug, { signal, fetch: this.#fetch }),
  );

  constructor(slug: string = DEMO_STORE, fetchFn?: typeof fetch) {
    this.slug = slug;
    this.#fetch = fetchFn;
  }

  readonly store: Storefront | undefined = $derived(this.resource.data);
  readonly problem: ApiProblem | undefined = $derived(this.resource.problem);
  /** True until the first answer (or failure) arrives. */
  readonly pending: boolean = $derived(!this.resource.settled);

  readonly heading: string = $derived(
    this.store ? this.store.name : this.problem ? 'Store unavailable' : 'Loading store…',
  );

  readonly title: string = $derived(
    this.store ? `${this.store.name} · Nimbus` : this.problem ? 'Store unavailable · Nimbus' : 'Nimbus',
  );

  /** What went wrong, in words for the buyer (the API's own message is shown beside it). */
  readonly problemSummary: string | undefined = $derived.by(() => {
    const problem = this.problem;
    if (!problem) return undefined;
    if (problem.kind === 'http' && problem.status === 404) return `There is no store called “${this.slug}”.`;
    if (problem.kind === 'unreachable') return 'The store cannot be reached right now.';
    return 'The store could not be loaded.';
  });

  /** "Prices in Euro (EUR) · English", for the store's defaults. */
  readonly facts: string | undefined = $derived(
    this.store ? describeDefaults(this.store.defaultCurrency, this.store.defaultLanguage) : undefined,
  );

  load(): Promise<void> {
    return this.resource.refresh();
  }

  dispose(): void {
    this.resource.dispose();
  }
}

function displayName(type: 'currency' | 'language', code: string): string | undefined {
  try {
    return new Intl.DisplayNames(['en'], { type }).of(code);
  } catch {
    return undefined; // not a well-formed code: show the code alone
  }
}

export function describeDefaults(currency: string, language: string): string {
  const currencyName = displayName('currency', currency);
  const languageName = displayName('language', language);
  const price = currencyName && currencyName !== currency ? `${currencyName} (${currency})` : currency;
  return `Prices in ${price} · ${languageName ?? language}`;
}
