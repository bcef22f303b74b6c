/**
 * The catalog search in process: a generated catalog of 10,000 products (seeded, so every run
 * searches the same catalog) — 50 categories in 3 levels, facets region (8 values), os_family (4)
 * and support_level (3), two number attributes, 3–6 priced capacity dimensions, EUR prices,
 * names and summaries in English and German — indexed once, then searched with a mix of what a
 * filter bar sends: words (some with typos, some half typed), up to 3 facet filters, a range
 * (vCPU, SLA or price), sometimes a category. Each search is timed on its own after a warm-up.
 */

import { buildSearchIndex } from '../functions/src/catalog/search-index.ts';
import type {
  AttributeDefinition,
  CatalogSettings,
  Category,
  Product,
} from '../shared/src/catalog/catalog.ts';
import type { PriceModel } from '../shared/src/catalog/product.ts';
import { SearchQuery } from '../shared/src/catalog/search.ts';
import type { Benchmark, Figure } from './harness.ts';

const PRODUCTS = 10_000;
const WARM_UP = 1_000;
const SAMPLES = 5_000;
const SEED = 20250901;

/** mulberry32: small, fast, good enough to make a catalog. */
function randomGenerator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], count: number): T[] => {
    const copy = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && copy.length > 0)
      chosen.push(copy.splice(int(0, copy.length - 1), 1)[0] as T);
    return chosen;
  };
  return { next, int, pick, some };
}
type Random = ReturnType<typeof randomGenerator>;

const REGIONS = [
  'eu-central',
  'eu-west',
  'eu-north',
  'eu-south',
  'us-east',
  'us-west',
  'ap-southeast',
  'ap-northeast',
];
const OS_FAMILIES = ['linux', 'windows', 'bsd', 'any'];
const SUPPORT_LEVELS = ['basic', 'business', 'enterprise'];

/** Product families: what their names are made of, and the dimensions they are sized by. */
const FAMILIES = [
  {
    category: 'Compute',
    de: 'Rechenleistung',
    nouns: ['server', 'instance', 'vps', 'machine', 'node', 'gpu', 'bare metal', 'container host'],
    dimensions: ['vcpu', 'ram_gb', 'disk_gb', 'public_ips', 'backup_gb', 'bandwidth_mbps'],
  },
  {
    category: 'Databases',
    de: 'Datenbanken',
    nouns: ['postgresql', 'mysql', 'mariadb', 'redis', 'mongodb', 'clickhouse', 'cluster', 'replica'],
    dimensions: ['vcpu', 'ram_gb', 'storage_gb', 'replicas', 'backup_gb'],
  },
  {
    category: 'Storage',
    de: 'Speicher',
    nouns: ['object storage', 'bucket', 'volume', 'file share', 'archive', 'backup vault'],
    dimensions: ['storage_gb', 'requests_k', 'egress_gb', 'retention_days'],
  },
  {
    category: 'Networking',
    de: 'Netzwerk',
    nouns: ['load balancer', 'firewall', 'vpn gateway', 'cdn', 'dns zone', 'private network'],
    dimensions: ['bandwidth_mbps', 'rules', 'public_ips', 'egress_gb'],
  },
  {
    category: 'Productivity',
    de: 'Produktivität',
    nouns: ['mail suite', 'mailbox', 'office', 'calendar', 'chat', 'video meetings'],
    dimensions: ['seats', 'storage_gb', 'archive_gb'],
  },
];
const ADJECTIVES = [
  'managed',
  'dedicated',
  'shared',
  'high memory',
  'compute optimised',
  'secure',
  'premium',
  'starter',
  'enterprise',
  'regional',
  'global',
  'burstable',
  'encrypted',
  'redundant',
  'scalable',
];
const SERIES = ['alpha', 'nova', 'atlas', 'orion', 'vega', 'lyra', 'titan', 'polar', 'zephyr', 'ember'];
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tor',
  'vex',
  'quin',
  'dal',
  'sor',
  'ith',
  'ur',
  'ben',
  'cal',
  'dra',
];

/** Realistic-looking words for summaries and descriptions: a vocabulary of a few thousand. */
function vocabulary(random: Random): string[] {
  const words = new Set<string>([
    'fast',
    'reliable',
    'hourly',
    'billing',
    'scale',
    'automatic',
    'backups',
    'monitoring',
    'alerts',
    'latency',
    'throughput',
    'compliance',
    'gdpr',
    'iso',
    'certified',
    'datacenter',
    'network',
    'storage',
    'nvme',
    'ssd',
    'api',
    'terraform',
    'kubernetes',
    'snapshots',
    'replication',
    'failover',
  ]);
  while (words.size < 3000)
    words.add(Array.from({ length: random.int(2, 4) }, () => random.pick(SYLLABLES)).join(''));
  return [...words];
}

const DIMENSIONS: Record<
  string,
  { unit: string; min: [number, number]; max: [number, number]; step: number }
> = {
  vcpu: { unit: 'vCPU', min: [1, 4], max: [8, 128], step: 1 },
  ram_gb: { unit: 'GB', min: [1, 8], max: [16, 1024], step: 1 },
  disk_gb: { unit: 'GB', min: [10, 40], max: [500, 8000], step: 10 },
  storage_gb: { unit: 'GB', min: [10, 100], max: [1000, 100000], step: 10 },
  public_ips: { unit: 'IP', min: [0, 1], max: [4, 16], step: 1 },
  backup_gb: { unit: 'GB', min: [0, 0], max: [1000, 8000], step: 10 },
  bandwidth_mbps: { unit: 'Mbit/s', min: [100, 500], max: [1000, 10000], step: 100 },
  replicas: { unit: 'replicas', min: [1, 2], max: [3, 9], step: 1 },
  requests_k: { unit: 'k requests', min: [0, 0], max: [1000, 100000], step: 100 },
  egress_gb: { unit: 'GB', min: [0, 0], max: [1000, 50000], step: 10 },
  retention_days: { unit: 'days', min: [1, 7], max: [30, 365], step: 1 },
  rules: { unit: 'rules', min: [1, 10], max: [50, 1000], step: 1 },
  seats: { unit: 'seats', min: [1, 5], max: [100, 5000], step: 1 },
  archive_gb: { unit: 'GB', min: [0, 0], max: [100, 10000], step: 10 },
};

const rate = (random: Random, scale: number) => (random.int(1, 9999) * scale).toFixed(10).replace(/0+$/, '');

function priceModel(random: Random): PriceModel {
  if (random.next() < 0.5) return { model: 'perUnit', unitPrice: rate(random, 0.000001) };
  return {
    model: 'graduated',
    tiers: [
      { upTo: random.int(2, 8) * 10, unitPrice: rate(random, 0.000001) },
      { upTo: null, unitPrice: rate(random, 0.0000008) },
    ],
  };
}

const title = (text: string) => text.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());

/** The catalog: the same for every run (seeded). */
function generateCatalog() {
  const random = randomGenerator(SEED);
  const words = vocabulary(random);

  const categories: Category[] = [];
  const leaves: { id: string; family: (typeof FAMILIES)[number] }[] = [];
  FAMILIES.forEach((family, f) => {
    const top = family.category.toLowerCase();
    categories.push({ id: top, parentId: null, name: { en: family.category, de: family.de }, position: f });
    for (let c = 0; c < 3; c++) {
      const middle = `${top}-${c}`;
      const noun = family.nouns[c] as string;
      categories.push({ id: middle, parentId: top, name: { en: title(noun), de: title(noun) }, position: c });
      for (let g = 0; g < 2; g++) {
        const leaf = `${middle}-${g}`;
        const adjective = ADJECTIVES[(f * 6 + c * 2 + g) % ADJECTIVES.length] as string;
        categories.push({
          id: leaf,
          parentId: middle,
          name: { en: title(`${adjective} ${noun}`), de: title(`${adjective} ${noun}`) },
          position: g,
        });
        leaves.push({ id: leaf, family });
      }
    }
  });

  const attributes: AttributeDefinition[] = [
    {
      key: 'region',
      label: { en: 'Region', de: 'Region' },
      type: 'enum',
      values: REGIONS.map((key) => ({ key, label: { en: title(key.replace('-', ' ')) } })),
      facet: true,
    },
    {
      key: 'os_family',
      label: { en: 'Operating system', de: 'Betriebssystem' },
      type: 'enum',
      values: OS_FAMILIES.map((key) => ({ key, label: { en: title(key) } })),
      facet: true,
    },
    {
      key: 'support_level',
      label: { en: 'Support level', de: 'Support-Stufe' },
      type: 'enum',
      values: SUPPORT_LEVELS.map((key) => ({ key, label: { en: title(key) } })),
      facet: true,
    },
    { key: 'sla_percent', label: { en: 'SLA' }, type: 'number', unit: '%', facet: true },
    { key: 'response_hours', label: { en: 'First response' }, type: 'number', unit: 'h', facet: true },
  ];
  const settings: CatalogSettings = {
    sellerCountry: 'DE',
    currencies: ['EUR'],
    attributes,
    synonyms: [
      ['vm', 'virtual server', 'vps', 'cloud server', 'instance', 'virtual machine'],
      ['postgres', 'postgresql', 'psql', 'database', 'db'],
      ['s3', 'object storage', 'bucket', 'blob'],
      ['email', 'mail', 'e-mail', 'mailbox'],
      ['lb', 'load balancer'],
      ['k8s', 'kubernetes'],
    ],
  };

  const at = '2025-09-01T10:00:00.000Z';
  const products: Product[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const leaf = random.pick(leaves);
    const { family } = leaf;
    const noun = random.pick(family.nouns);
    const adjective = random.pick(ADJECTIVES);
    const name = `${title(adjective)} ${title(noun)} ${random.pick(SERIES)} ${random.int(1, 64)}`;
    const sentence = (length: number) => Array.from({ length }, () => random.pick(words)).join(' ');
    const dimensionKeys = random.some(
      family.dimensions,
      random.int(Math.min(3, family.dimensions.length), 6),
    );
    const dimensions = dimensionKeys.map((key) => {
      const shape = DIMENSIONS[key] as (typeof DIMENSIONS)[string];
      const min = Math.round(random.int(shape.min[0], shape.min[1]) / shape.step) * shape.step;
      const max = min + Math.round(random.int(shape.max[0], shape.max[1]) / shape.step) * shape.step;
      return {
        key,
        label: title(key.replace('_', ' ')),
        unit: shape.unit,
        min,
        max,
        step: shape.step,
        default: min,
        control: 'slider' as const,
      };
    });
    products.push({
      id: `prd_bench_${i}`,
      slug: `bench-${i}`,
      kind: family.category === 'Productivity' ? 'saas' : family.category === 'Databases' ? 'paas' : 'iaas',
      status: random.next() < 0.95 ? 'published' : 'draft',
      name: { en: name, de: `${name} (DE)` },
      summary: { en: `${title(noun)} ${sentence(random.int(6, 12))}`, de: sentence(random.int(6, 12)) },
      description: { en: sentence(random.int(20, 60)) },
      categoryIds: random.next() < 0.1 ? [leaf.id, random.pick(leaves).id] : [leaf.id],
      attributes: {
        region: random.pick(REGIONS),
        ...(family.category === 'Compute' || random.next() < 0.2
          ? { os_family: random.pick(OS_FAMILIES) }
          : {}),
        support_level: random.pick(SUPPORT_LEVELS),
        sla_percent: random.pick([99, 99.5, 99.9, 99.95, 99.99]),
        response_hours: random.pick([1, 4, 8, 24, 48]),
      },
      images: [{ url: `/images/bench/${i}.svg`, alt: name }],
      inputs: [],
      configurator: { type: 'generic' },
      keywords: random.some([...family.nouns, ...ADJECTIVES], random.int(2, 5)),
      dimensions,
      options: [{ key: 'backups', label: 'Backups', type: 'toggle', default: false }],
      prices: {
        EUR: {
          baseRate: rate(random, 0.00001),
          setupFee: random.pick(['0.00', '9.00', '19.00']),
          dimensions: Object.fromEntries(dimensionKeys.map((key) => [key, priceModel(random)])),
          options: { backups: { on: { price: { model: 'perUnit', unitPrice: '0.002' } } } },
        },
      },
      presets: [],
      revision: 1,
      createdAt: at,
      updatedAt: at,
      publishedAt: at,
    });
  }
  return { products, categories, settings };
}

/** One buyer's search: words (maybe misspelt or half typed), facet values, a range, a category. */
function queries(
  random: Random,
  products: readonly Product[],
  categories: readonly Category[],
  count: number,
) {
  const typo = (word: string) => {
    if (word.length < 5) return word;
    const at = random.int(1, word.length - 2);
    const kind = random.int(0, 2);
    if (kind === 0) return word.slice(0, at) + word.slice(at + 1); // a letter missing
    if (kind === 1) return word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2); // swapped
    return `${word.slice(0, at)}x${word.slice(at + 1)}`; // a wrong letter
  };
  const list: { query: SearchQuery; heavy: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const product = random.pick(products);
    const raw: Record<string, unknown> = {};
    if (random.next() < 0.8) {
      const source = `${product.name.en} ${product.keywords.join(' ')}`.toLowerCase().split(/\s+/);
      const words = random.some(source, random.int(1, 3));
      if (random.next() < 0.3) words[0] = typo(words[0] as string);
      if (random.next() < 0.3) {
        const last = words[words.length - 1] as string;
        words[words.length - 1] = last.slice(0, Math.max(2, Math.ceil(last.length / 2))); // still typing
      }
      raw.q = words.join(' ');
    }
    const filters: string[] = [];
    const facetCount = random.int(0, 3);
    for (const key of random.some(['region', 'os_family', 'support_level'], facetCount)) {
      const values = key === 'region' ? REGIONS : key === 'os_family' ? OS_FAMILIES : SUPPORT_LEVELS;
      for (const value of random.some(values, random.int(1, 2))) filters.push(`${key}:${value}`);
    }
    const range = random.int(0, 3);
    if (range === 1) filters.push(`vcpu>=${random.pick([2, 4, 8, 16, 32])}`);
    if (range === 2) filters.push(`sla_percent>=${random.pick([99.5, 99.9])}`);
    if (range === 3) filters.push(`price<=${random.pick(['0.01', '0.05', '0.2', '1'])}`);
    if (filters.length > 0) raw.filter = filters.join(',');
    if (random.next() < 0.2) raw.category = random.pick(categories).id;
    if (random.next() < 0.2) raw.sort = random.pick(['price_asc', 'price_desc', 'name_asc']);
    if (random.next() < 0.2) raw.locale = 'de';
    list.push({ query: SearchQuery.parse(raw), heavy: raw.q !== undefined && facetCount === 3 && range > 0 });
  }
  return list;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const searchBenchmark: Benchmark = {
  name: 'search',
  run: async () => {
    const { products, categories, settings } = generateCatalog();
    const started = performance.now();
    const index = buildSearchIndex({ products, categories, settings, version: 1, defaultLocale: 'en' });
    const buildMs = performance.now() - started;

    const random = randomGenerator(SEED + 1);
    const warmUp = queries(random, products, categories, WARM_UP);
    const samples = queries(random, products, categories, SAMPLES);
    for (const { query } of warmUp) index.search(query);

    const all = new Float64Array(SAMPLES);
    const heavy: number[] = [];
    let found = 0;
    let zero = 0;
    samples.forEach(({ query, heavy: isHeavy }, i) => {
      const before = performance.now();
      const result = index.search(query);
      const ms = performance.now() - before;
      all[i] = ms;
      if (isHeavy) heavy.push(ms);
      found += result.total;
      if (result.total === 0) zero++;
    });
    all.sort();
    const heavySorted = Float64Array.from(heavy).sort();

    const figures: Figure[] = [
      {
        benchmark: 'search',
        metric: 'build index',
        value: buildMs,
        unit: 'ms',
        note: `${index.size} published of ${PRODUCTS} products, 50 categories; pricing compiled per product`,
      },
      {
        benchmark: 'search',
        metric: 'search p50',
        value: percentile(all, 50),
        unit: 'ms',
        note: `${SAMPLES} searches after ${WARM_UP} warm-up; ${Math.round(found / SAMPLES)} hits on average, ${zero} with none`,
      },
      { benchmark: 'search', metric: 'search p99', value: percentile(all, 99), unit: 'ms', target: 5 },
      {
        benchmark: 'search',
        metric: 'text + 3 facets + range p99',
        value: percentile(heavySorted, 99),
        unit: 'ms',
        target: 5,
        note: `${heavy.length} of the searches`,
      },
      { benchmark: 'search', metric: 'search max', value: all[all.length - 1] as number, unit: 'ms' },
    ];
    return figures;
  },
};
