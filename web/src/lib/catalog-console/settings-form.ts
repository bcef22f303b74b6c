/**
 * The catalog settings form: seller country, currencies (the first is the default), attribute
 * definitions as rows, and synonym groups as text — one group per line, terms separated by commas.
 */
import type { AttributeDefinition, CatalogSettings, LocalizedText } from '#lib/api/catalog-admin.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { Segment } from './issue-paths.ts';

/** The currencies the API knows (shared/src/catalog/money.ts), by name. */
export const CURRENCY_NAMES: Record<CurrencyCode, string> = {
  EUR: 'Euro',
  USD: 'US dollar',
  GBP: 'Pound sterling',
  CHF: 'Swiss franc',
  JPY: 'Yen',
  SEK: 'Swedish krona',
  NOK: 'Norwegian krone',
  DKK: 'Danish krone',
  PLN: 'Złoty',
  CZK: 'Czech koruna',
  CAD: 'Canadian dollar',
  AUD: 'Australian dollar',
};
export const CURRENCY_CODES = Object.keys(CURRENCY_NAMES) as CurrencyCode[];

export type ValueRow = { key: string; label: Record<string, string> };
export type AttributeRow = {
  key: string;
  label: Record<string, string>;
  type: AttributeDefinition['type'];
  values: ValueRow[];
  unit: string;
  facet: boolean;
};
export type SettingsForm = {
  sellerCountry: string;
  /** Ticked currencies, in the store's order (the default first). */
  currencies: CurrencyCode[];
  attributes: AttributeRow[];
  synonyms: string;
};

export const ATTRIBUTE_TYPES: readonly { type: AttributeDefinition['type']; label: string }[] = [
  { type: 'enum', label: 'One of a list' },
  { type: 'number', label: 'Number' },
  { type: 'boolean', label: 'Yes or no' },
  { type: 'text', label: 'Text' },
];

const localized = (text: LocalizedText, locales: readonly string[]): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const locale of locales) fields[locale] = text[locale] ?? '';
  for (const [locale, value] of Object.entries(text)) fields[locale] ??= value;
  return fields;
};

function localizedText(fields: Record<string, string>): LocalizedText {
  return Object.fromEntries(
    Object.entries(fields)
      .map(([locale, text]) => [locale, text.trim()] as const)
      .filter(([, text]) => text !== ''),
  );
}

export const newAttribute = (locales: readonly string[]): AttributeRow => ({
  key: '',
  label: Object.fromEntries(locales.map((locale) => [locale, ''])),
  type: 'enum',
  values: [{ key: '', label: Object.fromEntries(locales.map((locale) => [locale, ''])) }],
  unit: '',
  facet: true,
});

export const newValue = (locales: readonly string[]): ValueRow => ({
  key: '',
  label: Object.fromEntries(locales.map((locale) => [locale, ''])),
});

export function settingsFormOf(settings: CatalogSettings, locales: readonly string[]): SettingsForm {
  return {
    sellerCountry: settings.sellerCountry,
    currencies: [...settings.currencies],
    attributes: settings.attributes.map((definition) => ({
      key: definition.key,
      label: localized(definition.label, locales),
      type: definition.type,
      values: (definition.values ?? []).map((value) => ({
        key: value.key,
        label: localized(value.label, locales),
      })),
      unit: definition.unit ?? '',
      facet: definition.facet,
    })),
    synonyms: synonymsText(settings.synonyms),
  };
}

/** Groups as text: one group per line, terms separated by ", ". */
export function synonymsText(groups: readonly (readonly string[])[]): string {
  return groups.map((group) => group.join(', ')).join('\n');
}

export type SynonymParse = {
  groups: string[][];
  /** Group index → its line in the text (from 1), to place the API's `synonyms[3][0]` issues. */
  lines: number[];
  /** Lines that are not a group yet. */
  problems: { line: number; message: string }[];
};

/**
 * Text → synonym groups. Blank lines are skipped; a term may not contain a comma; a group needs two
 * different terms (a line with one word finds nothing new).
 *
 * @example parseSynonyms('vm, vps\n\npostgres, psql') // { groups: [['vm', 'vps'], ['postgres', 'psql']], lines: [1, 3], problems: [] }
 */
export function parseSynonyms(text: string): SynonymParse {
  const result: SynonymParse = { groups: [], lines: [], problems: [] };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const terms = raw
      .split(',')
      .map((term) => term.trim().replace(/\s+/g, ' '))
      .filter((term) => term !== '');
    if (terms.length === 0) return;
    const distinct = [...new Set(terms.map((term) => term.toLowerCase()))];
    if (distinct.length < 2) {
      result.problems.push({
        line,
        message: `Line ${line} has one term (“${terms[0]}”): a group needs at least two that mean the same, separated by commas.`,
      });
      return;
    }
    result.groups.push(terms);
    result.lines.push(line);
  });
  return result;
}

export type SettingsResult =
  | { ok: true; settings: CatalogSettings; lines: number[] }
  | { ok: false; errors: Map<string, string> };

/** The settings the API takes, or what to fix first. */
export function settingsOf(form: SettingsForm): SettingsResult {
  const errors = new Map<string, string>();
  if (form.currencies.length === 0) errors.set('currencies', 'Choose at least one currency.');
  if (!/^[A-Z]{2}$/.test(form.sellerCountry))
    errors.set('sellerCountry', 'Choose the country you sell from.');
  const synonyms = parseSynonyms(form.synonyms);
  if (synonyms.problems.length > 0)
    errors.set('synonyms', synonyms.problems.map((problem) => problem.message).join(' '));
  const attributes = form.attributes.map((row): AttributeDefinition => {
    const unit = row.unit.trim();
    return {
      key: row.key.trim(),
      label: localizedText(row.label),
      type: row.type,
      ...(row.type === 'enum'
        ? {
            values: row.values.map((value) => ({ key: value.key.trim(), label: localizedText(value.label) })),
          }
        : {}),
      ...(row.type === 'number' && unit ? { unit } : {}),
      facet: row.facet,
    };
  });
  if (errors.size > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      sellerCountry: form.sellerCountry,
      currencies: form.currencies,
      attributes,
      synonyms: synonyms.groups,
    },
    lines: synonyms.lines,
  };
}

/** The keys of the settings form's fields, for the issues of a 400. */
export function settingsFieldKeys(form: SettingsForm): Set<string> {
  const keys = new Set(['sellerCountry', 'currencies', 'synonyms', 'attributes']);
  form.attributes.forEach((row, index) => {
    for (const field of ['key', 'type', 'unit', 'facet', 'values']) keys.add(`attributes.${index}.${field}`);
    for (const locale of Object.keys(row.label)) keys.add(`attributes.${index}.label.${locale}`);
    keys.add(`attributes.${index}.label`);
    row.values.forEach((value, valueIndex) => {
      keys.add(`attributes.${index}.values.${valueIndex}.key`);
      keys.add(`attributes.${index}.values.${valueIndex}.label`);
      for (const locale of Object.keys(value.label))
        keys.add(`attributes.${index}.values.${valueIndex}.label.${locale}`);
    });
  });
  return keys;
}

/** "Line 4" for an issue at `synonyms[3][0]`, given the lines the groups came from. */
export function synonymLine(rest: readonly Segment[], lines: readonly number[]): number | undefined {
  const group = rest[0];
  return typeof group === 'number' ? lines[group] : undefined;
}

/** Ticks or unticks a currency, keeping the store's order (a newly ticked one goes last). */
export function toggleCurrency(
  currencies: readonly CurrencyCode[],
  code: CurrencyCode,
  on: boolean,
): CurrencyCode[] {
  if (on) return currencies.includes(code) ? [...currencies] : [...currencies, code];
  return currencies.filter((currency) => currency !== code);
}

/** Makes `code` the default currency: first in the list. */
export function makeDefaultCurrency(currencies: readonly CurrencyCode[], code: CurrencyCode): CurrencyCode[] {
  return [code, ...currencies.filter((currency) => currency !== code)];
}
