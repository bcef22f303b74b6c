/**
 * A tenant's catalog search, answered from memory: built once per catalog version from the
 * published products, then every search is a few passes over bitsets and typed arrays — text
 * (typos, prefix, synonyms), category subtree, filters, disjunctive facet counts, category counts,
 * sorting and paging. docs/search.md describes the rules; `npm run bench search` measures it.
 *
 * Why not MiniSearch: a search here must AND its words, know per word whether it matched as typed
 * (for `interpretedAs`), give typo budgets by word length, match multi-word synonyms as phrases
 * and hand back a set to intersect with filters, not scored result objects. Our own inverted
 * index (postings in typed arrays, symmetric-delete typo lookup) does that in well under a
 * millisecond on 10,000 products and allocates little per search.
 *
 * Products are documents numbered 0…n−1 in input order; sets of them are bitsets (`Uint32Array`,
 * bit d of word d >>> 5). Searches run synchronously, so one index reuses its scratch arrays.
 */
import {
  type AttributeDefinition,
  type CatalogSettings,
  type Category,
  type LocalizedText,
  type Product,
  pricedProductOf,
} from '#shared/catalog/catalog.ts';
import { type CompiledPricing, compilePricing } from '#shared/catalog/compile.ts';
import { localized } from '#shared/catalog/localized.ts';
import { type CurrencyCode, type Decimal, decimal } from '#shared/catalog/money.ts';
import { priceFrom } from '#shared/catalog/price-from.ts';
import { ProductKind } from '#shared/catalog/product.ts';
import type { Facet, PriceFrom, ProductSummary, SearchQuery, SearchResult } from '#shared/catalog/search.ts';
import { formatSearchFilter, type SearchFilter } from '#shared/catalog/search-filter.ts';
import { ValidationError } from '#shared/errors.ts';
import {
  allowedTypos,
  deletions,
  editDistanceWithin,
  normaliseText,
  STOP_WORDS,
  tokenize,
} from './text-normalisation.ts';

export type SearchIndexInput = {
  /** Every product of the catalog; only published ones are indexed. */
  products: readonly Product[];
  categories: readonly Category[];
  settings: CatalogSettings;
  version: number;
  /** The store's language: names and labels fall back to it. */
  defaultLocale: string;
  /**
   * The product's compiled pricing, when the caller keeps them (CatalogView does); undefined: the
   * product cannot be priced. Left out, the index compiles each product itself.
   */
  pricing?: (product: Product) => CompiledPricing | undefined;
};

export interface SearchIndex {
  /** The catalog version the index was built from: rebuild when the catalog's differs. */
  readonly version: number;
  /** Products indexed (the published ones). */
  readonly size: number;
  /** The keys a filter may use: kind, price, the attributes but text ones, the products' dimensions. */
  readonly filterKeys: readonly string[];
  /**
   * Throws a ValidationError (400) for an unknown filter key (`unknown_filter`, with the valid
   * keys), a filter that does not fit its key (`invalid_filter`: `region>=3`, `managed:maybe`) or a
   * currency the store does not sell in (`currency_not_offered`).
   */
  search(query: SearchQuery): SearchResult;
}

/**
 * Builds the search index of one catalog version. Takes ≈ 0.1 ms per product, most of it pricing
 * (pass `pricing` to reuse compiled products).
 *
 * @example
 * const index = buildSearchIndex({ products, categories, settings, version: 7, defaultLocale: 'en' });
 * index.search(SearchQuery.parse({ q: 'virtal servr', filter: 'region:eu-central,vcpu>=4' }))
 * // { items: [{ name: 'Virtual server', priceFrom: { currency: 'EUR', hourly: '0.021', … } }], total: 1,
 * //   interpretedAs: 'virtual server', facets: [...], categoryCounts: { compute: 1, … }, … }
 */
export function buildSearchIndex(input: SearchIndexInput): SearchIndex {
  return new InMemorySearchIndex(input);
}

// ————————————————————————————————————————— bitsets

type Bits = Uint32Array;

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function countBoth(a: Bits, b: Bits): number {
  let count = 0;
  for (let w = 0; w < a.length; w++) count += popcount((a[w] as number) & (b[w] as number));
  return count;
}

function andInto(target: Bits, source: Bits): void {
  for (let w = 0; w < target.length; w++) target[w] = (target[w] as number) & (source[w] as number);
}

function orInto(target: Bits, source: Bits): void {
  for (let w = 0; w < target.length; w++) target[w] = (target[w] as number) | (source[w] as number);
}

function setBit(bits: Bits, doc: number): void {
  bits[doc >>> 5] = (bits[doc >>> 5] as number) | (1 << (doc & 31));
}

function hasBit(bits: Bits, doc: number): boolean {
  return ((bits[doc >>> 5] as number) & (1 << (doc & 31))) !== 0;
}

/** Writes the documents of `bits` into `out`, ascending; returns how many. */
function listBits(bits: Bits, out: Int32Array): number {
  let count = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w] as number;
    while (word !== 0) {
      const lowest = word & -word;
      out[count++] = (w << 5) | (31 - Math.clz32(lowest));
      word ^= lowest;
    }
  }
  return count;
}

// ————————————————————————————————————————— text

/** Where a word stands in a product, and what that weighs (the name counts most). */
const FIELD = {
  name: 0,
  keywords: 1,
  summary: 2,
  category: 3,
  attribute: 4,
  parentCategory: 5,
  description: 6,
  textAttribute: 7,
} as const;
const FIELD_WEIGHTS = [4, 2.5, 1.5, 1.5, 1.5, 1, 1, 1];
/** A word's weight in a product: the sum of the weights of the fields it appears in. */
const WEIGHT_OF_FIELDS = Float32Array.from({ length: 256 }, (_, mask) =>
  FIELD_WEIGHTS.reduce((sum, weight, field) => ((mask >> field) & 1 ? sum + weight : sum), 0),
);

/** How much a match counts against the word as typed. */
const MATCH = { exact: 1, oneTypo: 0.6, twoTypos: 0.4, synonym: 0.8 } as const;
const prefixFactor = (typed: string, term: string) => 0.5 + (0.4 * typed.length) / term.length;
/** Prefixes shorter than this do not start a synonym ("s" is not yet "s3"). */
const MIN_PREFIX_FOR_SYNONYM = 3;
const MAX_QUERY_WORDS = 12;

/** A run of text of one field, as provisional word ids. */
type Piece = { field: number; ids: Int32Array };

/** A synonym term of the merchant's, as words; the same words in two groups are one phrase. */
type Phrase = { tokens: number[]; display: string; related: Set<number> };

/** A term of the index the query word may stand for. `term` is a posting list id. */
type Expansion = { term: number; factor: number; strict: boolean; prefix: boolean };

type WordClause = { kind: 'word'; typed: string; expansions: Expansion[] };
/**
 * Query words that spell a synonym term: found by the words (each with its typos and prefix) or by
 * any phrase of the groups the term belongs to.
 */
type PhraseClause = {
  kind: 'phrase';
  typed: string;
  words: WordClause[];
  phrases: Expansion[];
  length: number;
};
type Clause = WordClause | PhraseClause;

/** What a clause matched, kept to explain the search (`interpretedAs`). */
type ClauseMatch = { clause: Clause; strict: Bits; words?: Bits };

type TextIndex = {
  /** Every word of the catalog and of the synonyms, sorted (prefixes are ranges). */
  terms: string[];
  /** Word variant made by deleting letters → words it came from (typo lookup). */
  variants: Map<string, number[]>;
  phrases: Phrase[];
  phrasesByFirstWord: Map<number, number[]>;
  /** Posting lists: words 0…terms−1, then phrases. Weights include the word's rarity (idf). */
  postingStart: Int32Array;
  postingDoc: Int32Array;
  postingWeight: Float32Array;
};

// ————————————————————————————————————————— filters and facets

type ValueField = {
  key: string;
  type: 'enum' | 'boolean' | 'kind';
  /** Display order: defined values first, then values found only on products. */
  values: { value: string; label: LocalizedText | undefined }[];
  bits: Map<string, Bits>;
};

type NumberField = {
  key: string;
  /** NaN: the product has no value. */
  values: Float64Array;
  min: number;
  max: number;
};

type DimensionField = {
  key: string;
  /** The first product's label and unit for it. */
  label: string;
  unit: string;
  /** How many products have it: a dimension only one product has makes a poor filter. */
  products: number;
  /** NaN: the product does not have it. */
  min: Float64Array;
  max: Float64Array;
  /** The smallest min and largest max of all products: the facet's bounds when no match has it. */
  lowest: number;
  highest: number;
};

type CurrencyPrices = {
  currency: CurrencyCode;
  from: (PriceFrom | undefined)[];
  /** Index into `ladder`, the distinct hourly prices ascending; −1: no price in this currency. */
  rank: Int32Array;
  ladder: Decimal[];
  hourly: Float64Array;
};

type RangeFilter = Extract<SearchFilter, { kind: 'range' }>;

type FilterTarget =
  | { type: 'values'; field: ValueField }
  | { type: 'number'; number: NumberField | undefined; dimension: DimensionField | undefined }
  | { type: 'price' };

const BUILT_IN_LABELS = {
  kind: { en: 'Service type', de: 'Dienstart' },
  price: { en: 'Price per hour', de: 'Preis pro Stunde' },
  true: { en: 'Yes', de: 'Ja' },
  false: { en: 'No', de: 'Nein' },
  saas: { en: 'Software (SaaS)', de: 'Software (SaaS)' },
  paas: { en: 'Platform (PaaS)', de: 'Plattform (PaaS)' },
  iaas: { en: 'Infrastructure (IaaS)', de: 'Infrastruktur (IaaS)' },
} satisfies Record<string, LocalizedText>;

const KINDS = ProductKind.options;

/** The default when a query has no locale-specific collation: numbers in names sort as numbers. */
function collatorFor(locale: string, fallback: string): Intl.Collator {
  for (const candidate of [locale, fallback, 'en']) {
    try {
      return new Intl.Collator(candidate, { numeric: true, sensitivity: 'base' });
    } catch {
      // not a valid language tag; try the next
    }
  }
  return new Intl.Collator();
}

class InMemorySearchIndex implements SearchIndex {
  readonly version: number;
  readonly size: number;
  private readonly products: Product[];
  private readonly settings: CatalogSettings;
  private readonly categories: readonly Category[];
  private readonly defaultLocale: string;
  private readonly words: number;
  private readonly everything: Bits;
  private readonly text: TextIndex;
  /** Category id → its products and those of every category under it. */
  private readonly categoryBits = new Map<string, Bits>();
  private readonly valueFields = new Map<string, ValueField>();
  private readonly numberFields = new Map<string, NumberField>();
  private readonly dimensionFields = new Map<string, DimensionField>();
  private readonly prices = new Map<CurrencyCode, CurrencyPrices>();
  private readonly filterTargets = new Map<string, FilterTarget>();
  /** Language tags of product names, to share one name order among tags that read the same. */
  private readonly nameLocales = new Set<string>();
  private readonly nameRanks = new Map<string, Int32Array>();
  // scratch, reused by every search
  private readonly total: Float32Array;
  private readonly clauseScore: Float32Array;
  private readonly phraseTotal: Float32Array;
  private readonly phraseWordScore: Float32Array;
  private readonly sortKey: Float64Array;
  private readonly matches: Int32Array;

  constructor(input: SearchIndexInput) {
    this.version = input.version;
    this.settings = input.settings;
    this.categories = input.categories;
    this.defaultLocale = input.defaultLocale;
    this.products = input.products.filter((product) => product.status === 'published');
    const n = this.products.length;
    this.size = n;
    this.words = (n + 31) >>> 5;
    this.everything = new Uint32Array(this.words).fill(0xffffffff);
    if (n & 31) this.everything[this.words - 1] = (2 ** (n & 31) - 1) >>> 0;
    for (const product of this.products)
      for (const locale of Object.keys(product.name)) this.nameLocales.add(locale);

    this.text = this.buildText();
    this.buildCategories();
    this.buildAttributes();
    this.buildDimensions();
    this.buildPrices(input.pricing ?? compiledOrUndefined);
    this.buildFilterTargets();

    this.total = new Float32Array(n);
    this.clauseScore = new Float32Array(n);
    this.phraseTotal = new Float32Array(n);
    this.phraseWordScore = new Float32Array(n);
    this.sortKey = new Float64Array(n);
    this.matches = new Int32Array(n);
    this.nameRank(input.defaultLocale);
  }

  // ——— building

  private newBits(): Bits {
    return new Uint32Array(this.words);
  }

  private buildText(): TextIndex {
    const categoriesById = new Map(this.categories.map((category) => [category.id, category]));
    const definitions = new Map(this.settings.attributes.map((definition) => [definition.key, definition]));
    // words get a provisional id as they are met, their final one (in sorted order) below
    const provisional = new Map<string, number>();
    const idOf = (token: string) => {
      let id = provisional.get(token);
      if (id === undefined) {
        id = provisional.size;
        provisional.set(token, id);
      }
      return id;
    };
    const tokenCache = new Map<string, Int32Array>();
    const documents = this.products.map((product) =>
      piecesOf(product, categoriesById, definitions, (text) => {
        let ids = tokenCache.get(text);
        if (!ids) {
          ids = Int32Array.from(tokenize(text), idOf);
          // names and labels repeat across products; descriptions rarely do
          if (text.length <= 200) tokenCache.set(text, ids);
        }
        return ids;
      }),
    );
    const synonymIds = this.settings.synonyms.map((group) => group.map((term) => tokenize(term).map(idOf)));

    const terms = [...provisional.keys()].sort();
    const final = new Int32Array(terms.length);
    terms.forEach((term, id) => {
      final[provisional.get(term) as number] = id;
    });

    const phrases: Phrase[] = [];
    const phraseIds = new Map<string, number>();
    this.settings.synonyms.forEach((group, groupIndex) => {
      const members: number[] = [];
      group.forEach((term, termIndex) => {
        const tokens = (synonymIds[groupIndex]?.[termIndex] ?? []).map((id) => final[id] as number);
        if (tokens.length === 0) return;
        const key = tokens.join(' ');
        let id = phraseIds.get(key);
        if (id === undefined) {
          id = phrases.length;
          phraseIds.set(key, id);
          phrases.push({
            tokens,
            display: normaliseText(term).trim().replace(/\s+/g, ' '),
            related: new Set(),
          });
        }
        members.push(id);
      });
      for (const member of members)
        for (const other of members) if (other !== member) phrases[member]?.related.add(other);
    });
    const phrasesByFirstWord = new Map<number, number[]>();
    phrases.forEach((phrase, id) => {
      const first = phrase.tokens[0] as number;
      const list = phrasesByFirstWord.get(first);
      if (list) list.push(id);
      else phrasesByFirstWord.set(first, [id]);
    });
    const startsPhrase = new Uint8Array(terms.length);
    for (const first of phrasesByFirstWord.keys()) startsPhrase[first] = 1;

    // a product's fields per posting list (word, or synonym phrase it contains), as flat pairs
    const termCount = terms.length;
    const listCount = termCount + phrases.length;
    const fields = new Uint8Array(listCount);
    const touched: number[] = [];
    const pairKeys: number[] = [];
    const pairFields: number[] = [];
    const pairsEnd = new Int32Array(documents.length);
    const postingStart = new Int32Array(listCount + 1);
    const mark = (key: number, bit: number) => {
      if (fields[key] === 0) touched.push(key);
      fields[key] = (fields[key] as number) | bit;
    };
    documents.forEach((pieces, doc) => {
      for (const piece of pieces) {
        const bit = 1 << piece.field;
        const ids = piece.ids;
        for (let position = 0; position < ids.length; position++) {
          const id = final[ids[position] as number] as number;
          mark(id, bit);
          if (startsPhrase[id] === 0) continue;
          for (const phraseId of phrasesByFirstWord.get(id) as number[]) {
            const phrase = phrases[phraseId] as Phrase;
            if (phrase.tokens.every((token, offset) => final[ids[position + offset] ?? -1] === token))
              mark(termCount + phraseId, bit);
          }
        }
      }
      for (const key of touched) {
        pairKeys.push(key);
        pairFields.push(fields[key] as number);
        fields[key] = 0;
        postingStart[key + 1] = (postingStart[key + 1] as number) + 1;
      }
      touched.length = 0;
      pairsEnd[doc] = pairKeys.length;
    });
    for (let key = 0; key < listCount; key++)
      postingStart[key + 1] = (postingStart[key + 1] as number) + (postingStart[key] as number);
    const size = postingStart[listCount] as number;
    const postingDoc = new Int32Array(size);
    const postingWeight = new Float32Array(size);
    const cursor = postingStart.slice(0, listCount);
    const n = this.products.length;
    const rarity = Float32Array.from({ length: listCount }, (_, key) => {
      const df = (postingStart[key + 1] as number) - (postingStart[key] as number);
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    });
    let pair = 0;
    pairsEnd.forEach((end, doc) => {
      for (; pair < end; pair++) {
        const key = pairKeys[pair] as number;
        const at = cursor[key] as number;
        cursor[key] = at + 1;
        postingDoc[at] = doc;
        postingWeight[at] =
          (WEIGHT_OF_FIELDS[pairFields[pair] as number] as number) * (rarity[key] as number);
      }
    });

    // typo lookup: every word of 3+ letters under the variants made by deleting 1 (2 from 6) letters
    const variants = new Map<string, number[]>();
    terms.forEach((term, id) => {
      if (term.length < 3) return;
      for (const variant of deletions(term, term.length >= 6 ? 2 : 1)) {
        const list = variants.get(variant);
        if (list) list.push(id);
        else variants.set(variant, [id]);
      }
    });
    return { terms, variants, phrases, phrasesByFirstWord, postingStart, postingDoc, postingWeight };
  }

  private buildCategories(): void {
    const direct = new Map<string, Bits>();
    this.products.forEach((product, doc) => {
      for (const id of product.categoryIds) {
        let bits = direct.get(id);
        if (!bits) {
          bits = this.newBits();
          direct.set(id, bits);
        }
        setBit(bits, doc);
      }
    });
    const children = new Map<string, string[]>();
    for (const category of this.categories) {
      if (category.parentId === null) continue;
      const list = children.get(category.parentId);
      if (list) list.push(category.id);
      else children.set(category.parentId, [category.id]);
    }
    const subtree = (id: string, path: Set<string>): Bits => {
      const known = this.categoryBits.get(id);
      if (known) return known;
      const bits = this.newBits();
      const own = direct.get(id);
      if (own) orInto(bits, own);
      path.add(id);
      for (const child of children.get(id) ?? []) if (!path.has(child)) orInto(bits, subtree(child, path));
      path.delete(id);
      this.categoryBits.set(id, bits);
      return bits;
    };
    for (const category of this.categories) subtree(category.id, new Set());
    for (const id of direct.keys()) subtree(id, new Set());
  }

  private buildAttributes(): void {
    const kind: ValueField = { key: 'kind', type: 'kind', values: [], bits: new Map() };
    this.products.forEach((product, doc) => {
      this.addValue(kind, product.kind, doc);
    });
    kind.values = KINDS.filter((value) => kind.bits.has(value)).map((value) => ({
      value,
      label: BUILT_IN_LABELS[value],
    }));
    this.valueFields.set('kind', kind);

    for (const definition of this.settings.attributes) {
      const { key } = definition;
      if (definition.type === 'text' || key === 'kind' || key === 'price') continue;
      if (definition.type === 'number') {
        const values = new Float64Array(this.products.length).fill(Number.NaN);
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        this.products.forEach((product, doc) => {
          const value = product.attributes[key];
          if (typeof value !== 'number' || !Number.isFinite(value)) return;
          values[doc] = value;
          if (value < min) min = value;
          if (value > max) max = value;
        });
        this.numberFields.set(key, { key, values, min, max });
        continue;
      }
      const field: ValueField = {
        key,
        type: definition.type,
        values:
          definition.type === 'boolean'
            ? [
                { value: 'true', label: BUILT_IN_LABELS.true },
                { value: 'false', label: BUILT_IN_LABELS.false },
              ]
            : (definition.values ?? []).map((value) => ({ value: value.key, label: value.label })),
        bits: new Map(),
      };
      this.products.forEach((product, doc) => {
        const value = product.attributes[key];
        if (value === undefined) return;
        if (definition.type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string')
          this.addValue(field, String(value), doc);
      });
      for (const value of field.bits.keys())
        if (!field.values.some((known) => known.value === value))
          field.values.push({ value, label: undefined });
      this.valueFields.set(key, field);
    }
  }

  private addValue(field: ValueField, value: string, doc: number): void {
    let bits = field.bits.get(value);
    if (!bits) {
      bits = this.newBits();
      field.bits.set(value, bits);
    }
    setBit(bits, doc);
  }

  private buildDimensions(): void {
    const n = this.products.length;
    this.products.forEach((product, doc) => {
      for (const dimension of product.dimensions) {
        let field = this.dimensionFields.get(dimension.key);
        if (!field) {
          field = {
            key: dimension.key,
            label: dimension.label,
            unit: dimension.unit,
            products: 0,
            min: new Float64Array(n).fill(Number.NaN),
            max: new Float64Array(n).fill(Number.NaN),
            lowest: dimension.min,
            highest: dimension.max,
          };
          this.dimensionFields.set(dimension.key, field);
        }
        field.min[doc] = dimension.min;
        field.max[doc] = dimension.max;
        field.lowest = Math.min(field.lowest, dimension.min);
        field.highest = Math.max(field.highest, dimension.max);
        field.products += 1;
      }
    });
  }

  private buildPrices(pricingOf: NonNullable<SearchIndexInput['pricing']>): void {
    const n = this.products.length;
    const compiled = this.products.map((product) => pricingOf(product));
    for (const currency of this.settings.currencies) {
      const from = compiled.map((pricing) => {
        if (!pricing) return undefined;
        try {
          return priceFrom(pricing, currency, this.settings.sellerCountry);
        } catch {
          return undefined;
        }
      });
      const amounts = from.map((price) => (price ? decimal(price.hourly) : undefined));
      const priced = [...amounts.keys()].filter((doc) => amounts[doc] !== undefined);
      priced.sort((a, b) => (amounts[a] as Decimal).comparedTo(amounts[b] as Decimal));
      const rank = new Int32Array(n).fill(-1);
      const hourly = new Float64Array(n).fill(Number.NaN);
      const ladder: Decimal[] = [];
      for (const doc of priced) {
        const amount = amounts[doc] as Decimal;
        const last = ladder[ladder.length - 1];
        if (!last?.eq(amount)) ladder.push(amount);
        rank[doc] = ladder.length - 1;
        hourly[doc] = amount.toNumber();
      }
      this.prices.set(currency, { currency, from, rank, ladder, hourly });
    }
  }

  private buildFilterTargets(): void {
    for (const field of this.valueFields.values())
      this.filterTargets.set(field.key, { type: 'values', field });
    const numberKeys = new Set([...this.numberFields.keys(), ...this.dimensionFields.keys()]);
    for (const key of numberKeys) {
      if (this.filterTargets.has(key) || key === 'price') continue;
      this.filterTargets.set(key, {
        type: 'number',
        number: this.numberFields.get(key),
        dimension: this.dimensionFields.get(key),
      });
    }
    this.filterTargets.set('price', { type: 'price' });
  }

  /** Documents' positions in name order for a language (ties: by id), built on first use per language. */
  private nameRank(locale: string): Int32Array {
    const key = this.nameLocales.has(locale)
      ? locale
      : this.nameLocales.has(locale.slice(0, 2))
        ? locale.slice(0, 2)
        : '';
    const known = this.nameRanks.get(key);
    if (known) return known;
    // every tag outside nameLocales reads the same names (the default language's)
    const names = this.products.map((product) => localized(product.name, key || locale, this.defaultLocale));
    const collator = collatorFor(key || this.defaultLocale, this.defaultLocale);
    const order = [...names.keys()].sort(
      (a, b) =>
        collator.compare(names[a] as string, names[b] as string) ||
        ((this.products[a] as Product).id < (this.products[b] as Product).id ? -1 : 1),
    );
    const rank = new Int32Array(this.products.length);
    order.forEach((doc, position) => {
      rank[doc] = position;
    });
    this.nameRanks.set(key, rank);
    return rank;
  }

  // ——— searching

  search(query: SearchQuery): SearchResult {
    const locale = query.locale ?? this.defaultLocale;
    const currency = this.currencyOf(query.currency);
    const prices = this.prices.get(currency) as CurrencyPrices;
    const label = (text: LocalizedText | undefined, fallback: string) =>
      text ? localized(text, locale, this.defaultLocale) : fallback;

    // filters: one set per key (values of a key are alternatives; its ranges all hold)
    const byKey = this.groupFilters(query.filter ?? []);
    const keyBits = new Map<string, Bits>();
    for (const [key, filters] of byKey) keyBits.set(key, this.filterBits(key, filters, prices));
    const allFilters = this.everything.slice();
    for (const bits of keyBits.values()) andInto(allFilters, bits);

    // text
    const clauses = query.q ? this.parseText(query.q) : [];
    let textBits: Bits | undefined;
    let strictText: Bits | undefined;
    const clauseMatches: ClauseMatch[] = [];
    if (clauses.length > 0) {
      textBits = this.newBits();
      strictText = this.newBits();
      this.matchAll(clauses, this.total, this.clauseScore, textBits, strictText, clauseMatches);
    }

    // uncategorised (for category counts) = text and every filter; base (for facets) = text and
    // category; result = all three
    const uncategorised = allFilters;
    if (textBits) andInto(uncategorised, textBits);
    const base = textBits ? textBits.slice() : this.everything.slice();
    const result = uncategorised.slice();
    if (query.category !== undefined) {
      const category = this.categoryBits.get(query.category) ?? this.newBits();
      andInto(base, category);
      andInto(result, category);
    }

    const facets = this.facets(base, keyBits, byKey, result, prices, label);

    const categoryCounts: Record<string, number> = {};
    for (const category of this.categories)
      categoryCounts[category.id] = countBoth(uncategorised, this.categoryBits.get(category.id) as Bits);

    const total = listBits(result, this.matches);
    const page = this.page(query, total, textBits !== undefined, prices, locale);
    const items = page.map((doc) => this.summary(doc, locale, prices));

    const interpretedAs =
      strictText && total > 0 && countBoth(result, strictText) === 0
        ? this.interpretation(clauseMatches, result)
        : undefined;
    return {
      items,
      total,
      page: query.page,
      pageSize: query.pageSize,
      facets,
      categoryCounts,
      ...(interpretedAs ? { interpretedAs } : {}),
      catalogVersion: this.version,
    };
  }

  private currencyOf(requested: CurrencyCode | undefined): CurrencyCode {
    const { currencies } = this.settings;
    if (requested === undefined) return currencies[0] as CurrencyCode;
    if (!currencies.includes(requested)) {
      throw new ValidationError(
        'currency_not_offered',
        `This store sells in ${currencies.join(', ')}, not ${requested}`,
        [{ path: 'currency', message: `one of ${currencies.join(', ')}`, code: 'currency_not_offered' }],
      );
    }
    return requested;
  }

  get filterKeys(): string[] {
    return [...this.filterTargets.keys()].sort();
  }

  private groupFilters(filters: readonly SearchFilter[]): Map<string, SearchFilter[]> {
    const byKey = new Map<string, SearchFilter[]>();
    for (const filter of filters) {
      if (!this.filterTargets.has(filter.key)) {
        const valid = this.filterKeys;
        throw new ValidationError(
          'unknown_filter',
          `There is no filter "${filter.key}"; this store filters by ${valid.join(', ')}`,
          [
            {
              path: 'filter',
              message: `unknown filter "${filter.key}"`,
              code: 'unknown_filter',
              key: filter.key,
              validKeys: valid,
            },
          ],
        );
      }
      const list = byKey.get(filter.key);
      if (list) list.push(filter);
      else byKey.set(filter.key, [filter]);
    }
    return byKey;
  }

  private filterBits(key: string, filters: SearchFilter[], prices: CurrencyPrices): Bits {
    const target = this.filterTargets.get(key) as FilterTarget;
    const bits = this.newBits();
    if (target.type === 'values') {
      for (const filter of filters) {
        if (filter.kind === 'range')
          throw invalidFilter(filter, `${key} is not a number: write ${key}:value`);
        const value = filter.value;
        if (target.field.type === 'boolean' && value !== 'true' && value !== 'false')
          throw invalidFilter(filter, `${key} is true or false`);
        if (target.field.type === 'kind' && !(KINDS as readonly string[]).includes(value))
          throw invalidFilter(filter, `kind is one of ${KINDS.join(', ')}`);
        const valueBits = target.field.bits.get(value);
        if (valueBits) orInto(bits, valueBits);
      }
      return bits;
    }
    const ranges = filters.filter((filter) => filter.kind === 'range');
    if (target.type === 'price') {
      if (ranges.length < filters.length)
        throw invalidFilter(
          filters.find((filter) => filter.kind === 'value') as SearchFilter,
          'write price<=0.05',
        );
      const [from, to] = rankBounds(prices.ladder, ranges);
      for (let doc = 0; doc < this.size; doc++) {
        const rank = prices.rank[doc] as number;
        if (rank >= from && rank < to) setBit(bits, doc);
      }
      return bits;
    }
    const equals: number[] = [];
    for (const filter of filters) {
      if (filter.kind === 'range') continue;
      const value = Number(filter.value);
      if (filter.value.trim() === '' || !Number.isFinite(value))
        throw invalidFilter(filter, `${key} is a number: write ${key}>=4, ${key}<=16 or ${key}:8`);
      equals.push(value);
    }
    const { number, dimension } = target;
    for (let doc = 0; doc < this.size; doc++) {
      const value = number ? (number.values[doc] as number) : Number.NaN;
      if (!Number.isNaN(value) && valueMatches(value, equals, ranges)) {
        setBit(bits, doc);
        continue;
      }
      const min = dimension ? (dimension.min[doc] as number) : Number.NaN;
      if (
        !Number.isNaN(min) &&
        rangeMatches(min, (dimension as DimensionField).max[doc] as number, equals, ranges)
      )
        setBit(bits, doc);
    }
    return bits;
  }

  /**
   * Facets count over `base` (text and category) and every filter but the facet's own, so that
   * alternatives to a selection stay visible with what they would find.
   */
  private facets(
    base: Bits,
    keyBits: Map<string, Bits>,
    byKey: Map<string, SearchFilter[]>,
    result: Bits,
    prices: CurrencyPrices,
    label: (text: LocalizedText | undefined, fallback: string) => string,
  ): Facet[] {
    const othersOf = (key: string): Bits => {
      if (!keyBits.has(key)) return result;
      const others = base.slice();
      for (const [other, bits] of keyBits) if (other !== key) andInto(others, bits);
      return others;
    };
    const facets: Facet[] = [];
    const valueFacet = (field: ValueField, title: string) => {
      const others = othersOf(field.key);
      const selected = new Set(
        (byKey.get(field.key) ?? []).flatMap((filter) => (filter.kind === 'value' ? [filter.value] : [])),
      );
      const values = field.values.map(({ value, label: text }) => {
        const bits = field.bits.get(value);
        return {
          value,
          label: label(text, value),
          count: bits ? countBoth(others, bits) : 0,
          selected: selected.has(value),
        };
      });
      for (const value of selected)
        if (!field.values.some((known) => known.value === value))
          values.push({ value, label: value, count: 0, selected: true });
      facets.push({ type: 'values', key: field.key, label: title, values });
    };

    for (const definition of this.settings.attributes) {
      if (!definition.facet) continue;
      const valueField = this.valueFields.get(definition.key);
      if (valueField && valueField.type !== 'kind') {
        valueFacet(valueField, label(definition.label, definition.key));
        continue;
      }
      const numberField = this.numberFields.get(definition.key);
      if (!numberField || numberField.min > numberField.max) continue; // no product has a value
      const bounds = boundsOver(othersOf(definition.key), numberField.values);
      facets.push({
        type: 'range',
        key: definition.key,
        label: label(definition.label, definition.key),
        ...(definition.unit ? { unit: definition.unit } : {}),
        min: bounds ? bounds[0] : numberField.min,
        max: bounds ? bounds[1] : numberField.max,
        ...selectedRange(byKey.get(definition.key)),
      });
    }
    // Capacity shared by several products ("vCPU ≥ 4"): bounds are what the matching products
    // can be configured to, from the smallest minimum to the largest maximum.
    for (const field of this.dimensionFields.values()) {
      if (field.products < 2 || this.numberFields.has(field.key)) continue;
      const others = othersOf(field.key);
      // the same products have a min and a max
      const low = boundsOver(others, field.min);
      const high = boundsOver(others, field.max);
      facets.push({
        type: 'range',
        key: field.key,
        label: field.label,
        unit: field.unit,
        min: low ? low[0] : field.lowest,
        max: high ? high[1] : field.highest,
        ...selectedRange(byKey.get(field.key)),
      });
    }
    valueFacet(this.valueFields.get('kind') as ValueField, label(BUILT_IN_LABELS.kind, 'kind'));
    if (prices.ladder.length > 0) {
      const bounds = boundsOver(othersOf('price'), prices.hourly);
      facets.push({
        type: 'range',
        key: 'price',
        label: label(BUILT_IN_LABELS.price, 'price'),
        unit: `${prices.currency}/h`,
        min: bounds ? bounds[0] : (prices.ladder[0] as Decimal).toNumber(),
        max: bounds ? bounds[1] : (prices.ladder[prices.ladder.length - 1] as Decimal).toNumber(),
        ...selectedRange(byKey.get('price')),
      });
    }
    return facets;
  }

  /** Sorts `this.matches` (the first `total`) just enough to return the page's documents. */
  private page(
    query: SearchQuery,
    total: number,
    hasText: boolean,
    prices: CurrencyPrices,
    locale: string,
  ): number[] {
    const offset = (query.page - 1) * query.pageSize;
    if (offset >= total) return [];
    const end = Math.min(total, offset + query.pageSize);
    const names = this.nameRank(locale);
    const key = this.sortKey;
    const matches = this.matches;
    const sort = query.sort === 'relevance' && !hasText ? 'name_asc' : query.sort;
    // ascending keys; products without a price come last either way
    const keyOf = {
      relevance: (doc: number) => -(this.total[doc] as number),
      price_asc: (doc: number) => priceKey(prices.rank[doc] as number, 1),
      price_desc: (doc: number) => priceKey(prices.rank[doc] as number, -1),
      name_asc: (doc: number) => names[doc] as number,
      name_desc: (doc: number) => -(names[doc] as number),
    }[sort];
    for (let i = 0; i < total; i++) {
      const doc = matches[i] as number;
      key[doc] = keyOf(doc);
    }
    // ties (equal score or price): by name
    const compare = (a: number, b: number) =>
      (key[a] as number) - (key[b] as number) || (names[a] as number) - (names[b] as number);
    return firstInOrder(matches, total, end, compare).slice(offset, end);
  }

  private summary(doc: number, locale: string, prices: CurrencyPrices): ProductSummary {
    const product = this.products[doc] as Product;
    const summary = localized(product.summary, locale, this.defaultLocale);
    const image = product.images[0];
    const price = prices.from[doc];
    return {
      id: product.id,
      slug: product.slug,
      kind: product.kind,
      name: localized(product.name, locale, this.defaultLocale),
      ...(summary ? { summary } : {}),
      categoryIds: [...product.categoryIds],
      attributes: { ...product.attributes },
      ...(image ? { image: { ...image } } : {}),
      ...(price ? { priceFrom: { ...price } } : {}),
    };
  }

  // ——— text matching

  /**
   * The query as clauses that must all match: synonym terms (longest first) and single words,
   * stop words dropped unless last or alone.
   */
  private parseText(q: string): Clause[] {
    const tokens = tokenize(q).slice(0, MAX_QUERY_WORDS);
    const expansions = tokens.map((token, index) => this.expand(token, index === tokens.length - 1));
    const words = tokens.map(
      (token, index): WordClause => ({
        kind: 'word',
        typed: token,
        expansions: [...(expansions[index] as Map<number, Expansion>).values()],
      }),
    );
    const clauses: Clause[] = [];
    for (let index = 0; index < tokens.length; ) {
      const phrase = this.phraseAt(tokens, expansions, index);
      if (phrase) {
        clauses.push({ ...phrase, words: words.slice(index, index + phrase.length) });
        index += phrase.length;
      } else {
        clauses.push(words[index] as WordClause);
        index++;
      }
    }
    const last = clauses[clauses.length - 1];
    const kept = clauses.filter(
      (clause) => clause === last || clause.kind === 'phrase' || !STOP_WORDS.has(clause.typed),
    );
    return kept.length > 0 ? kept : clauses;
  }

  /** Terms the word may stand for: itself, words it starts (last word only), words within its typos. */
  private expand(token: string, last: boolean): Map<number, Expansion> {
    const { terms, variants } = this.text;
    const found = new Map<number, Expansion>();
    // terms are sorted: the word itself (if the catalog has it), then the words it starts
    const first = lowerBound(terms, token);
    const exact = terms[first] === token ? first : undefined;
    if (exact !== undefined)
      found.set(exact, { term: exact, factor: MATCH.exact, strict: true, prefix: false });
    if (last) {
      for (let id = first; id < terms.length; id++) {
        const term = terms[id] as string;
        if (!term.startsWith(token)) break;
        if (id !== exact)
          found.set(id, { term: id, factor: prefixFactor(token, term), strict: true, prefix: true });
      }
    }
    const typos = allowedTypos(token);
    if (typos > 0) {
      for (const variant of deletions(token, typos)) {
        for (const id of variants.get(variant) ?? []) {
          if (found.has(id)) continue;
          const distance = editDistanceWithin(token, terms[id] as string, typos);
          if (distance <= typos)
            found.set(id, {
              term: id,
              factor: distance === 1 ? MATCH.oneTypo : MATCH.twoTypos,
              strict: false,
              prefix: false,
            });
        }
      }
    }
    return found;
  }

  /** The longest synonym term the words from `start` spell (with their typos and prefix), if any. */
  private phraseAt(
    tokens: string[],
    expansions: Map<number, Expansion>[],
    start: number,
  ): Omit<PhraseClause, 'words'> | undefined {
    const { phrases, phrasesByFirstWord, terms } = this.text;
    const usable = (index: number, term: number): Expansion | undefined => {
      const expansion = expansions[index]?.get(term);
      if (!expansion) return undefined;
      return expansion.prefix && (tokens[index] as string).length < MIN_PREFIX_FOR_SYNONYM
        ? undefined
        : expansion;
    };
    let length = 0;
    let spelled: { phrase: number; strict: boolean }[] = [];
    for (const first of (expansions[start] as Map<number, Expansion>).values()) {
      for (const phraseId of phrasesByFirstWord.get(first.term) ?? []) {
        const phrase = phrases[phraseId] as Phrase;
        if (phrase.tokens.length < length || start + phrase.tokens.length > tokens.length) continue;
        let strict = true;
        const matched = phrase.tokens.every((term, offset) => {
          const expansion = usable(start + offset, term);
          if (expansion && !expansion.strict) strict = false;
          return expansion !== undefined;
        });
        if (!matched) continue;
        if (phrase.tokens.length > length) {
          length = phrase.tokens.length;
          spelled = [];
        }
        spelled.push({ phrase: phraseId, strict });
      }
    }
    if (length === 0) return undefined;
    const termCount = terms.length;
    const alternatives = new Map<number, Expansion>();
    for (const { phrase, strict } of spelled) {
      const own = termCount + phrase;
      alternatives.set(own, { term: own, factor: length * MATCH.exact, strict, prefix: false });
    }
    for (const { phrase } of spelled) {
      for (const related of (phrases[phrase] as Phrase).related) {
        const term = termCount + related;
        if (!alternatives.has(term))
          alternatives.set(term, { term, factor: length * MATCH.synonym, strict: false, prefix: false });
      }
    }
    return {
      kind: 'phrase',
      typed: tokens.slice(start, start + length).join(' '),
      phrases: [...alternatives.values()],
      length,
    };
  }

  /**
   * Documents matching every clause into `bits` (those matching every clause as typed into
   * `strict`), their summed scores into `total`.
   */
  private matchAll(
    clauses: readonly Clause[],
    total: Float32Array,
    clauseScore: Float32Array,
    bits: Bits,
    strict: Bits,
    record?: ClauseMatch[],
  ): void {
    total.fill(0);
    clauses.forEach((clause, index) => {
      clauseScore.fill(0);
      const clauseBits = this.newBits();
      const clauseStrict = this.newBits();
      let words: Bits | undefined;
      if (clause.kind === 'word')
        this.matchExpansions(clause.expansions, clauseScore, clauseBits, clauseStrict);
      else words = this.matchPhrase(clause, clauseScore, clauseBits, clauseStrict);
      if (index === 0) {
        bits.set(clauseBits);
        strict.set(clauseStrict);
      } else {
        andInto(bits, clauseBits);
        andInto(strict, clauseStrict);
      }
      for (let w = 0; w < bits.length; w++) {
        let word = bits[w] as number;
        while (word !== 0) {
          const lowest = word & -word;
          const doc = (w << 5) | (31 - Math.clz32(lowest));
          total[doc] = (total[doc] as number) + (clauseScore[doc] as number);
          word ^= lowest;
        }
      }
      record?.push({ clause, strict: clauseStrict, ...(words ? { words } : {}) });
    });
  }

  /** A document's score is its best expansion's. `score` starts at 0 for every document. */
  private matchExpansions(
    expansions: readonly Expansion[],
    score: Float32Array,
    bits: Bits,
    strict: Bits,
  ): void {
    const { postingStart, postingDoc, postingWeight } = this.text;
    for (const expansion of expansions) {
      const end = postingStart[expansion.term + 1] as number;
      for (let at = postingStart[expansion.term] as number; at < end; at++) {
        const doc = postingDoc[at] as number;
        const value = (postingWeight[at] as number) * expansion.factor;
        if (value > (score[doc] as number)) score[doc] = value;
        const mask = 1 << (doc & 31);
        bits[doc >>> 5] = (bits[doc >>> 5] as number) | mask;
        if (expansion.strict) strict[doc >>> 5] = (strict[doc >>> 5] as number) | mask;
      }
    }
  }

  /** Either all the phrase's words, or one of its synonym phrases. Returns what the words matched. */
  private matchPhrase(clause: PhraseClause, score: Float32Array, bits: Bits, strict: Bits): Bits {
    const words = this.newBits();
    const wordsStrict = this.newBits();
    this.matchAll(clause.words, this.phraseTotal, this.phraseWordScore, words, wordsStrict);
    this.matchExpansions(clause.phrases, score, bits, strict);
    for (let w = 0; w < words.length; w++) {
      let word = words[w] as number;
      while (word !== 0) {
        const lowest = word & -word;
        const doc = (w << 5) | (31 - Math.clz32(lowest));
        if ((this.phraseTotal[doc] as number) > (score[doc] as number))
          score[doc] = this.phraseTotal[doc] as number;
        word ^= lowest;
      }
    }
    orInto(bits, words);
    orInto(strict, wordsStrict);
    return words;
  }

  /** The query as the results read it: each clause as typed where that found them, else corrected. */
  private interpretation(matches: readonly ClauseMatch[], result: Bits): string | undefined {
    const parts = matches.map(({ clause, strict, words }) => {
      if (countBoth(result, strict) > 0) return clause.typed;
      if (clause.kind === 'word') return this.bestExpansion(clause, result);
      let best = { text: clause.typed, count: words ? countBoth(words, result) : 0 };
      if (best.count > 0) best.text = clause.words.map((word) => this.bestExpansion(word, result)).join(' ');
      for (const expansion of clause.phrases) {
        const count = this.countIn(expansion.term, result);
        const phrase = this.text.phrases[expansion.term - this.text.terms.length] as Phrase;
        if (count > best.count) best = { text: phrase.display, count };
      }
      return best.text;
    });
    const interpreted = parts.join(' ');
    return interpreted === matches.map(({ clause }) => clause.typed).join(' ') ? undefined : interpreted;
  }

  private bestExpansion(clause: WordClause, result: Bits): string {
    let best = { text: clause.typed, count: 0, factor: 0 };
    for (const expansion of clause.expansions) {
      const count = this.countIn(expansion.term, result);
      if (count > best.count || (count === best.count && count > 0 && expansion.factor > best.factor))
        best = { text: this.text.terms[expansion.term] as string, count, factor: expansion.factor };
    }
    return best.text;
  }

  private countIn(term: number, result: Bits): number {
    const { postingStart, postingDoc } = this.text;
    let count = 0;
    const end = postingStart[term + 1] as number;
    for (let at = postingStart[term] as number; at < end; at++)
      if (hasBit(result, postingDoc[at] as number)) count++;
    return count;
  }
}

// ————————————————————————————————————————— helpers

/** A stored product that no longer validates is listed without a price. */
function compiledOrUndefined(product: Product): CompiledPricing | undefined {
  try {
    return compilePricing(pricedProductOf(product));
  } catch {
    return undefined;
  }
}

/** The text of a product, by field: every language of names, summaries and descriptions. */
function piecesOf(
  product: Product,
  categoriesById: ReadonlyMap<string, Category>,
  definitions: ReadonlyMap<string, AttributeDefinition>,
  wordsOf: (text: string) => Int32Array,
): Piece[] {
  const pieces: Piece[] = [];
  const add = (field: number, text: string | undefined) => {
    if (!text) return;
    const ids = wordsOf(text);
    if (ids.length > 0) pieces.push({ field, ids });
  };
  const addAll = (field: number, text: LocalizedText | undefined) => {
    for (const value of Object.values(text ?? {})) add(field, value);
  };
  addAll(FIELD.name, product.name);
  addAll(FIELD.summary, product.summary);
  addAll(FIELD.description, product.description);
  for (const keyword of product.keywords) add(FIELD.keywords, keyword);
  const seen = new Set<string>();
  for (const id of product.categoryIds) {
    let category = categoriesById.get(id);
    let field: number = FIELD.category;
    while (category && !seen.has(category.id)) {
      seen.add(category.id);
      addAll(field, category.name);
      field = FIELD.parentCategory;
      category = category.parentId === null ? undefined : categoriesById.get(category.parentId);
    }
  }
  for (const [key, value] of Object.entries(product.attributes)) {
    const definition = definitions.get(key);
    if (definition?.type === 'enum' && typeof value === 'string') {
      add(FIELD.attribute, value);
      addAll(FIELD.attribute, definition.values?.find((known) => known.key === value)?.label);
    } else if (definition?.type === 'text' && typeof value === 'string') {
      add(FIELD.textAttribute, value);
    }
  }
  return pieces;
}

/** A price rank as a sort key, ascending (`direction` 1) or descending (−1); unpriced (−1) last. */
const priceKey = (rank: number, direction: 1 | -1) =>
  rank < 0 ? Number.POSITIVE_INFINITY : direction * rank;

/** First index whose term is ≥ `text`. */
function lowerBound(terms: readonly string[], text: string): number {
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((terms[middle] as string) < text) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The price ranks `[from, to)` the ranges allow, compared as decimals: `price<=0.05` includes a
 * product at exactly 0.05 whatever binary fractions would say.
 */
function rankBounds(ladder: readonly Decimal[], ranges: readonly RangeFilter[]): [number, number] {
  /** First rank whose price is above (or, `orEqual`, at least) the amount. */
  const firstRank = (amount: Decimal, orEqual: boolean) => {
    let low = 0;
    let high = ladder.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const comparison = (ladder[middle] as Decimal).comparedTo(amount);
      if (comparison > 0 || (orEqual && comparison === 0)) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  let from = 0;
  let to = ladder.length;
  for (const range of ranges) {
    // the number came from the query's text; its shortest form is what the buyer wrote
    const amount = decimal(String(range.value));
    if (range.operator === '>=') from = Math.max(from, firstRank(amount, true));
    else if (range.operator === '>') from = Math.max(from, firstRank(amount, false));
    else if (range.operator === '<=') to = Math.min(to, firstRank(amount, false));
    else to = Math.min(to, firstRank(amount, true));
  }
  return [from, to];
}

function compareWith(value: number, operator: RangeFilter['operator'], bound: number): boolean {
  if (operator === '>=') return value >= bound;
  if (operator === '>') return value > bound;
  if (operator === '<=') return value <= bound;
  return value < bound;
}

/** A number attribute: one of the values asked for (if any), and within every range. */
function valueMatches(value: number, equals: readonly number[], ranges: readonly RangeFilter[]): boolean {
  if (equals.length > 0 && !equals.includes(value)) return false;
  for (const range of ranges) if (!compareWith(value, range.operator, range.value)) return false;
  return true;
}

/**
 * A capacity dimension `[min, max]` can be configured as asked: reaches up to a lower bound
 * (`vcpu>=4`: max ≥ 4), down to an upper bound (`vcpu<=2`: min ≤ 2), holds an asked value.
 */
function rangeMatches(
  min: number,
  max: number,
  equals: readonly number[],
  ranges: readonly RangeFilter[],
): boolean {
  if (equals.length > 0 && !equals.some((value) => min <= value && value <= max)) return false;
  for (const range of ranges) {
    // a lower bound needs the maximum to reach it, an upper bound the minimum
    const lower = range.operator === '>=' || range.operator === '>';
    if (!compareWith(lower ? max : min, range.operator, range.value)) return false;
  }
  return true;
}

/** Min and max of `values` over the documents of `bits` that have one; undefined if none do. */
function boundsOver(bits: Bits, values: Float64Array): [number, number] | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w] as number;
    while (word !== 0) {
      const lowest = word & -word;
      const value = values[(w << 5) | (31 - Math.clz32(lowest))] as number;
      if (value < min) min = value;
      if (value > max) max = value;
      word ^= lowest;
    }
  }
  return min <= max ? [min, max] : undefined;
}

/** The bounds a range facet shows as selected. */
function selectedRange(filters: readonly SearchFilter[] | undefined): { from?: number; to?: number } {
  let from: number | undefined;
  let to: number | undefined;
  for (const filter of filters ?? []) {
    if (filter.kind === 'value') {
      const value = Number(filter.value);
      from = from === undefined ? value : Math.max(from, value);
      to = to === undefined ? value : Math.min(to, value);
    } else if (filter.operator === '>=' || filter.operator === '>') {
      from = from === undefined ? filter.value : Math.max(from, filter.value);
    } else {
      to = to === undefined ? filter.value : Math.min(to, filter.value);
    }
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/**
 * The first `count` of `docs[0…total)` in `compare` order: a bounded heap when the page is a small
 * part of the matches (the usual case), else a sort of them all.
 */
function firstInOrder(
  docs: Int32Array,
  total: number,
  count: number,
  compare: (a: number, b: number) => number,
): number[] {
  if (count * 4 >= total) return Array.from(docs.subarray(0, total).sort(compare).subarray(0, count));
  // max-heap of the best `count` so far: the worst of them on top
  const heap = new Int32Array(count);
  let size = 0;
  const worse = (i: number, j: number) => compare(heap[i] as number, heap[j] as number) > 0;
  const swap = (i: number, j: number) => {
    const kept = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = kept;
  };
  for (let i = 0; i < total; i++) {
    const doc = docs[i] as number;
    if (size < count) {
      heap[size] = doc;
      let child = size++;
      while (child > 0) {
        const parent = (child - 1) >>> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
    } else if (compare(doc, heap[0] as number) < 0) {
      heap[0] = doc;
      let parent = 0;
      for (;;) {
        const left = 2 * parent + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && worse(right, left) ? right : left;
        if (!worse(child, parent)) break;
        swap(child, parent);
        parent = child;
      }
    }
  }
  return Array.from(heap.sort(compare));
}

function invalidFilter(filter: SearchFilter, hint: string): ValidationError {
  return new ValidationError(
    'invalid_filter',
    `"${formatSearchFilter(filter)}" is not a filter this store understands: ${hint}`,
    [{ path: 'filter', message: hint, code: 'invalid_filter' }],
  );
}
