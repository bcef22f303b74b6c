import { describe, expect, it } from 'vitest';
import { formatSearchFilter as formatFilter, SEARCH_SORTS } from '#shared/catalog/search-filter.ts';
import {
  apiParamsOf,
  describeFilter,
  EMPTY_SEARCH,
  pageList,
  parseBound,
  parseSearchParams,
  rangeOf,
  type SearchState,
  SORTS,
  sameSearch,
  searchParamsOf,
  searchQueryString,
  toggleValue,
  withBound,
  withCategory,
  withoutFilter,
  withoutFilters,
  withPage,
  withRange,
  withSort,
  withText,
} from './search-state.ts';

const params = (text: string) => new URLSearchParams(text);

describe('search state in the URL', () => {
  it('reads every part of the query', () => {
    expect(
      parseSearchParams(
        params('q=vps&category=servers&filter=region:eu-central,vcpu>=4&sort=price_asc&page=2'),
      ),
    ).toEqual({
      q: 'vps',
      category: 'servers',
      filters: [
        { kind: 'value', key: 'region', value: 'eu-central' },
        { kind: 'range', key: 'vcpu', operator: '>=', value: 4 },
      ],
      sort: 'price_asc',
      page: 2,
    });
  });

  it('forgives a hand-edited link: bad parts fall back to the defaults', () => {
    expect(
      parseSearchParams(
        params(
          'sort=cheapest&page=-3&category=Not%20A%20Slug&filter=,nonsense,Region:x,vcpu>=many,,price<=0.05',
        ),
      ),
    ).toEqual({
      ...EMPTY_SEARCH,
      filters: [{ kind: 'range', key: 'price', operator: '<=', value: 0.05 }],
    });
    expect(parseSearchParams(params('page=1.5')).page).toBe(1);
    expect(parseSearchParams(params('page=1001')).page).toBe(1);
  });

  it('joins repeated filter parameters and drops duplicates', () => {
    const state = parseSearchParams(
      params('filter=region:eu-central&filter=region:eu-west,region:eu-central'),
    );
    expect(state.filters.map(formatFilter)).toEqual(['region:eu-central', 'region:eu-west']);
  });

  it('writes the state back with defaults left out, in a stable order', () => {
    expect(searchQueryString(EMPTY_SEARCH)).toBe('');
    const state: SearchState = {
      q: 'postgres',
      category: 'databases',
      filters: [
        { kind: 'value', key: 'managed', value: 'true' },
        { kind: 'range', key: 'price', operator: '<=', value: 0.05 },
      ],
      sort: 'name_asc',
      page: 3,
    };
    expect(searchParamsOf(state).toString()).toBe(
      'q=postgres&category=databases&filter=managed%3Atrue%2Cprice%3C%3D0.05&sort=name_asc&page=3',
    );
    // round trip
    expect(parseSearchParams(searchParamsOf(state))).toEqual(state);
  });

  it('adds the page size, currency and locale for the API', () => {
    expect(
      apiParamsOf(withText(EMPTY_SEARCH, 'mail'), { pageSize: 12, currency: 'USD', locale: 'de' }).toString(),
    ).toBe('q=mail&pageSize=12&currency=USD&locale=de');
  });
});

describe('changing the search', () => {
  const onPage3: SearchState = { ...EMPTY_SEARCH, q: 'server', page: 3 };

  it('starts at page 1 after any change but paging', () => {
    expect(withText(onPage3, '  backup ')).toMatchObject({ q: 'backup', page: 1 });
    expect(withCategory(onPage3, 'compute')).toMatchObject({ category: 'compute', page: 1 });
    expect(withSort(onPage3, 'price_desc')).toMatchObject({ sort: 'price_desc', page: 1 });
    expect(toggleValue(onPage3, 'region', 'eu-west', true).page).toBe(1);
    expect(withPage(onPage3, 4).page).toBe(4);
    expect(withPage(onPage3, 0).page).toBe(1);
  });

  it('checks and unchecks facet values', () => {
    const one = toggleValue(EMPTY_SEARCH, 'region', 'eu-central', true);
    const two = toggleValue(one, 'region', 'eu-west', true);
    expect(two.filters.map(formatFilter)).toEqual(['region:eu-central', 'region:eu-west']);
    expect(toggleValue(two, 'region', 'eu-west', true)).toEqual(two);
    const back = toggleValue(two, 'region', 'eu-central', false);
    expect(back.filters.map(formatFilter)).toEqual(['region:eu-west']);
    expect(withoutFilters(two).filters).toEqual([]);
  });

  it('sets and reads range bounds; an empty bound is no bound', () => {
    const state = withRange(EMPTY_SEARCH, 'price', { from: 0.01, to: 0.05 });
    expect(state.filters.map(formatFilter)).toEqual(['price>=0.01', 'price<=0.05']);
    expect(rangeOf(state, 'price')).toEqual({ from: 0.01, to: 0.05 });
    const upper = withRange(state, 'price', { from: undefined, to: 0.1 });
    expect(upper.filters.map(formatFilter)).toEqual(['price<=0.1']);
    expect(rangeOf(parseSearchParams(params('filter=vcpu>2,vcpu<8')), 'vcpu')).toEqual({ from: 2, to: 8 });
  });

  it('changes one bound of a range box and keeps the other', () => {
    const state = withRange({ ...EMPTY_SEARCH, page: 2 }, 'vcpu', { from: 2, to: 8 });
    const lower = withBound(state, 'vcpu', 'from', 4);
    expect(lower.filters.map(formatFilter)).toEqual(['vcpu>=4', 'vcpu<=8']);
    expect(lower.page).toBe(1);
    expect(withBound(lower, 'vcpu', 'to', undefined).filters.map(formatFilter)).toEqual(['vcpu>=4']);
  });

  it('compares searches by their URL', () => {
    expect(sameSearch(parseSearchParams(params('q=a&page=1')), withText(EMPTY_SEARCH, 'a'))).toBe(true);
    expect(sameSearch(EMPTY_SEARCH, withText(EMPTY_SEARCH, 'a'))).toBe(false);
  });
});

describe('small parsers', () => {
  it('offers every sort the API knows, each with a name', () => {
    expect(SORTS.map((option) => option.value)).toEqual([...SEARCH_SORTS]);
    expect(SORTS.every((option) => option.label.length > 0)).toBe(true);
    for (const sort of SEARCH_SORTS) expect(parseSearchParams(params(`sort=${sort}`)).sort).toBe(sort);
  });

  it('reads typed bounds', () => {
    expect(parseBound('')).toBeUndefined();
    expect(parseBound(' 0,05 ')).toBe(0.05);
    expect(parseBound('abc')).toBeUndefined();
  });

  it('lists pages with gaps', () => {
    expect(pageList(1, 3)).toEqual([1, 2, 3]);
    expect(pageList(5, 10)).toEqual([1, undefined, 4, 5, 6, undefined, 10]);
    expect(pageList(1, 10)).toEqual([1, 2, undefined, 10]);
  });
});

describe('filters in words', () => {
  it('use the facets’ labels when known', () => {
    const region = { kind: 'value', key: 'region', value: 'eu-central' } as const;
    expect(describeFilter(region, { region: 'Region' }, { 'region:eu-central': 'Frankfurt' })).toBe(
      'Region: Frankfurt',
    );
    expect(describeFilter({ kind: 'range', key: 'vcpu', operator: '>=', value: 4 })).toBe('vcpu ≥ 4');
    const state = parseSearchParams(params('filter=region:eu-central,vcpu>=4'));
    expect(withoutFilter(state, region).filters.map(formatFilter)).toEqual(['vcpu>=4']);
  });
});
