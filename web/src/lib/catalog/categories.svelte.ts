import { type CategoryList, fetchCategories } from '#lib/api/catalog.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { buildCategoryTree, type CategoryNode } from './category-tree.ts';

/** A store's top-level categories, for a shelf of links into the catalog (the home page). */
export class CategoryShelf {
  readonly store: string;
  /** The store's language (may be known only later: read when the names are built). */
  readonly #locale: () => string;
  readonly resource: Resource<CategoryList>;

  constructor(store: string, locale: () => string, fetchFn?: typeof fetch) {
    this.store = store;
    this.#locale = locale;
    this.resource = new Resource((signal) => fetchCategories(store, { signal, fetch: fetchFn }));
  }

  readonly top: CategoryNode[] = $derived.by(() =>
    buildCategoryTree(this.resource.data?.items ?? [], this.#locale()),
  );

  load(): Promise<void> {
    return this.resource.refresh();
  }

  dispose(): void {
    this.resource.dispose();
  }
}
