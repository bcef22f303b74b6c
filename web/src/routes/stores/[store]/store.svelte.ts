import { getContext, setContext } from 'svelte';
import type { ApiProblem } from '#lib/api/http.ts';
import { fetchStorefront, type Storefront } from '#lib/api/storefront.ts';
import { Resource } from '#lib/resource.svelte.ts';

/**
 * The store every page under `/stores/[store]/` belongs to: loaded once by the layout, which shows
 * a friendly "no such store" instead of the page when the API answers 404.
 */
export class StoreFrame {
  readonly slug: string;
  readonly resource: Resource<Storefront>;

  constructor(slug: string, fetchFn?: typeof fetch) {
    this.slug = slug;
    this.resource = new Resource<Storefront>((signal) => fetchStorefront(slug, { signal, fetch: fetchFn }));
  }

  readonly store: Storefront | undefined = $derived.by(() => this.resource.data);
  readonly problem: ApiProblem | undefined = $derived.by(() => this.resource.problem);
  readonly notFound: boolean = $derived(
    this.problem?.kind === 'http' && (this.problem.status === 404 || this.problem.status === 400),
  );
  /** The store's name once known, its slug until then. */
  readonly name: string = $derived.by(() => this.store?.name ?? this.slug);

  load(): Promise<void> {
    return this.resource.refresh();
  }

  dispose(): void {
    this.resource.dispose();
  }
}

const KEY = Symbol('store');

export function setStoreFrame(frame: StoreFrame): void {
  setContext(KEY, frame);
}

/** The store of the current page (set by `stores/[store]/+layout.svelte`). */
export function getStoreFrame(): StoreFrame {
  const frame = getContext<StoreFrame | undefined>(KEY);
  if (!frame) throw new Error('getStoreFrame() outside /stores/[store]/');
  return frame;
}

/** "Acting as Ben Buyer (buyer@demo.test) on behalf of support@demo.test." */
export function impersonationText(user: { name: string; email: string }, staff: { email: string }): string {
  return `Acting as ${user.name} (${user.email}) on behalf of ${staff.email}.`;
}
