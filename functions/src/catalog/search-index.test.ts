import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogSettings, type Category, Product, pricedProductOf } from '#shared/catalog/catalog.ts';
import { compilePricing } from '#shared/catalog/compile.ts';
import { demoCatalogSettings, demoCategories, demoProducts } from '#shared/catalog/demo-catalog.ts';
import { decimal } from '#shared/catalog/money.ts';
import { quote } from '#shared/catalog/quote.ts';
import { type Facet, SearchQuery, type SearchResult } from '#shared/catalog/search.ts';
import { ValidationError } from '#shared/errors.ts';
import { buildSearchIndex, type SearchIndex, type SearchIndexInput } from './search-index.ts';

const NOW = '2025-09-01T10:00:00.000Z';

type Spec = {
  id: string;
  name: string | Record<string, string>;
  status?: 'draft' | 'published' | 'retired';
  kind?: 'saas' | 'paas' | 'iaas';
  summary?: string | Record<string, string>;
  description?: string;
  keywords?: string[];
  categoryIds?: string[];
  attributes?: Record<string, string | number | boolean>;
  /** Hourly price by currency (the base rate; the vCPU dimension is free). None: not priced. */
  prices?: Record<string, string>;
  vcpu?: [number, number];
};

const text = (value: string | Record<string, string>) => (typeof value === 'string' ? { en: value } : value);

function product(spec: Spec): Product {
  const dimensions = spec.vcpu
    ? [
        {
          key: 'vcpu',
          label: 'vCPU',
          unit: 'vCPU',
          min: spec.vcpu[0],
          max: spec.vcpu[1],
          step: 1,
          default: spec.vcpu[0],
          control: 'slider' as const,
        },
      ]
    : [];
  return Product.parse({
    id: `prd_${spec.id}`,
    slug: spec.id.replaceAll('_', '-'),
    kind: spec.kind ?? 'iaas',
    name: text(spec.name),
    ...(spec.summary ? { summary: text(spec.summary) } : {}),
    ...(spec.description ? { description: { en: spec.description } } : {}),
    categoryIds: spec.categoryIds ?? ['other'],
    attributes: spec.attributes ?? {},
    keywords: spec.keywords ?? [],
    images: [{ url: `/images/${spec.id}.svg`, alt: spec.id }],
    dimensions,
    options: [],
    prices: Object.fromEntries(
      Object.entries(spec.prices ?? {}).map(([currency, baseRate]) => [
        currency,
        {
          baseRate,
          setupFee: '0.00',
          dimensions: spec.vcpu ? { vcpu: { model: 'perUnit', unitPrice: '0' } } : {},
          options: {},
        },
      ]),
    ),
    presets: [],
    status: spec.status ?? 'published',
    revision: 1,
    createdAt: NOW,
    updatedAt: NOW,
  });
}

const settings: CatalogSettings = {
  sellerCountry: 'DE',
  currencies: ['EUR', 'USD'],
  attributes: [
    {
      key: 'region',
      label: { en: 'Region', de: 'Region' },
      type: 'enum',
      values: [
        { key: 'eu-central', label: { en: 'Frankfurt', de: 'Frankfurt am Main' } },
        { key: 'eu-west', label: { en: 'Dublin' } },
        { key: 'us-east', label: { en: 'Virginia' } },
      ],
      facet: true,
    },
    {
      key: 'os_family',
      label: { en: 'Operating system', de: 'Betriebssystem' },
      type: 'enum',
      values: [
        { key: 'linux', label: { en: 'Linux' } },
        { key: 'windows', label: { en: 'Windows' } },
      ],
      facet: true,
    },
    { key: 'managed', label: { en: 'Managed' }, type: 'boolean', facet: true },
    { key: 'sla_percent', label: { en: 'SLA' }, type: 'number', unit: '%', facet: true },
    { key: 'response_hours', label: { en: 'Response' }, type: 'number', facet: false },
    { key: 'cpu_model', label: { en: 'CPU' }, type: 'text', facet: false },
  ],
  synonyms: [
    ['vps', 'virtual server', 'vm'],
    ['postgres', 'postgresql', 'psql'],
  ],
};

const categories: Category[] = [
  { id: 'compute', parentId: null, name: { en: 'Compute', de: 'Rechenleistung' }, position: 0 },
  { id: 'servers', parentId: 'compute', name: { en: 'Servers' }, position: 0 },
  { id: 'virtual', parentId: 'servers', name: { en: 'Cloud machines' }, position: 0 },
  { id: 'databases', parentId: null, name: { en: 'Databases' }, position: 1 },
  { id: 'other', parentId: null, name: { en: 'Other things' }, position: 2 },
];

const catalog: Product[] = [
  product({
    id: 'virtual_server',
    name: { en: 'Virtual server', de: 'Virtueller Server' },
    summary: { en: 'KVM with dedicated vCPUs', de: 'KVM mit dedizierten vCPUs' },
    categoryIds: ['virtual'],
    attributes: {
      region: 'eu-central',
      os_family: 'linux',
      managed: false,
      sla_percent: 99.9,
      cpu_model: 'EPYC',
    },
    prices: { EUR: '0.0100', USD: '0.011' },
    vcpu: [1, 64],
  }),
  product({
    id: 'windows_box',
    name: 'Windows box',
    description: 'A windows instance in Dublin.',
    categoryIds: ['servers'],
    attributes: { region: 'eu-west', os_family: 'windows', managed: false, sla_percent: 99.5 },
    prices: { EUR: '0.05', USD: '0.06' },
    vcpu: [2, 4],
  }),
  product({
    id: 'postgres',
    name: 'Managed PostgreSQL',
    kind: 'paas',
    keywords: ['sql'],
    categoryIds: ['databases'],
    attributes: { region: 'eu-central', managed: true, sla_percent: 99.95, response_hours: 4 },
    prices: { EUR: '0.0500000001', USD: '0.07' },
    vcpu: [2, 16],
  }),
  product({
    id: 'mail',
    name: 'Mail suite',
    kind: 'saas',
    summary: 'Mailboxes for your team, not a virtual server',
    categoryIds: ['other'],
    attributes: { region: 'us-east', managed: true },
    prices: { EUR: '0.049' },
  }),
  product({
    id: 'draft_server',
    name: 'Virtual server draft',
    status: 'draft',
    categoryIds: ['virtual'],
    attributes: { region: 'eu-central' },
    prices: { EUR: '0.001', USD: '0.001' },
  }),
  product({
    id: 'retired_server',
    name: 'Retired virtual server',
    status: 'retired',
    categoryIds: ['virtual'],
    attributes: { region: 'eu-central' },
    prices: { EUR: '0.001', USD: '0.001' },
  }),
];

/** An index of the products, with this file's categories and settings unless given. */
const indexOf = (products: Product[], more: Partial<SearchIndexInput> = {}): SearchIndex =>
  buildSearchIndex({ products, categories, settings, version: 1, defaultLocale: 'en', ...more });

const index = indexOf(catalog, { version: 3 });

const search = (query: Record<string, unknown>, on: SearchIndex = index): SearchResult =>
  on.search(SearchQuery.parse(query));
const slugs = (result: SearchResult) => result.items.map((item) => item.slug);
const sortedSlugs = (result: SearchResult) => slugs(result).sort();
const facet = (result: SearchResult, key: string): Facet => {
  const found = result.facets.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no facet ${key}`);
  return found;
};
const counts = (result: SearchResult, key: string) => {
  const found = facet(result, key);
  if (found.type !== 'values') throw new Error(`${key} is a range facet`);
  return Object.fromEntries(found.values.map((value) => [value.value, value.count]));
};
const errorOf = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('text matching', () => {
  it('finds words as typed, in names, summaries, descriptions, keywords, categories and attribute labels', () => {
    expect(sortedSlugs(search({ q: 'windows' }))).toEqual(['windows-box']);
    expect(sortedSlugs(search({ q: 'dedizierten' }))).toEqual(['virtual-server']); // German summary
    expect(sortedSlugs(search({ q: 'dublin' }))).toEqual(['windows-box']); // description and region label
    expect(sortedSlugs(search({ q: 'sql' }))).toEqual(['postgres']); // keyword
    expect(sortedSlugs(search({ q: 'cloud machines' }))).toEqual(['virtual-server']); // category name
    expect(sortedSlugs(search({ q: 'compute' }))).toEqual(['virtual-server', 'windows-box']); // ancestor
    expect(sortedSlugs(search({ q: 'frankfurt' }))).toEqual(['postgres', 'virtual-server']); // enum label
    expect(sortedSlugs(search({ q: 'epyc' }))).toEqual(['virtual-server']); // text attribute
    expect(search({ q: 'virtual server' }).interpretedAs).toBeUndefined();
  });

  it('needs every word of the query (stop words aside)', () => {
    expect(sortedSlugs(search({ q: 'windows box' }))).toEqual(['windows-box']);
    expect(sortedSlugs(search({ q: 'windows mail' }))).toEqual([]);
    expect(sortedSlugs(search({ q: 'mailboxes for team' }))).toEqual(['mail']);
  });

  it('tolerates one typo from 4 letters and two from 8, and says how it read the query', () => {
    const servr = search({ q: 'servr' });
    expect(slugs(servr)).toContain('virtual-server');
    expect(servr.interpretedAs).toBe('server');
    const virtal = search({ q: 'virtal server' });
    expect(slugs(virtal)[0]).toBe('virtual-server');
    expect(virtal.interpretedAs).toBe('virtual server');
    expect(slugs(search({ q: 'wnidows' }))).toEqual(['windows-box']); // swapped letters count once
    const twoTypos = search({ q: 'postgrsqk' }); // 9 letters, 2 typos
    expect(slugs(twoTypos)).toEqual(['postgres']);
    expect(twoTypos.interpretedAs).toBe('postgresql');
    expect(search({ q: 'wndwos' }).total).toBe(0); // 6 letters, 2 typos: too many
    expect(search({ q: 'sqk' }).total).toBe(0); // 3 letters: typed as is
  });

  it('matches the last word as a prefix (search as you type), the others whole', () => {
    const typing = search({ q: 'postgre' });
    expect(slugs(typing)).toEqual(['postgres']);
    expect(typing.interpretedAs).toBeUndefined(); // a prefix is as typed
    expect(slugs(search({ q: 'mail sui' }))).toEqual(['mail']);
    expect(slugs(search({ q: 'wind' }))).toEqual(['windows-box']);
    expect(search({ q: 'sui mail' }).total).toBe(0);
  });

  it("finds a synonym group's terms through each other, multi-word terms included", () => {
    const vps = product({ id: 'cheap_vps', name: 'Cheap VPS' });
    const virtualServer = product({ id: 'virtual_box', name: 'Virtual server box' });
    const both = indexOf([vps, virtualServer]);

    expect(sortedSlugs(search({ q: 'vps' }, both))).toEqual(['cheap-vps', 'virtual-box']);
    expect(sortedSlugs(search({ q: 'virtual server' }, both))).toEqual(['cheap-vps', 'virtual-box']);
    expect(sortedSlugs(search({ q: 'vm' }, both))).toEqual(['cheap-vps', 'virtual-box']);
    expect(search({ q: 'vps' }, both).interpretedAs).toBeUndefined(); // found as typed too
    expect(slugs(search({ q: 'vps' }, both))[0]).toBe('cheap-vps'); // as typed ranks first

    const onlyVps = indexOf([vps]);
    const found = search({ q: 'virtual server' }, onlyVps);
    expect(slugs(found)).toEqual(['cheap-vps']);
    expect(found.interpretedAs).toBe('vps');
    const onlyVirtual = indexOf([virtualServer]);
    expect(search({ q: 'vps' }, onlyVirtual).interpretedAs).toBe('virtual server');
    // the words of a multi-word term must stand together to count as that term
    const apart = indexOf([product({ id: 'apart', name: 'Server, not virtual' })]);
    expect(search({ q: 'vps' }, apart).total).toBe(0);
    expect(search({ q: 'virtual server' }, apart).total).toBe(1); // but the words still match
  });

  it('ranks a name match above a match elsewhere', () => {
    // "virtual server" is the virtual server's name and only the mail suite's summary
    expect(slugs(search({ q: 'virtual server' }))).toEqual(['virtual-server', 'mail']);
    expect(slugs(search({ q: 'windows' }))).toEqual(['windows-box']);
  });

  it('ranks a match as typed above a match with a typo', () => {
    const near = indexOf([
      product({ id: 'main_frame', name: 'Main frame' }),
      product({ id: 'mail_relay', name: 'Mail relay' }),
    ]);
    const result = search({ q: 'mail' }, near);
    expect(slugs(result)).toEqual(['mail-relay', 'main-frame']); // "main" is one typo from "mail"
    expect(result.interpretedAs).toBeUndefined();
  });

  it('makes zero results obvious', () => {
    const none = search({ q: 'xylophone' });
    expect(none).toMatchObject({ total: 0, items: [] });
    expect(none.interpretedAs).toBeUndefined();
    expect(search({ q: '!!!' }).total).toBe(4); // no words: no text condition
  });
});

describe('an empty catalog', () => {
  it('answers every search with nothing', () => {
    const empty = indexOf([], { version: 9 });
    const result = search({ q: 'server', sort: 'price_asc', filter: 'region:eu-central' }, empty);
    expect(result).toMatchObject({ total: 0, items: [], catalogVersion: 9 });
    expect(result.categoryCounts.compute).toBe(0);
    expect(result.facets.map((found) => found.key)).toEqual(['region', 'os_family', 'managed', 'kind']);
  });
});

describe('unpublished products', () => {
  it('never appear: not in results, facet counts, category counts or prices', () => {
    const all = search({ pageSize: 100 });
    expect(all.total).toBe(4);
    expect(slugs(search({ q: 'draft' }))).toEqual([]);
    expect(slugs(search({ q: 'retired' }))).toEqual([]);
    expect(counts(all, 'region')).toEqual({ 'eu-central': 2, 'eu-west': 1, 'us-east': 1 });
    expect(all.categoryCounts.virtual).toBe(1);
    expect(slugs(search({ filter: 'price<0.01' }))).toEqual([]);
    expect(index.size).toBe(4);
  });
});

describe('category filter', () => {
  it('holds the category and everything under it, at any depth', () => {
    expect(sortedSlugs(search({ category: 'compute' }))).toEqual(['virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ category: 'servers' }))).toEqual(['virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ category: 'virtual' }))).toEqual(['virtual-server']);
    expect(search({ category: 'no-such-category' }).total).toBe(0);
  });

  it('counts per category without the category filter, with text and filters', () => {
    const result = search({ category: 'virtual', filter: 'managed:false' });
    expect(result.categoryCounts).toEqual({ compute: 2, servers: 2, virtual: 1, databases: 0, other: 0 });
    expect(search({ q: 'windows' }).categoryCounts).toMatchObject({ compute: 1, servers: 1, other: 0 });
    // "server" also finds what sits in the category "Servers" (one typo: servers)
    expect(search({ q: 'server' }).categoryCounts).toMatchObject({ compute: 2, other: 1, databases: 0 });
  });
});

describe('filters', () => {
  it('filters by enum and boolean attributes and by kind', () => {
    expect(sortedSlugs(search({ filter: 'region:eu-central' }))).toEqual(['postgres', 'virtual-server']);
    expect(sortedSlugs(search({ filter: 'managed:true' }))).toEqual(['mail', 'postgres']);
    expect(sortedSlugs(search({ filter: 'managed:false' }))).toEqual(['virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'kind:saas' }))).toEqual(['mail']);
    expect(search({ filter: 'region:mars' }).total).toBe(0);
  });

  it('ORs values of one key and ANDs different keys', () => {
    expect(sortedSlugs(search({ filter: 'region:eu-west,region:us-east' }))).toEqual(['mail', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'region:eu-west,region:us-east,managed:true' }))).toEqual(['mail']);
    expect(sortedSlugs(search({ filter: 'kind:paas,kind:saas,region:eu-central' }))).toEqual(['postgres']);
  });

  it('filters number attributes by range and value; every range of a key holds', () => {
    expect(sortedSlugs(search({ filter: 'sla_percent>=99.9' }))).toEqual(['postgres', 'virtual-server']);
    expect(sortedSlugs(search({ filter: 'sla_percent>99.9' }))).toEqual(['postgres']);
    expect(sortedSlugs(search({ filter: 'sla_percent<99.9' }))).toEqual(['windows-box']);
    expect(sortedSlugs(search({ filter: 'sla_percent>=99.5,sla_percent<=99.9' }))).toEqual([
      'virtual-server',
      'windows-box',
    ]);
    expect(sortedSlugs(search({ filter: 'sla_percent:99.5' }))).toEqual(['windows-box']);
    expect(sortedSlugs(search({ filter: 'response_hours<=4' }))).toEqual(['postgres']); // not a facet, still a filter
  });

  it('filters capacity dimensions by what the product can be configured to', () => {
    // vCPU ranges: virtual server 1–64, windows box 2–4, postgres 2–16, mail none
    // Products with vCPU span 1–64 (virtual-server), 2–4 and 2–16: the facet shows what can be chosen,
    // bounded by the other filters but not by its own.
    expect(facet(search({}), 'vcpu')).toMatchObject({ type: 'range', min: 1, max: 64 });
    expect(facet(search({ filter: 'vcpu>=8' }), 'vcpu')).toMatchObject({ min: 1, max: 64, from: 8 });
    expect(facet(search({ filter: 'region:eu-west' }), 'vcpu')).toMatchObject({ min: 2, max: 4 });
    expect(sortedSlugs(search({ filter: 'vcpu>=8' }))).toEqual(['postgres', 'virtual-server']);
    expect(sortedSlugs(search({ filter: 'vcpu>=4' }))).toEqual(['postgres', 'virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'vcpu>4' }))).toEqual(['postgres', 'virtual-server']);
    expect(sortedSlugs(search({ filter: 'vcpu<=1' }))).toEqual(['virtual-server']);
    expect(sortedSlugs(search({ filter: 'vcpu<2' }))).toEqual(['virtual-server']);
    expect(sortedSlugs(search({ filter: 'vcpu>=20,vcpu<=2' }))).toEqual(['virtual-server']); // reaches both
    expect(sortedSlugs(search({ filter: 'vcpu:3' }))).toEqual(['postgres', 'virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'vcpu:32' }))).toEqual(['virtual-server']);
  });

  it('filters the hourly "from" price in the currency, exactly as decimals', () => {
    // EUR: virtual server 0.0100, windows box 0.05, postgres 0.0500000001, mail 0.049
    expect(sortedSlugs(search({ filter: 'price<=0.05' }))).toEqual(['mail', 'virtual-server', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'price<0.05' }))).toEqual(['mail', 'virtual-server']);
    expect(sortedSlugs(search({ filter: 'price>=0.05' }))).toEqual(['postgres', 'windows-box']);
    expect(sortedSlugs(search({ filter: 'price>0.05' }))).toEqual(['postgres']);
    expect(sortedSlugs(search({ filter: 'price>=0.01,price<0.05' }))).toEqual(['mail', 'virtual-server']);
    // USD: the mail suite has no USD price and never matches a USD price filter
    expect(sortedSlugs(search({ filter: 'price<=0.06', currency: 'USD' }))).toEqual([
      'virtual-server',
      'windows-box',
    ]);
    expect(sortedSlugs(search({ filter: 'price>=0', currency: 'USD' }))).not.toContain('mail');
  });

  it('rejects an unknown filter key with the valid keys (a 400, not a 500)', () => {
    const error = errorOf(() => search({ filter: 'colour:red' }));
    expect(error.code).toBe('unknown_filter');
    expect(error.kind).toBe('validation');
    const [issue] = error.details as { key: string; validKeys: string[] }[];
    expect(issue?.key).toBe('colour');
    expect(index.filterKeys).toEqual(issue?.validKeys);
    expect(issue?.validKeys).toEqual([
      'kind',
      'managed',
      'os_family',
      'price',
      'region',
      'response_hours',
      'sla_percent',
      'vcpu',
    ]);
    expect(error.message).toContain('region');
    expect(errorOf(() => search({ filter: 'cpu_model:EPYC' })).code).toBe('unknown_filter'); // text attribute
  });

  it('rejects a filter that does not fit its key, and a currency the store does not sell in', () => {
    expect(errorOf(() => search({ filter: 'region>=2' })).code).toBe('invalid_filter');
    expect(errorOf(() => search({ filter: 'managed:maybe' })).code).toBe('invalid_filter');
    expect(errorOf(() => search({ filter: 'kind:cloud' })).code).toBe('invalid_filter');
    expect(errorOf(() => search({ filter: 'vcpu:many' })).code).toBe('invalid_filter');
    expect(errorOf(() => search({ filter: 'price:cheap' })).code).toBe('invalid_filter');
    expect(errorOf(() => search({ currency: 'JPY' })).code).toBe('currency_not_offered');
  });
});

describe('facets', () => {
  it('lists every facet attribute, kind and price, in the query language', () => {
    const result = search({ locale: 'de' });
    expect(result.facets.map((found) => `${found.type}:${found.key}`)).toEqual([
      'values:region',
      'values:os_family',
      'values:managed',
      'range:sla_percent',
      'range:vcpu',
      'values:kind',
      'range:price',
    ]);
    expect(facet(result, 'os_family').label).toBe('Betriebssystem');
    expect(facet(result, 'region')).toMatchObject({
      values: [
        { value: 'eu-central', label: 'Frankfurt am Main', count: 2, selected: false },
        { value: 'eu-west', label: 'Dublin', count: 1, selected: false }, // no German label: the store's
        { value: 'us-east', label: 'Virginia', count: 1, selected: false },
      ],
    });
    expect(facet(result, 'managed')).toMatchObject({
      values: [
        { value: 'true', label: 'Ja', count: 2 },
        { value: 'false', label: 'Nein', count: 2 },
      ],
    });
    expect(facet(result, 'sla_percent')).toEqual({
      type: 'range',
      key: 'sla_percent',
      label: 'SLA',
      unit: '%',
      min: 99.5,
      max: 99.95,
    });
    expect(facet(result, 'price')).toMatchObject({ min: 0.01, max: 0.0500000001, unit: 'EUR/h' });
  });

  it('counts each facet without its own selection (so alternatives stay visible), with all other filters', () => {
    const result = search({ filter: 'region:eu-central,managed:false' });
    expect(sortedSlugs(result)).toEqual(['virtual-server']);
    // region counts ignore region:eu-central but keep managed:false
    expect(counts(result, 'region')).toEqual({ 'eu-central': 1, 'eu-west': 1, 'us-east': 0 });
    // managed counts ignore managed:false but keep region:eu-central
    expect(counts(result, 'managed')).toEqual({ true: 1, false: 1 });
    expect(counts(result, 'kind')).toEqual({ saas: 0, paas: 0, iaas: 1 });
    const region = facet(result, 'region');
    expect(
      region.type === 'values' && region.values.filter((value) => value.selected).map((v) => v.value),
    ).toEqual(['eu-central']);
  });

  it('gives range facets the bounds over everything else and the selected bounds', () => {
    const result = search({ filter: 'sla_percent>=99.5,price<=0.05,price>=0.02' });
    expect(sortedSlugs(result)).toEqual(['windows-box']);
    // SLA bounds ignore the SLA filter: products priced 0.02–0.05 EUR with an SLA (the mail suite has none)
    expect(facet(result, 'sla_percent')).toMatchObject({ min: 99.5, max: 99.5, from: 99.5 });
    // price bounds ignore the price filter: products with an SLA of 99.5 or more
    expect(facet(result, 'price')).toMatchObject({ min: 0.01, max: 0.0500000001, from: 0.02, to: 0.05 });
    // nothing left: the bounds of the whole catalog, so the slider stays usable
    expect(facet(search({ filter: 'sla_percent>=99.5,kind:saas' }), 'sla_percent')).toMatchObject({
      min: 99.5,
      max: 99.95,
    });
  });

  it('keeps a capacity facet when no match has the dimension, with the bounds over the catalog', () => {
    // the mail suite is the only SaaS product and has no vCPU; the selection must stay visible to undo it
    const none = search({ filter: 'kind:saas,vcpu>=8' });
    expect(none.total).toBe(0);
    expect(facet(none, 'vcpu')).toMatchObject({ type: 'range', min: 1, max: 64, from: 8 });
    expect(facet(search({ filter: 'kind:saas' }), 'vcpu')).toMatchObject({ min: 1, max: 64 });
  });

  it('counts over the text and the category', () => {
    const result = search({ q: 'linux', category: 'compute' });
    expect(counts(result, 'region')).toEqual({ 'eu-central': 1, 'eu-west': 0, 'us-east': 0 });
  });
});

describe('sorting and paging', () => {
  it('sorts by price either way, products without a price in the currency last', () => {
    expect(slugs(search({ sort: 'price_asc' }))).toEqual([
      'virtual-server',
      'mail',
      'windows-box',
      'postgres',
    ]);
    expect(slugs(search({ sort: 'price_desc' }))).toEqual([
      'postgres',
      'windows-box',
      'mail',
      'virtual-server',
    ]);
    expect(slugs(search({ sort: 'price_asc', currency: 'USD' }))).toEqual([
      'virtual-server',
      'windows-box',
      'postgres',
      'mail',
    ]);
    expect(slugs(search({ sort: 'price_desc', currency: 'USD' })).at(-1)).toBe('mail');
  });

  it('sorts by name in the query language (collation, not code points)', () => {
    const names = [
      product({ id: 'zebra', name: { en: 'Zebra', de: 'Zebra' } }),
      product({ id: 'apple', name: { en: 'apple', de: 'Äpfel' } }),
      product({ id: 'banana', name: { en: 'Banana', de: 'Banane' } }),
      product({ id: 'server10', name: { en: 'Server 10' } }),
      product({ id: 'server9', name: { en: 'Server 9' } }),
    ];
    const byName = indexOf(names);
    expect(slugs(search({ sort: 'name_asc' }, byName))).toEqual([
      'apple',
      'banana',
      'server9',
      'server10',
      'zebra',
    ]);
    expect(slugs(search({ sort: 'name_desc' }, byName))).toEqual([
      'zebra',
      'server10',
      'server9',
      'banana',
      'apple',
    ]);
    expect(search({ sort: 'name_asc', locale: 'de' }, byName).items.map((item) => item.name)).toEqual([
      'Äpfel',
      'Banane',
      'Server 9',
      'Server 10',
      'Zebra',
    ]);
    // without text, relevance is name order
    expect(slugs(search({}, byName))).toEqual(slugs(search({ sort: 'name_asc' }, byName)));
  });

  it('pages through the results with the total of all pages', () => {
    const first = search({ sort: 'price_asc', pageSize: 3 });
    const second = search({ sort: 'price_asc', pageSize: 3, page: 2 });
    expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(slugs(first)).toEqual(['virtual-server', 'mail', 'windows-box']);
    expect(slugs(second)).toEqual(['postgres']);
    expect(search({ page: 3, pageSize: 3 })).toMatchObject({ total: 4, items: [] });
  });

  it('pages a large result the same way whether the page is picked or all are sorted', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      product({ id: `p${i}`, name: `Item ${(i * 7919) % 300}`, prices: { EUR: `0.${(i * 31) % 97}` } }),
    );
    const large = indexOf(many);
    for (const sort of ['name_asc', 'name_desc', 'price_asc', 'price_desc']) {
      const everything = slugs(search({ sort, pageSize: 100 }, large))
        .concat(slugs(search({ sort, pageSize: 100, page: 2 }, large)))
        .concat(slugs(search({ sort, pageSize: 100, page: 3 }, large)));
      const pages = Array.from({ length: 30 }, (_, page) =>
        slugs(search({ sort, pageSize: 10, page: page + 1 }, large)),
      );
      expect(pages.flat()).toEqual(everything);
      expect(new Set(everything).size).toBe(300);
    }
  });
});

describe('product summaries', () => {
  it('are localised, with their first image and the "from" price in the currency', () => {
    const [item] = search({ q: 'virtual server', locale: 'de-AT', currency: 'USD' }).items;
    expect(item).toEqual({
      id: 'prd_virtual_server',
      slug: 'virtual-server',
      kind: 'iaas',
      name: 'Virtueller Server', // de-AT falls back to de
      summary: 'KVM mit dedizierten vCPUs',
      categoryIds: ['virtual'],
      attributes: {
        region: 'eu-central',
        os_family: 'linux',
        managed: false,
        sla_percent: 99.9,
        cpu_model: 'EPYC',
      },
      image: { url: '/images/virtual_server.svg', alt: 'virtual_server' },
      priceFrom: { currency: 'USD', hourly: '0.011', monthly: '8.03' },
    });
    const [french] = search({ q: 'virtual server', locale: 'fr' }).items;
    expect(french?.name).toBe('Virtual server'); // no French: the store's language
    expect(search({ q: 'mail', currency: 'USD' }).items[0]?.priceFrom).toBeUndefined();
    expect(search({}).catalogVersion).toBe(3);
  });

  it('price the cheapest configuration like the pricing engine does', () => {
    const products = demoProducts.map((draft, i) =>
      Product.parse({
        ...draft,
        id: `prd_demo_${i}`,
        status: 'published',
        revision: 1,
        createdAt: NOW,
        updatedAt: NOW,
      }),
    );
    const demo = indexOf(products, { categories: demoCategories, settings: demoCatalogSettings });
    const server = products.find((candidate) => candidate.slug === 'virtual-server') as Product;
    const pricing = compilePricing(pricedProductOf(server));
    const minimum = Object.fromEntries(server.dimensions.map((dimension) => [dimension.key, dimension.min]));
    const expected = quote(pricing, { dimensions: minimum }, { currency: 'EUR', sellerCountry: 'DE' });
    const [item] = search({ q: 'virtal servr' }, demo).items;
    expect(item?.slug).toBe('virtual-server');
    expect(item?.priceFrom).toEqual({
      currency: 'EUR',
      hourly: expected.hourly,
      monthly: expected.monthlyEstimate,
    });
    // the demo's synonyms: a database search finds PostgreSQL
    expect(slugs(search({ q: 'database' }, demo))).toContain('managed-postgresql');
  });
});

describe('pricing', () => {
  it("prices with the caller's compiled products when it passes them, asking once per published product", () => {
    const asked: string[] = [];
    const withPricing = indexOf(catalog, {
      pricing: (each) => {
        asked.push(each.slug);
        // this caller could not compile the windows box: it is listed without a price
        return each.slug === 'windows-box' ? undefined : compilePricing(pricedProductOf(each));
      },
    });

    expect(asked.sort()).toEqual(['mail', 'postgres', 'virtual-server', 'windows-box']);
    const hourly = (on: SearchIndex) =>
      Object.fromEntries(
        search({ pageSize: 100 }, on).items.map((item) => [item.slug, item.priceFrom?.hourly]),
      );
    expect(hourly(withPricing)).toEqual({ ...hourly(index), 'windows-box': undefined });
    expect(hourly(index)['windows-box']).toBeDefined(); // compiled by the index itself
  });
});

// ————————————————————————————————————————— against a brute-force count

/** Words far apart (no typo or prefix reaches another), so exact containment is the expected match. */
const WORDS = ['alpha', 'kilo', 'tango', 'zulu'];
const COLORS = ['red', 'green', 'blue'];
const SIZES = ['small', 'large'];
const RATES = ['0.05', '0.0500000001', '0.049', '0.1', '0', '1.5'];
const TREE: Category[] = [
  { id: 'root', parentId: null, name: { en: 'Root' }, position: 0 },
  { id: 'left', parentId: 'root', name: { en: 'Left' }, position: 0 },
  { id: 'deep', parentId: 'left', name: { en: 'Deep' }, position: 0 },
  { id: 'right', parentId: null, name: { en: 'Right' }, position: 1 },
];
const propertySettings: CatalogSettings = {
  sellerCountry: 'DE',
  currencies: ['EUR'],
  synonyms: [],
  attributes: [
    {
      key: 'color',
      label: { en: 'Color' },
      type: 'enum',
      values: COLORS.map((key) => ({ key, label: { en: key } })),
      facet: true,
    },
    {
      key: 'size',
      label: { en: 'Size' },
      type: 'enum',
      values: SIZES.map((key) => ({ key, label: { en: key } })),
      facet: true,
    },
    { key: 'managed', label: { en: 'Managed' }, type: 'boolean', facet: true },
    { key: 'sla', label: { en: 'SLA' }, type: 'number', facet: true },
  ],
};

const productSpec = fc.record({
  words: fc.subarray(WORDS, { minLength: 1 }),
  status: fc.constantFrom('published', 'published', 'published', 'draft'),
  kind: fc.constantFrom('saas', 'paas', 'iaas'),
  category: fc.constantFrom('root', 'left', 'deep', 'right'),
  color: fc.option(fc.constantFrom(...COLORS)),
  size: fc.option(fc.constantFrom(...SIZES)),
  managed: fc.option(fc.boolean()),
  sla: fc.option(fc.constantFrom(99, 99.5, 99.9, 99.95)),
  rate: fc.option(fc.constantFrom(...RATES)),
  vcpu: fc.option(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 8 }))),
});
type ProductSpec = typeof productSpec extends fc.Arbitrary<infer T> ? T : never;

const operator = fc.constantFrom('>=', '<=', '>', '<');
const filterText = fc.oneof(
  fc.constantFrom(...COLORS, 'purple').map((value) => `color:${value}`),
  fc.constantFrom(...SIZES).map((value) => `size:${value}`),
  fc.constantFrom('true', 'false').map((value) => `managed:${value}`),
  fc.constantFrom('saas', 'paas', 'iaas').map((value) => `kind:${value}`),
  fc.tuple(operator, fc.constantFrom(99, 99.5, 99.9, 99.95)).map(([op, value]) => `sla${op}${value}`),
  fc.tuple(operator, fc.integer({ min: 0, max: 17 })).map(([op, value]) => `vcpu${op}${value}`),
  fc
    .tuple(operator, fc.constantFrom('0.05', '0.049', '0.1', '0', '2'))
    .map(([op, value]) => `price${op}${value}`),
);
const querySpec = fc.record({
  q: fc.option(fc.constantFrom(...WORDS)),
  category: fc.option(fc.constantFrom('root', 'left', 'deep', 'right')),
  filters: fc.array(filterText, { maxLength: 6 }),
});

type Filter = { key: string; op: string; value: string };

function toProduct(spec: ProductSpec, i: number): Product {
  return product({
    id: `x${i}`,
    name: spec.words.join(' '),
    status: spec.status,
    kind: spec.kind,
    categoryIds: [spec.category],
    attributes: {
      ...(spec.color === null ? {} : { color: spec.color }),
      ...(spec.size === null ? {} : { size: spec.size }),
      ...(spec.managed === null ? {} : { managed: spec.managed }),
      ...(spec.sla === null ? {} : { sla: spec.sla }),
    },
    ...(spec.rate === null ? {} : { prices: { EUR: spec.rate } }),
    ...(spec.vcpu === null ? {} : { vcpu: [spec.vcpu[0], spec.vcpu[0] + spec.vcpu[1]] as [number, number] }),
  });
}

const holds = (value: number, op: string, bound: number) =>
  op === '>=' ? value >= bound : op === '>' ? value > bound : op === '<=' ? value <= bound : value < bound;

/** The filter rules, written out plainly: one key's values are alternatives, its ranges all hold. */
function keyMatches(spec: ProductSpec, key: string, filters: Filter[]): boolean {
  const values = filters.filter((filter) => filter.op === ':').map((filter) => filter.value);
  const ranges = filters.filter((filter) => filter.op !== ':');
  if (key === 'kind') return values.includes(spec.kind);
  if (key === 'color' || key === 'size') return spec[key] !== null && values.includes(spec[key]);
  if (key === 'managed') return spec.managed !== null && values.includes(String(spec.managed));
  if (key === 'sla')
    return spec.sla !== null && ranges.every((r) => holds(spec.sla as number, r.op, Number(r.value)));
  if (key === 'vcpu') {
    if (spec.vcpu === null) return false;
    const [min, extra] = spec.vcpu;
    return ranges.every((r) => holds(r.op.startsWith('>') ? min + extra : min, r.op, Number(r.value)));
  }
  // price: compared as decimals
  if (spec.rate === null) return false;
  const rate = decimal(spec.rate);
  return ranges.every((r) => holds(rate.comparedTo(decimal(r.value)), r.op, 0));
}

const UNDER: Record<string, string[]> = {
  root: ['root', 'left', 'deep'],
  left: ['left', 'deep'],
  deep: ['deep'],
  right: ['right'],
};

describe('against a brute-force count over random catalogs', () => {
  it('finds the same products, facet counts, bounds and category counts', () => {
    fc.assert(
      fc.property(fc.array(productSpec, { minLength: 1, maxLength: 25 }), querySpec, (specs, query) => {
        const products = specs.map(toProduct);
        const random = indexOf(products, { categories: TREE, settings: propertySettings });
        const parsed = SearchQuery.parse({
          ...(query.q ? { q: query.q } : {}),
          ...(query.category ? { category: query.category } : {}),
          filter: query.filters.join(','),
          pageSize: 100,
        });
        // dimension keys are those of the published products
        if (
          query.filters.some((filter) => filter.startsWith('vcpu')) &&
          !specs.some((spec) => spec.status === 'published' && spec.vcpu !== null)
        ) {
          expect(errorOf(() => random.search(parsed)).code).toBe('unknown_filter');
          return;
        }
        const result = random.search(parsed);

        const filters: Filter[] = query.filters.map((text) => {
          const [, key, op, value] = /^([a-z]+)(:|>=|<=|>|<)(.*)$/.exec(text) as RegExpExecArray;
          return { key: key as string, op: op as string, value: value as string };
        });
        const keys = [...new Set(filters.map((filter) => filter.key))];
        const published = specs
          .map((spec, i) => ({ spec, i }))
          .filter(({ spec }) => spec.status === 'published');
        const textOk = (spec: ProductSpec) => !query.q || spec.words.includes(query.q);
        const categoryOk = (spec: ProductSpec) =>
          !query.category || (UNDER[query.category] ?? []).includes(spec.category);
        const filtersOk = (spec: ProductSpec, except?: string) =>
          keys.every(
            (key) =>
              key === except ||
              keyMatches(
                spec,
                key,
                filters.filter((f) => f.key === key),
              ),
          );

        const expected = published.filter(({ spec }) => textOk(spec) && categoryOk(spec) && filtersOk(spec));
        expect(result.total).toBe(expected.length);
        expect(sortedSlugs(result)).toEqual(expected.map(({ i }) => `x${i}`).sort());

        const othersOf = (key: string) =>
          published
            .filter(({ spec }) => textOk(spec) && categoryOk(spec) && filtersOk(spec, key))
            .map(({ spec }) => spec);
        for (const key of ['color', 'size', 'managed', 'kind']) {
          const others = othersOf(key);
          const attributeOf = (spec: ProductSpec) =>
            key === 'managed' ? String(spec.managed) : spec[key as 'kind'];
          for (const [value, count] of Object.entries(counts(result, key)))
            expect(count, `${key}:${value}`).toBe(
              others.filter((spec) => attributeOf(spec) === value).length,
            );
        }
        const boundsOf = (values: number[], all: number[]) =>
          values.length > 0
            ? [Math.min(...values), Math.max(...values)]
            : [Math.min(...all), Math.max(...all)];
        const slas = specs
          .filter((spec) => spec.status === 'published' && spec.sla !== null)
          .map((s) => s.sla as number);
        if (slas.length > 0) {
          const range = facet(result, 'sla');
          const bounds = boundsOf(
            othersOf('sla').flatMap((spec) => (spec.sla === null ? [] : [spec.sla])),
            slas,
          );
          expect(range.type === 'range' && [range.min, range.max]).toEqual(bounds);
        }
        const rates = specs
          .filter((s) => s.status === 'published' && s.rate !== null)
          .map((s) => Number(s.rate));
        if (rates.length > 0) {
          const range = facet(result, 'price');
          const bounds = boundsOf(
            othersOf('price').flatMap((spec) => (spec.rate === null ? [] : [Number(spec.rate)])),
            rates,
          );
          expect(range.type === 'range' && [range.min, range.max]).toEqual(bounds);
        }
        // capacity: from the smallest min to the largest max, of the catalog when no match has one
        const vcpus = published.flatMap(({ spec }) => (spec.vcpu === null ? [] : [spec.vcpu]));
        if (vcpus.length >= 2) {
          const matching = othersOf('vcpu').flatMap((spec) => (spec.vcpu === null ? [] : [spec.vcpu]));
          const over = matching.length > 0 ? matching : vcpus;
          const range = facet(result, 'vcpu');
          expect(range.type === 'range' && [range.min, range.max]).toEqual([
            Math.min(...over.map(([min]) => min)),
            Math.max(...over.map(([min, extra]) => min + extra)),
          ]);
        }
        for (const category of TREE) {
          const expectedCount = published.filter(
            ({ spec }) =>
              textOk(spec) && filtersOk(spec) && (UNDER[category.id] ?? []).includes(spec.category),
          ).length;
          expect(result.categoryCounts[category.id], category.id).toBe(expectedCount);
        }
      }),
      { numRuns: 300 },
    );
  });
});
