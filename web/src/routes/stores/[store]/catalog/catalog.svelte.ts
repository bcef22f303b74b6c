import { type CategoryList, fetchCategories, type SearchResult, searchCatalog } from '#lib/api/catalog.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { buildCategoryTree, type CategoryNode, categoryPath } from '#lib/catalog/category-tree.ts';
import {
  apiParamsOf,
  describeFilter,
  EMPTY_SEARCH,
  parseSearchParams,
  type Range,
  type SearchFilter,
  type SearchSort,
  type SearchState,
  sameSearch,
  searchQueryString,
  toggleValue,
  withBound,
  withCategory,
  withoutFilter,
  withoutFilters,
  withPage,
  withSort,
  withText,
} from '#lib/catalog/search-state.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { localized } from '#shared/catalog/localized.ts';
import { formatSearchFilter } from '#shared/catalog/search-filter.ts';

const PAGE_SIZE = 12;
/** Typing waits this long after the last key before searching. */
const TYPING_DELAY_MS = 250;

export type Navigate = (query: string, options: { replace: boolean }) => void;

/**
 * View state of the catalog page. The URL holds the search (`?q=&category=&filter=&sort=&page=`):
 * the page calls `sync()` whenever it changes, and every change the buyer makes navigates to a new
 * URL (typing replaces the history entry; a click adds one, so the back button undoes it).
 */
export class CatalogPage {
  readonly store: string;
  readonly locale: string;
  readonly #navigate: Navigate;
  readonly #fetch: typeof fetch | undefined;

  state: SearchState = $state(EMPTY_SEARCH);
  /** The search box: ahead of the URL while the buyer types. */
  text = $state('');
  /** The filter panel on a phone (always shown on wide screens). */
  filtersOpen = $state(false);

  readonly categories: Resource<CategoryList>;
  readonly results: Resource<SearchResult>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #synced = false;

  constructor(store: string, locale: string, navigate: Navigate, fetchFn?: typeof fetch) {
    this.store = store;
    this.locale = locale;
    this.#navigate = navigate;
    this.#fetch = fetchFn;
    this.categories = new Resource((signal) => fetchCategories(store, { signal, fetch: this.#fetch }));
    this.results = new Resource((signal) =>
      searchCatalog(store, apiParamsOf(this.state, { pageSize: PAGE_SIZE }), { signal, fetch: this.#fetch }),
    );
  }

  readonly tree: CategoryNode[] = $derived.by(() =>
    buildCategoryTree(this.categories.data?.items ?? [], this.locale),
  );
  readonly result: SearchResult | undefined = $derived.by(() => this.results.data);
  readonly problem: ApiProblem | undefined = $derived.by(() => this.results.problem);
  /** A filter of a stale link the catalog does not know (400 unknown_filter / invalid_filter). */
  readonly badFilter: boolean = $derived.by(
    () =>
      this.problem?.kind === 'http' &&
      (this.problem.code === 'unknown_filter' || this.problem.code === 'invalid_filter'),
  );
  readonly categoryName: string | undefined = $derived.by(() => {
    const path = categoryPath(this.categories.data?.items ?? [], this.state.category);
    const last = path.at(-1);
    return last ? localized(last.name, this.locale, this.locale) : undefined;
  });
  readonly heading: string = $derived.by(() => this.categoryName ?? 'All services');
  /** "7 services", once a search has answered. */
  readonly found: string | undefined = $derived.by(() => {
    const total = this.result?.total;
    if (total === undefined) return undefined;
    return total === 1 ? '1 service' : `${total} services`;
  });
  readonly pageCount: number = $derived.by(() =>
    this.result ? Math.max(1, Math.ceil(this.result.total / (this.result.pageSize || PAGE_SIZE))) : 1,
  );
  readonly activeFilters: number = $derived.by(() => this.state.filters.length);
  /** The filters in words, each removable (also those no facet shows, like `vcpu>=4` from a link). */
  readonly chips: { key: string; text: string; filter: SearchFilter }[] = $derived.by(() => {
    const labels: Record<string, string> = {};
    const valueLabels: Record<string, string> = {};
    for (const facet of this.result?.facets ?? []) {
      labels[facet.key] = facet.label;
      if (facet.type === 'values') {
        for (const value of facet.values) valueLabels[`${facet.key}:${value.value}`] = value.label;
      }
    }
    return this.state.filters.map((filter) => ({
      key: formatSearchFilter(filter),
      text: describeFilter(filter, labels, valueLabels),
      filter,
    }));
  });
  /** One sentence for the live region after each search. */
  readonly summary: string = $derived.by(() => {
    if (this.results.loading) return 'Searching…';
    if (!this.found) return '';
    const where = this.categoryName ? ` in ${this.categoryName}` : '';
    const text = this.state.q ? ` for “${this.state.q}”` : '';
    return `${this.found}${where}${text}`;
  });

  /** Reads the URL (first visit, link, back button) and searches when it says something new. */
  sync(params: URLSearchParams): void {
    const next = parseSearchParams(params);
    if (this.#synced && sameSearch(next, this.state)) return;
    const typing = this.#timer !== undefined;
    this.state = next;
    if (!typing && next.q !== this.text.trim()) this.text = next.q;
    this.#synced = true;
    void this.results.refresh();
  }

  load(): void {
    void this.categories.refresh();
  }

  /** `?…` for a state (links of the category tree, paging). */
  queryOf(state: SearchState): string {
    return searchQueryString(state) || '?';
  }

  #go(state: SearchState, replace = false): void {
    this.#navigate(this.queryOf(state), { replace });
  }

  /** The search box changed: search once typing pauses. */
  type(text: string): void {
    this.text = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (text.trim() !== this.state.q) this.#go(withText(this.state, text), true);
    }, TYPING_DELAY_MS);
  }

  /** Enter in the search box: search now. */
  submitText(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.text.trim() !== this.state.q) this.#go(withText(this.state, this.text));
  }

  categoryQuery(id: string | undefined): string {
    return this.queryOf(withCategory(this.state, id));
  }

  pageQuery(page: number): string {
    return this.queryOf(withPage(this.state, page));
  }

  toggle(key: string, value: string, on: boolean): void {
    this.#go(toggleValue(this.state, key, value, on));
  }

  /** A min or max box of a range facet changed (undefined: emptied). */
  setBound(key: string, bound: keyof Range, value: number | undefined): void {
    this.#go(withBound(this.state, key, bound, value));
  }

  sort(sort: SearchSort): void {
    this.#go(withSort(this.state, sort));
  }

  removeFilter(filter: SearchFilter): void {
    this.#go(withoutFilter(this.state, filter));
  }

  clearFilters(): void {
    this.#go(withoutFilters(this.state));
  }

  /** "Did you mean": search for what the results were read as. */
  useInterpretation(text: string): void {
    this.text = text;
    this.#go(withText(this.state, text));
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.categories.dispose();
    this.results.dispose();
  }
}
