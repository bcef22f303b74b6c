import { describe, expect, it } from 'vitest';
import { demoCategories, demoProducts } from '#shared/catalog/demo-catalog.ts';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import { quote } from '#shared/catalog/quote.ts';
import {
  fetchProduct,
  fetchQuote,
  parseCategoryList,
  parseFacet,
  parseProductPage,
  parseQuote,
  parseSearchResult,
  searchCatalog,
} from './catalog.ts';
import { json, recorder, sent } from './testing.ts';

const stamp = '2026-11-23T10:00:00.000Z';
const pageOf = (draft: (typeof demoProducts)[number], index: number) => ({
  product: {
    ...draft,
    id: `prd_demo_${index}`,
    status: 'published',
    revision: 1,
    createdAt: stamp,
    updatedAt: stamp,
    publishedAt: stamp,
  },
  breadcrumb: demoCategories.slice(0, 1),
  attributes: [{ key: 'region', label: 'Region', value: 'Frankfurt' }],
  priceFrom: { currency: 'EUR', hourly: '0.021', monthly: '15.33' },
  currencies: ['EUR', 'USD'],
  sellerCountry: 'DE',
});

const searchBody = {
  items: [
    {
      id: 'prd_01',
      slug: 'virtual-server',
      kind: 'iaas',
      name: 'Virtual server',
      summary: 'A KVM virtual server.',
      categoryIds: ['virtual-servers'],
      attributes: { sla_percent: 99.9, region: 'eu-central', managed: false },
      image: { alt: 'A server', url: '/images/products/virtual-server.svg' },
      priceFrom: { currency: 'EUR', hourly: '0.021', monthly: '15.33' },
    },
  ],
  total: 1,
  page: 1,
  pageSize: 12,
  facets: [
    {
      type: 'values',
      key: 'region',
      label: 'Region',
      values: [{ value: 'eu-central', label: 'Frankfurt', count: 1, selected: true }],
    },
    { type: 'range', key: 'price', label: 'Price per hour', unit: 'EUR/h', min: 0.021, max: 0.021, to: 0.05 },
  ],
  categoryCounts: { compute: 1, servers: 1 },
  interpretedAs: 'virtual server',
  catalogVersion: 36,
};

describe('catalog parsers', () => {
  it('read the category list', () => {
    const list = parseCategoryList({ items: demoCategories, catalogVersion: 3 });
    expect(list?.items).toHaveLength(demoCategories.length);
    expect(
      parseCategoryList({ items: [{ id: 'x', parentId: 5, name: { en: 'X' } }], catalogVersion: 1 }),
    ).toBeUndefined();
    expect(
      parseCategoryList({ items: [{ id: 'x', parentId: null, name: {} }], catalogVersion: 1 }),
    ).toBeUndefined();
  });

  it('read a search result with facets and the interpretation', () => {
    expect(parseSearchResult(searchBody)).toEqual(searchBody);
    expect(parseSearchResult({ ...searchBody, total: '1' })).toBeUndefined();
    expect(parseSearchResult({ ...searchBody, categoryCounts: { a: 'x' } })).toBeUndefined();
    expect(parseFacet({ type: 'tree', key: 'a', label: 'A' })).toBeUndefined();
  });

  it('read every demo product as a product page (defaults filled in)', () => {
    demoProducts.forEach((draft, index) => {
      const page = parseProductPage(pageOf(draft, index));
      expect(page?.product.slug, draft.slug).toBe(draft.slug);
      for (const input of page?.product.inputs ?? []) expect(typeof input.required).toBe('boolean');
      expect(page?.product.configurator.type).toBe(draft.configurator?.type ?? 'generic');
    });
  });

  it('reject a product page that is not one', () => {
    const [first] = demoProducts;
    if (!first) throw new Error('no demo products');
    const good = pageOf(first, 0);
    expect(parseProductPage({ ...good, currencies: [] })).toBeUndefined();
    expect(
      parseProductPage({ ...good, product: { ...good.product, dimensions: [{ key: 'x' }] } }),
    ).toBeUndefined();
    expect(
      parseProductPage({ ...good, product: { ...good.product, prices: { EUR: { baseRate: 1 } } } }),
    ).toBeUndefined();
    expect(parseProductPage('<html>')).toBeUndefined();
  });

  it('read the engine’s quote as the server sends it', () => {
    const body = JSON.parse(
      JSON.stringify(
        quote(virtualServer, { dimensions: { vcpu: 4 } }, { currency: 'EUR', sellerCountry: 'DE' }),
      ),
    );
    expect(parseQuote(body)).toEqual(body);
    expect(parseQuote({ ...body, hourly: 0.07 })).toBeUndefined();
    expect(parseQuote({ ...body, tax: { ...body.tax, rule: 'made_up' } })).toBeUndefined();
  });
});

describe('catalog calls', () => {
  it('search with the state’s parameters', async () => {
    const { calls, fetch } = recorder(() => json(200, searchBody));
    const result = await searchCatalog('demo', new URLSearchParams('q=vps&filter=region:eu-central'), {
      fetch,
    });
    expect(result.ok).toBe(true);
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/search?q=vps&filter=region%3Aeu-central');
  });

  it('give a 400 for a filter the catalog does not know as a problem', async () => {
    const { fetch } = recorder(() =>
      json(400, { error: { code: 'unknown_filter', message: 'no filter "colour"', details: [] } }),
    );
    const result = await searchCatalog('demo', new URLSearchParams('filter=colour:red'), { fetch });
    expect(result).toMatchObject({
      ok: false,
      problem: { kind: 'http', status: 400, code: 'unknown_filter' },
    });
  });

  it('fetch a product by slug and post a quote', async () => {
    const [first] = demoProducts;
    if (!first) throw new Error('no demo products');
    const products = recorder(() => json(200, pageOf(first, 0)));
    await fetchProduct('demo', 'virtual server', { fetch: products.fetch, locale: 'de' });
    expect(products.calls[0]?.url).toBe('/api/v1/stores/demo/products/virtual%20server?locale=de');

    const body = quote(virtualServer, {}, { currency: 'EUR', sellerCountry: 'DE' });
    const quotes = recorder(() => json(200, body));
    const result = await fetchQuote(
      'demo',
      'virtual-server',
      { configuration: { dimensions: { vcpu: 2 } }, currency: 'EUR' },
      { fetch: quotes.fetch },
    );
    expect(result.ok).toBe(true);
    expect(quotes.calls[0]?.init.method).toBe('POST');
    expect(sent(quotes.calls[0])).toEqual({
      configuration: { dimensions: { vcpu: 2 } },
      currency: 'EUR',
    });
  });
});
