/**
 * The product editor's form, as plain data: every input holds the text the person typed (numbers
 * too, so "1." or "" stay on screen), turned into a `ProductDraft` on save. Prices and presets are
 * JSON texts; dimensions, options, inputs, images and the configurator are structured rows.
 * Field keys follow the API's paths (`dimensions.0.max`), so the issues of a 400 find their fields.
 */

import { parseConfiguration } from '#lib/api/catalog.ts';
import type {
  AttributeDefinition,
  CapacityDimension,
  Configurator,
  LocalizedText,
  Preset,
  PriceList,
  Product,
  ProductDraft,
  ProductInput,
  ProductKind,
  ProductOption,
} from '#lib/api/catalog-admin.ts';
import { parsePriceList } from '#lib/api/catalog-admin.ts';
import { isRecord } from '#lib/api/http.ts';
import type { Segment } from './issue-paths.ts';
import { formatJson, type JsonPath, lineOfPath, parseJsonText } from './json-text.ts';

export type DimensionRow = {
  key: string;
  label: string;
  unit: string;
  min: string;
  max: string;
  step: string;
  default: string;
  control: CapacityDimension['control'];
};
export type ChoiceRow = { key: string; label: string };
export type OptionRow = {
  key: string;
  label: string;
  type: ProductOption['type'];
  choices: ChoiceRow[];
  /** single: a choice key; multi: choice keys, comma-separated; toggle: 'true', 'false'; '' for none. */
  default: string;
};
export type InputRow = {
  key: string;
  label: string;
  type: ProductInput['type'];
  required: boolean;
  placeholder: string;
};
export type ImageRow = { url: string; alt: string };
export type ConfiguratorType = Configurator['type'];
export type ConfiguratorForm = {
  type: ConfiguratorType;
  imageOption: string;
  /** JSON: `{ "windows": { "vcpu": 2 } }`. */
  imageRequirements: string;
  hostnameInput: string;
  domainInput: string;
  tldOption: string;
  nameInput: string;
  seatsDimension: string;
  adminDomainInput: string;
};

export type ProductForm = {
  slug: string;
  kind: ProductKind;
  /** Language → text, for each language the editor offers. */
  name: Record<string, string>;
  summary: Record<string, string>;
  description: Record<string, string>;
  /** The product's home in the tree (the first of `categoryIds`). */
  homeCategory: string;
  /** Further categories it is listed in. */
  otherCategories: string[];
  /** Attribute key → the value as typed ('' not set; booleans 'true' / 'false'). */
  attributes: Record<string, string>;
  images: ImageRow[];
  /** Comma-separated. */
  keywords: string;
  dimensions: DimensionRow[];
  options: OptionRow[];
  inputs: InputRow[];
  configurator: ConfiguratorForm;
  /** JSON: currency → price list. */
  prices: string;
  /** JSON: a list of presets. */
  presets: string;
  /** JSON: the SLA policy, or empty for none. */
  sla: string;
};

export const CONFIGURATOR_TYPES: readonly {
  type: ConfiguratorType;
  label: string;
  fields: readonly ConfiguratorField[];
}[] = [
  { type: 'generic', label: 'Generic: no built-in checks', fields: [] },
  {
    type: 'server',
    label: 'Server: OS image requirements, hostname',
    fields: ['imageOption', 'imageRequirements', 'hostnameInput'],
  },
  {
    type: 'domain',
    label: 'Domain: name syntax, TLD sold, availability',
    fields: ['domainInput', 'tldOption'],
  },
  { type: 'cloudService', label: 'Cloud service: a unique service name', fields: ['nameInput'] },
  {
    type: 'productivitySuite',
    label: 'Productivity suite: seats and admin domain',
    fields: ['seatsDimension', 'adminDomainInput'],
  },
];
export type ConfiguratorField = Exclude<keyof ConfiguratorForm, 'type'>;

export const CONFIGURATOR_FIELD_LABELS: Record<ConfiguratorField, { label: string; hint: string }> = {
  imageOption: { label: 'OS image option', hint: 'The key of a single-choice option holding the OS image.' },
  imageRequirements: {
    label: 'Image requirements (JSON)',
    hint: 'Minimum dimension values per image choice, e.g. { "windows": { "vcpu": 2, "ram_gb": 4 } }.',
  },
  hostnameInput: { label: 'Hostname input', hint: 'The key of an input of type hostname.' },
  domainInput: { label: 'Domain input', hint: 'The key of an input of type domain.' },
  tldOption: {
    label: 'TLD option',
    hint: 'The key of a single-choice option whose choices are the TLDs (co_uk for .co.uk).',
  },
  nameInput: { label: 'Service name input', hint: 'The key of the input holding the service’s name.' },
  seatsDimension: { label: 'Seats dimension', hint: 'The key of the dimension counting seats.' },
  adminDomainInput: { label: 'Admin domain input', hint: 'The key of an input of type domain.' },
};

const DIMENSION_FIELDS = ['key', 'label', 'unit', 'min', 'max', 'step', 'default', 'control'] as const;
const NUMBER_FIELDS = ['min', 'max', 'step', 'default'] as const;

export const newDimension = (): DimensionRow => ({
  key: '',
  label: '',
  unit: '',
  min: '0',
  max: '',
  step: '1',
  default: '',
  control: 'slider',
});
export const newOption = (): OptionRow => ({
  key: '',
  label: '',
  type: 'single',
  choices: [{ key: '', label: '' }],
  default: '',
});
export const newInput = (): InputRow => ({
  key: '',
  label: '',
  type: 'text',
  required: true,
  placeholder: '',
});

/** A price list to start from: free until the merchant fills in rates. */
function emptyPriceList(dimensionKeys: readonly string[] = []): PriceList {
  return {
    baseRate: '0',
    setupFee: '0',
    dimensions: Object.fromEntries(dimensionKeys.map((key) => [key, { model: 'perUnit', unitPrice: '0' }])),
    options: {},
  };
}

function localizedFields(
  text: LocalizedText | undefined,
  locales: readonly string[],
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const locale of locales) fields[locale] = text?.[locale] ?? '';
  for (const [locale, value] of Object.entries(text ?? {})) fields[locale] ??= value;
  return fields;
}

function emptyConfigurator(): ConfiguratorForm {
  return {
    type: 'generic',
    imageOption: '',
    imageRequirements: '{}',
    hostnameInput: '',
    domainInput: '',
    tldOption: '',
    nameInput: '',
    seatsDimension: '',
    adminDomainInput: '',
  };
}

function configuratorForm(configurator: Configurator): ConfiguratorForm {
  const form = { ...emptyConfigurator(), type: configurator.type };
  switch (configurator.type) {
    case 'server':
      return {
        ...form,
        imageOption: configurator.imageOption,
        imageRequirements: formatJson(configurator.imageRequirements),
        hostnameInput: configurator.hostnameInput ?? '',
      };
    case 'domain':
      return { ...form, domainInput: configurator.domainInput, tldOption: configurator.tldOption };
    case 'cloudService':
      return { ...form, nameInput: configurator.nameInput };
    case 'productivitySuite':
      return {
        ...form,
        seatsDimension: configurator.seatsDimension,
        adminDomainInput: configurator.adminDomainInput,
      };
    default:
      return form;
  }
}

function optionDefaultText(option: ProductOption): string {
  const value = option.default;
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A blank product: one price list per store currency, the first category as its home. */
export function emptyProductForm(locales: readonly string[], currencies: readonly string[]): ProductForm {
  return {
    slug: '',
    kind: 'iaas',
    name: localizedFields(undefined, locales),
    summary: localizedFields(undefined, locales),
    description: localizedFields(undefined, locales),
    homeCategory: '',
    otherCategories: [],
    attributes: {},
    images: [],
    keywords: '',
    dimensions: [],
    options: [],
    inputs: [],
    configurator: emptyConfigurator(),
    prices: formatJson(Object.fromEntries(currencies.map((currency) => [currency, emptyPriceList()]))),
    presets: '[]',
    sla: '',
  };
}

/** The form for an existing product. */
export function productFormOf(product: Product, locales: readonly string[]): ProductForm {
  return {
    slug: product.slug,
    kind: product.kind,
    name: localizedFields(product.name, locales),
    summary: localizedFields(product.summary, locales),
    description: localizedFields(product.description, locales),
    homeCategory: product.categoryIds[0] ?? '',
    otherCategories: product.categoryIds.slice(1),
    attributes: Object.fromEntries(
      Object.entries(product.attributes).map(([key, value]) => [key, String(value)]),
    ),
    images: product.images.map((image) => ({ ...image })),
    keywords: product.keywords.join(', '),
    dimensions: product.dimensions.map((dimension) => ({
      key: dimension.key,
      label: dimension.label,
      unit: dimension.unit,
      min: String(dimension.min),
      max: String(dimension.max),
      step: String(dimension.step),
      default: String(dimension.default),
      control: dimension.control,
    })),
    options: product.options.map((option) => ({
      key: option.key,
      label: option.label,
      type: option.type,
      choices: (option.choices ?? []).map((choice) => ({ ...choice })),
      default: optionDefaultText(option),
    })),
    inputs: product.inputs.map((input) => ({
      key: input.key,
      label: input.label,
      type: input.type,
      required: input.required,
      placeholder: input.placeholder ?? '',
    })),
    configurator: configuratorForm(product.configurator),
    prices: formatJson(product.prices),
    presets: formatJson(product.presets),
    sla: product.sla ? formatJson(product.sla) : '',
  };
}

/** A number as typed: `undefined` unless the whole text is one ("1e3" and "0x10" are not). */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** "postgres, psql ,  db" → ['postgres', 'psql', 'db']. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');
}

function localizedText(fields: Record<string, string>): LocalizedText | undefined {
  const entries = Object.entries(fields)
    .map(([locale, text]) => [locale, text.trim()] as const)
    .filter(([, text]) => text !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The value of an attribute as the API takes it, or an error in words; `undefined` = not set. */
function attributeValue(
  definition: AttributeDefinition,
  text: string,
): { value?: string | number | boolean; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  switch (definition.type) {
    case 'number': {
      const value = numberOf(trimmed);
      return value === undefined ? { error: 'Enter a number, like 99.9.' } : { value };
    }
    case 'boolean':
      return { value: trimmed === 'true' };
    default:
      return { value: trimmed };
  }
}

type JsonField = { value?: unknown; error?: string };

function jsonField(text: string): JsonField {
  const parsed = parseJsonText(text);
  if (parsed.ok) return { value: parsed.value };
  return { error: `Line ${parsed.line}, column ${parsed.column}: ${parsed.message}.` };
}

function optionDefault(row: OptionRow): ProductOption['default'] {
  const text = row.default.trim();
  if (text === '') return undefined;
  if (row.type === 'toggle') return text === 'true';
  if (row.type === 'multi') return splitList(text);
  return text;
}

function configuratorOf(form: ConfiguratorForm, errors: Map<string, string>): Configurator {
  const text = (value: string) => value.trim();
  switch (form.type) {
    case 'server': {
      const requirements = jsonField(form.imageRequirements);
      if (requirements.error) errors.set('configurator.imageRequirements', requirements.error);
      else if (!isRecord(requirements.value))
        errors.set(
          'configurator.imageRequirements',
          'Write an object: { "choice": { "dimension": minimum } }.',
        );
      const hostnameInput = text(form.hostnameInput);
      return {
        type: 'server',
        imageOption: text(form.imageOption),
        imageRequirements: (requirements.value ?? {}) as Record<string, Record<string, number>>,
        ...(hostnameInput ? { hostnameInput } : {}),
      };
    }
    case 'domain':
      return { type: 'domain', domainInput: text(form.domainInput), tldOption: text(form.tldOption) };
    case 'cloudService':
      return { type: 'cloudService', nameInput: text(form.nameInput) };
    case 'productivitySuite':
      return {
        type: 'productivitySuite',
        seatsDimension: text(form.seatsDimension),
        adminDomainInput: text(form.adminDomainInput),
      };
    default:
      return { type: 'generic' };
  }
}

export type DraftResult =
  | {
      ok: true;
      draft: ProductDraft /** Attributes of the product the settings no longer define (left out). */;
      dropped: string[];
    }
  | { ok: false; errors: Map<string, string> };

/**
 * The draft the API takes, or the problems found before sending: numbers that are not numbers,
 * JSON that does not parse, a missing home category or name. Everything else the API checks
 * (and says where).
 */
export function draftOf(
  form: ProductForm,
  definitions: readonly AttributeDefinition[],
  defaultLocale: string,
): DraftResult {
  const errors = new Map<string, string>();
  const slug = form.slug.trim();
  if (slug === '') errors.set('slug', 'Enter the product’s address, like “virtual-server”.');
  const name = localizedText(form.name);
  if (!name?.[defaultLocale]) errors.set(`name.${defaultLocale}`, 'Enter the product’s name.');
  if (form.homeCategory === '') errors.set('categoryIds', 'Choose where the product sits in the catalog.');

  const attributes: ProductDraft['attributes'] = {};
  const defined = new Set(definitions.map((definition) => definition.key));
  for (const definition of definitions) {
    const { value, error } = attributeValue(definition, form.attributes[definition.key] ?? '');
    if (error) errors.set(`attributes.${definition.key}`, error);
    else if (value !== undefined) attributes[definition.key] = value;
  }
  const dropped = Object.keys(form.attributes).filter(
    (key) => !defined.has(key) && form.attributes[key] !== '',
  );

  const dimensions = form.dimensions.map((row, index) => {
    const numbers: Partial<Record<(typeof NUMBER_FIELDS)[number], number>> = {};
    for (const field of NUMBER_FIELDS) {
      const value = numberOf(row[field]);
      if (value === undefined) errors.set(`dimensions.${index}.${field}`, 'Enter a number, like 4 or 0.5.');
      else numbers[field] = value;
    }
    return {
      key: row.key.trim(),
      label: row.label.trim(),
      unit: row.unit.trim(),
      min: numbers.min ?? 0,
      max: numbers.max ?? 0,
      step: numbers.step ?? 1,
      default: numbers.default ?? 0,
      control: row.control,
    } satisfies CapacityDimension;
  });

  const options = form.options.map((row): ProductOption => {
    const choices =
      row.type === 'toggle' || row.choices.length === 0
        ? undefined
        : row.choices.map((choice) => ({ key: choice.key.trim(), label: choice.label.trim() }));
    const byDefault = optionDefault(row);
    return {
      key: row.key.trim(),
      label: row.label.trim(),
      type: row.type,
      ...(choices ? { choices } : {}),
      ...(byDefault === undefined ? {} : { default: byDefault }),
    };
  });

  const inputs = form.inputs.map(
    (row): ProductInput => ({
      key: row.key.trim(),
      label: row.label.trim(),
      type: row.type,
      required: row.required,
      ...(row.placeholder.trim() ? { placeholder: row.placeholder.trim() } : {}),
    }),
  );

  const prices = jsonField(form.prices);
  if (prices.error) errors.set('prices', prices.error);
  else if (!isRecord(prices.value))
    errors.set('prices', 'Write an object with one price list per currency: { "EUR": { … } }.');
  const presets = jsonField(form.presets);
  if (presets.error) errors.set('presets', presets.error);
  else if (!Array.isArray(presets.value)) errors.set('presets', 'Write a list: [ { "key": "s", … } ] or [].');

  const sla = form.sla.trim() === '' ? { value: undefined } : jsonField(form.sla);
  if (sla.error) errors.set('sla', sla.error);
  else if (sla.value !== undefined && !isRecord(sla.value))
    errors.set('sla', 'Write an object like { "creditPercent": 100 }, or leave it empty for no SLA.');

  const configurator = configuratorOf(form.configurator, errors);
  if (errors.size > 0) return { ok: false, errors };

  const summary = localizedText(form.summary);
  const description = localizedText(form.description);
  const draft: ProductDraft = {
    slug,
    kind: form.kind,
    name: name ?? {},
    ...(summary ? { summary } : {}),
    ...(description ? { description } : {}),
    categoryIds: [form.homeCategory, ...form.otherCategories.filter((id) => id !== form.homeCategory)],
    attributes,
    images: form.images.map((image) => ({ url: image.url.trim(), alt: image.alt.trim() })),
    inputs,
    configurator,
    keywords: splitList(form.keywords),
    dimensions,
    options,
    // The API checks the shapes and says where; the types here are what it will accept.
    prices: prices.value as Record<string, PriceList>,
    presets: presets.value as Preset[],
    // The API checks the policy and says where; empty means none.
    ...(sla.value !== undefined ? { sla: sla.value as NonNullable<ProductDraft['sla']> } : {}),
  };
  return { ok: true, draft, dropped };
}

/** The keys of the fields the product form shows now: issues go to the longest that matches. */
export function productFieldKeys(
  form: ProductForm,
  definitions: readonly AttributeDefinition[],
): Set<string> {
  const keys = new Set<string>([
    'slug',
    'kind',
    'categoryIds',
    'keywords',
    'prices',
    'presets',
    'sla',
    'configurator.type',
  ]);
  for (const group of ['name', 'summary', 'description'] as const) {
    for (const locale of Object.keys(form[group])) keys.add(`${group}.${locale}`);
  }
  for (const definition of definitions) keys.add(`attributes.${definition.key}`);
  form.images.forEach((_, index) => {
    keys.add(`images.${index}.url`);
    keys.add(`images.${index}.alt`);
  });
  form.dimensions.forEach((_, index) => {
    for (const field of DIMENSION_FIELDS) keys.add(`dimensions.${index}.${field}`);
  });
  form.options.forEach((option, index) => {
    for (const field of ['key', 'label', 'type', 'default', 'choices']) keys.add(`options.${index}.${field}`);
    option.choices.forEach((_, choice) => {
      keys.add(`options.${index}.choices.${choice}.key`);
      keys.add(`options.${index}.choices.${choice}.label`);
    });
  });
  form.inputs.forEach((_, index) => {
    for (const field of ['key', 'label', 'type', 'required', 'placeholder'])
      keys.add(`inputs.${index}.${field}`);
  });
  const configurator = CONFIGURATOR_TYPES.find((entry) => entry.type === form.configurator.type);
  for (const field of configurator?.fields ?? []) keys.add(`configurator.${field}`);
  return keys;
}

/**
 * Paths the API reports for a field as a whole, pointed at the input that holds it: `name` (the
 * default language is missing) → `name.en`; `summary` → `summary.en`.
 */
export function productIssueRewrite(defaultLocale: string): (segments: Segment[]) => Segment[] {
  return (segments) => {
    const [first] = segments;
    if (segments.length === 1 && (first === 'name' || first === 'summary' || first === 'description'))
      return [first, defaultLocale];
    return segments;
  };
}

/** The line of `rest` inside a JSON field's text, for "line 12" next to an issue there. */
export function jsonLine(text: string, rest: JsonPath): number | undefined {
  const parsed = parseJsonText(text);
  return parsed.ok ? lineOfPath(parsed.lines, rest) : undefined;
}

/** Whether the JSON of a field reads as what the API takes (for the live preview only). */
export function pricedParts(
  draft: ProductDraft,
): { prices: Record<string, PriceList>; presets: Preset[] } | undefined {
  const prices: Record<string, PriceList> = {};
  for (const [currency, list] of Object.entries(draft.prices)) {
    const parsed = parsePriceList(list);
    if (!parsed) return undefined;
    prices[currency] = parsed;
  }
  const presets: Preset[] = [];
  for (const preset of draft.presets as unknown[]) {
    if (!isRecord(preset) || typeof preset.key !== 'string' || typeof preset.label !== 'string')
      return undefined;
    const configuration = parseConfiguration(preset.configuration);
    if (!configuration) return undefined;
    presets.push({ key: preset.key, label: preset.label, configuration });
  }
  return { prices, presets };
}

/**
 * Adds a free perUnit price (`"0"`) for every dimension a price list does not price yet, and a
 * price list for each of `currencies` the text lacks; `undefined` while the text is not JSON.
 *
 * @example withMissingPrices('{ "EUR": { … "dimensions": {} … } }', ['vcpu'], ['EUR']) // '{ "EUR": { … "dimensions": { "vcpu": { "model": "perUnit", "unitPrice": "0" } } … } }'
 */
export function withMissingPrices(
  text: string,
  dimensionKeys: readonly string[],
  currencies: readonly string[],
): string | undefined {
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const prices: Record<string, unknown> = { ...parsed.value };
  for (const currency of currencies) prices[currency] ??= emptyPriceList();
  for (const [currency, list] of Object.entries(prices)) {
    if (!isRecord(list)) continue;
    const dimensions = isRecord(list.dimensions) ? { ...list.dimensions } : {};
    for (const key of dimensionKeys) {
      if (key !== '' && !(key in dimensions)) dimensions[key] = { model: 'perUnit', unitPrice: '0' };
    }
    prices[currency] = { ...list, dimensions };
  }
  return formatJson(prices);
}
