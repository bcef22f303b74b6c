/**
 * Where the API's validation issues belong on the catalog forms. A 400 lists every issue with a
 * path into the request body (`body.dimensions[0].max`, `body.prices.EUR.dimensions.vcpu.tiers[1].upTo`,
 * `body.fix.set.vcpu`); a form registers the keys of its fields (`dimensions.0.max`, `prices`) and
 * each issue goes to the field with the longest matching key, or to the list above the form with
 * its path in words.
 */
import { describeIssue, type FieldIssue, fieldIssues } from '#lib/api/field-errors.ts';
import type { ApiProblem } from '#lib/api/http.ts';

export type Segment = string | number;

/** An issue as the page shows it: where (in words) and what. */
export type PlacedIssue = {
  path: string;
  segments: Segment[];
  /** The part of the path below the field it was placed at (for a JSON field: where inside). */
  rest: Segment[];
  message: string;
  code: string;
};

export type PlacedIssues = {
  /** Field key → its issues, in the order the API sent them. */
  fields: Map<string, PlacedIssue[]>;
  /** Issues no field of the form shows. */
  general: PlacedIssue[];
};

/**
 * `body.prices.EUR.dimensions.vcpu.tiers[1].upTo` → `['prices', 'EUR', 'dimensions', 'vcpu', 'tiers', 1, 'upTo']`.
 * The leading `body` goes; `query.` and `path.` paths keep theirs.
 */
export function pathSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  if (segments[0] === 'body') segments.shift();
  return segments;
}

/** `dimensions.0.max` → `['dimensions', 0, 'max']`: a field key back to a path. */
export function keySegments(key: string): Segment[] {
  return key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `['dimensions', 0, 'max']` → `dimensions.0.max`, the key a form gives the field. */
export function fieldKey(segments: readonly Segment[]): string {
  return segments.join('.');
}

/** The longest prefix of `segments` that is a key in `known`, with what is left below it. */
export function matchField(
  segments: readonly Segment[],
  known: (key: string) => boolean,
): { key: string; rest: Segment[] } | undefined {
  for (let length = segments.length; length > 0; length--) {
    const key = fieldKey(segments.slice(0, length));
    if (known(key)) return { key, rest: segments.slice(length) };
  }
  return undefined;
}

/**
 * Spreads the issues of a 400 over a form. `resolve` may rewrite a path first (a rule's
 * `fix.set.vcpu` is the row whose key is vcpu) and says which keys the form has.
 */
export function placeIssues(
  issues: readonly FieldIssue[],
  known: (key: string) => boolean,
  rewrite: (segments: Segment[]) => Segment[] = (segments) => segments,
): PlacedIssues {
  const placed: PlacedIssues = { fields: new Map(), general: [] };
  for (const issue of issues) {
    const segments = rewrite(pathSegments(issue.path));
    const match = matchField(segments, known);
    const entry: PlacedIssue = {
      path: issue.path,
      segments,
      rest: match?.rest ?? segments,
      message: describeIssue(issue),
      code: issue.code,
    };
    if (match) placed.fields.set(match.key, [...(placed.fields.get(match.key) ?? []), entry]);
    else placed.general.push(entry);
  }
  return placed;
}

/** The validation issues of a problem (none for other problems). */
export function problemIssues(problem: ApiProblem): FieldIssue[] {
  return fieldIssues(problem);
}

/** "… at character 14" in a rule-language message → 14 (counted from 1). */
export function characterPosition(message: string): number | undefined {
  const match = /at character (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

const WORDS: Record<string, string> = {
  slug: 'slug',
  kind: 'kind',
  name: 'name',
  summary: 'summary',
  description: 'description',
  categoryIds: 'categories',
  attributes: 'attributes',
  images: 'images',
  inputs: 'inputs',
  configurator: 'configurator',
  keywords: 'keywords',
  dimensions: 'dimensions',
  options: 'options',
  prices: 'prices',
  presets: 'presets',
  choices: 'choices',
  tiers: 'tiers',
  upTo: 'up to',
  unitPrice: 'unit price',
  flatPrice: 'flat price',
  baseRate: 'base rate',
  setupFee: 'setup fee',
  stoppedRate: 'rate while stopped',
  includedQuantity: 'included quantity',
  blockSize: 'block size',
  blockPrice: 'block price',
  per: 'priced per',
  price: 'price',
  model: 'price model',
  key: 'key',
  label: 'label',
  unit: 'unit',
  min: 'minimum',
  max: 'maximum',
  step: 'step',
  default: 'default',
  control: 'control',
  type: 'type',
  configuration: 'configuration',
  required: 'required',
  placeholder: 'placeholder',
  url: 'URL',
  alt: 'text alternative',
  imageOption: 'image option',
  imageRequirements: 'image requirements',
  hostnameInput: 'hostname input',
  domainInput: 'domain input',
  tldOption: 'TLD option',
  nameInput: 'name input',
  seatsDimension: 'seats dimension',
  adminDomainInput: 'admin domain input',
  assert: 'must hold',
  when: 'applies when',
  message: 'message',
  fix: 'fix',
  set: 'sets',
  quantity: 'quantity',
  add: 'adds',
  remove: 'removes',
  product: 'product',
  preset: 'preset',
  scope: 'scope',
  products: 'products',
  categories: 'categories',
  kinds: 'kinds',
  severity: 'severity',
  enabled: 'enabled',
  parentId: 'parent',
  position: 'position',
  synonyms: 'synonyms',
  sellerCountry: 'seller country',
  currencies: 'currencies',
  facet: 'facet',
  values: 'values',
  expectedRevision: 'revision',
  items: 'sample items',
  accountUsers: 'users in the account',
};

const SINGULAR: Record<string, string> = {
  dimensions: 'dimension',
  options: 'option',
  presets: 'preset',
  inputs: 'input',
  images: 'image',
  keywords: 'keyword',
  categoryIds: 'category',
  choices: 'choice',
  tiers: 'tier',
  attributes: 'attribute',
  values: 'value',
  synonyms: 'synonym group',
  currencies: 'currency',
  products: 'product',
  categories: 'category',
  kinds: 'kind',
  items: 'sample item',
};

const LOCALIZED = new Set(['name', 'summary', 'description', 'label']);

const capital = (text: string) => (text ? text[0]?.toUpperCase() + text.slice(1) : text);

/**
 * A path for people: `prices.EUR.dimensions.vcpu.tiers[1].upTo` → "Prices in EUR › dimension “vcpu” › tier 2 › up to".
 */
export function pathInWords(path: readonly Segment[] | string): string {
  const segments = typeof path === 'string' ? pathSegments(path) : path;
  const parts: string[] = [];
  /** Inside a price list or a configuration, `dimensions` and `options` are keyed by their keys. */
  let keyedByName = false;
  segments.forEach((segment, index) => {
    const parent = segments[index - 1];
    const grandparent = segments[index - 2];
    const replaceLast = (text: string) => {
      parts[parts.length - 1] = text;
    };
    if (typeof segment === 'number') {
      if (typeof parent === 'string')
        replaceLast(`${SINGULAR[parent] ?? WORDS[parent] ?? parent} ${segment + 1}`);
      else parts.push(`${grandparent === 'synonyms' ? 'term' : 'entry'} ${segment + 1}`);
      return;
    }
    if (parent === 'prices' && index === 1) {
      replaceLast(`prices in ${segment}`);
      keyedByName = true;
      return;
    }
    if (parent === 'configuration') keyedByName = true;
    if (typeof parent === 'string' && LOCALIZED.has(parent) && /^[a-z]{2}(-[A-Z]{2})?$/.test(segment)) {
      replaceLast(`${parts.at(-1) ?? ''} (${segment})`);
      return;
    }
    if (keyedByName && (parent === 'dimensions' || parent === 'options')) {
      replaceLast(`${SINGULAR[parent]} “${segment}”`);
      return;
    }
    if (keyedByName && grandparent === 'options' && segments[index - 3] !== 'configuration') {
      parts.push(`choice “${segment}”`);
      return;
    }
    if (parent === 'attributes') {
      replaceLast(`attribute “${segment}”`);
      return;
    }
    if (parent === 'set') {
      replaceLast(`sets “${segment}”`);
      return;
    }
    if (parent === 'imageRequirements' || grandparent === 'imageRequirements') {
      parts.push(`“${segment}”`);
      return;
    }
    parts.push(WORDS[segment] ?? segment);
  });
  if (parts.length === 0) return 'The request';
  return capital(parts.join(' › '));
}

/** One issue as a line of the list above a form: "Prices in EUR › tier 2 › up to: The last tier …". */
export function issueLine(issue: Pick<PlacedIssue, 'segments' | 'message'>): string {
  return `${pathInWords(issue.segments)}: ${issue.message}`;
}
