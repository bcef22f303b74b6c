/**
 * The catalog page's search as URL query parameters (`?q=&category=&filter=&sort=&page=`), so a
 * search can be linked, bookmarked and walked back with the back button. The URL is the one source
 * of truth: the page reads the state from it and changes it by navigating.
 */
import {
  formatSearchFilter,
  parseSearchFilter,
  SEARCH_SORTS,
  type SearchFilter,
  type SearchSort,
} from '#shared/catalog/search-filter.ts';

export type { SearchFilter, SearchSort };

export type SearchState = {
  q: string;
  category: string | undefined;
  /** In the order they were chosen; written as `filter=a,b` (the API's comma list). */
  filters: SearchFilter[];
  sort: SearchSort;
  page: number;
};

const SORT_LABELS: Record<SearchSort, string> = {
  relevance: 'Best match',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name_asc: 'Name: A to Z',
  name_desc: 'Name: Z to A',
};

/** The API's sorts, in its order, with their names for the sort menu. */
export const SORTS: readonly { value: SearchSort; label: string }[] = SEARCH_SORTS.map((value) => ({
  value,
  label: SORT_LABELS[value],
}));

export const EMPTY_SEARCH: SearchState = {
  q: '',
  category: undefined,
  filters: [],
  sort: 'relevance',
  page: 1,
};

const CATEGORY = /^[a-z0-9][a-z0-9-]{0,59}$/;
const MAX_PAGE = 1000;

/**
 * Reads the state from the URL, forgiving: an unknown sort is the default, a bad page is 1, a filter
 * that does not parse is left out (a hand-edited link still shows something).
 */
export function parseSearchParams(params: URLSearchParams): SearchState {
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  const categoryParam = params.get('category') ?? '';
  const category = CATEGORY.test(categoryParam) ? categoryParam : undefined;
  const filters: SearchFilter[] = [];
  const seen = new Set<string>();
  for (const list of params.getAll('filter')) {
    for (const part of list.split(',')) {
      const filter = parseSearchFilter(part);
      if (!filter) continue;
      const text = formatSearchFilter(filter);
      if (seen.has(text)) continue;
      seen.add(text);
      filters.push(filter);
    }
  }
  const sortParam = params.get('sort');
  const sort = SEARCH_SORTS.find((value) => value === sortParam) ?? 'relevance';
  const pageNumber = Number(params.get('page') ?? '1');
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= MAX_PAGE ? pageNumber : 1;
  return { q, category, filters, sort, page };
}

/** The state as URL parameters, defaults left out, always in the same order. */
export function searchParamsOf(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.category) params.set('category', state.category);
  if (state.filters.length > 0) params.set('filter', state.filters.map(formatSearchFilter).join(','));
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** `?q=vps&page=2`, or '' when the state is the default one. */
export function searchQueryString(state: SearchState): string {
  const text = searchParamsOf(state).toString();
  return text ? `?${text}` : '';
}

/** What the search API gets: the URL state plus the page size (and currency, locale when set). */
export function apiParamsOf(
  state: SearchState,
  extra: { pageSize?: number; currency?: string; locale?: string } = {},
): URLSearchParams {
  const params = searchParamsOf(state);
  if (extra.pageSize) params.set('pageSize', String(extra.pageSize));
  if (extra.currency) params.set('currency', extra.currency);
  if (extra.locale) params.set('locale', extra.locale);
  return params;
}

export const sameSearch = (a: SearchState, b: SearchState): boolean =>
  searchParamsOf(a).toString() === searchParamsOf(b).toString();

/** Any change but paging starts again at page 1. */
const fresh = (state: SearchState, change: Partial<SearchState>): SearchState => ({
  ...state,
  page: 1,
  ...change,
});

export const withText = (state: SearchState, q: string): SearchState => fresh(state, { q: q.trim() });
export const withCategory = (state: SearchState, category: string | undefined): SearchState =>
  fresh(state, { category });
export const withSort = (state: SearchState, sort: SearchSort): SearchState => fresh(state, { sort });
export const withPage = (state: SearchState, page: number): SearchState => ({
  ...state,
  page: Math.min(MAX_PAGE, Math.max(1, Math.trunc(page))),
});

/** Checks or unchecks one value of a facet (values of one key are alternatives). */
export function toggleValue(state: SearchState, key: string, value: string, on: boolean): SearchState {
  const filter: SearchFilter = { kind: 'value', key, value };
  const others = withoutFilter(state, filter).filters;
  return fresh(state, { filters: on ? [...others, filter] : others });
}

export type Range = { from?: number | undefined; to?: number | undefined };

/** The lower (`>=`, `>`) and upper (`<=`, `<`) bounds the filters set on `key`. */
export function rangeOf(state: SearchState, key: string): Range {
  const range: Range = {};
  for (const filter of state.filters) {
    if (filter.kind !== 'range' || filter.key !== key) continue;
    if (filter.operator === '>=' || filter.operator === '>') range.from = filter.value;
    else range.to = filter.value;
  }
  return range;
}

/** Replaces the bounds on `key`: `key>=from`, `key<=to`; an undefined bound is no bound. */
export function withRange(state: SearchState, key: string, range: Range): SearchState {
  const others = state.filters.filter((filter) => !(filter.kind === 'range' && filter.key === key));
  const bounds: SearchFilter[] = [];
  if (range.from !== undefined && Number.isFinite(range.from)) {
    bounds.push({ kind: 'range', key, operator: '>=', value: range.from });
  }
  if (range.to !== undefined && Number.isFinite(range.to)) {
    bounds.push({ kind: 'range', key, operator: '<=', value: range.to });
  }
  return fresh(state, { filters: [...others, ...bounds] });
}

/** One bound on `key` changed (a min or max box), the other kept. */
export const withBound = (
  state: SearchState,
  key: string,
  bound: keyof Range,
  value: number | undefined,
): SearchState => withRange(state, key, { ...rangeOf(state, key), [bound]: value });

export const withoutFilters = (state: SearchState): SearchState => fresh(state, { filters: [] });

/** The state without one filter (a removed chip). */
export function withoutFilter(state: SearchState, filter: SearchFilter): SearchState {
  const text = formatSearchFilter(filter);
  return fresh(state, { filters: state.filters.filter((entry) => formatSearchFilter(entry) !== text) });
}

const OPERATOR_WORDS = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' } as const;

/**
 * A filter for people, with the facets' labels when known: "Region: Frankfurt", "vCPU ≥ 4".
 *
 * @example describeFilter({ kind: 'range', key: 'price', operator: '<=', value: 0.05 }, { price: 'Price per hour' })
 * // 'Price per hour ≤ 0.05'
 */
export function describeFilter(
  filter: SearchFilter,
  labels: Record<string, string> = {},
  valueLabels: Record<string, string> = {},
): string {
  const key = labels[filter.key] ?? filter.key;
  if (filter.kind === 'value') return `${key}: ${valueLabels[formatSearchFilter(filter)] ?? filter.value}`;
  return `${key} ${OPERATOR_WORDS[filter.operator]} ${filter.value}`;
}

/** Reads a number typed in a min/max box: '' is no bound; a comma works as the decimal point. */
export function parseBound(text: string): number | undefined {
  const cleaned = text.trim().replace(',', '.');
  if (cleaned === '') return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** Pages to offer: 1 … around the current … last, with `undefined` for a gap. */
export function pageList(current: number, last: number): (number | undefined)[] {
  if (last <= 7) return Array.from({ length: last }, (_, index) => index + 1);
  const pages = new Set([1, last, current - 1, current, current + 1]);
  const sorted = [...pages].filter((page) => page >= 1 && page <= last).sort((a, b) => a - b);
  const list: (number | undefined)[] = [];
  for (const page of sorted) {
    const previous = list.at(-1);
    if (previous !== undefined && page - previous > 1) list.push(undefined);
    list.push(page);
  }
  return list;
}
