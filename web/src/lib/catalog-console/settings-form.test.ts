import { describe, expect, it } from 'vitest';
import { CatalogSettings } from '#shared/catalog/catalog.ts';
import { demoCatalogSettings } from '#shared/catalog/demo-catalog.ts';
import { placeIssues } from './issue-paths.ts';
import {
  makeDefaultCurrency,
  parseSynonyms,
  settingsFieldKeys,
  settingsFormOf,
  settingsOf,
  synonymLine,
  synonymsText,
  toggleCurrency,
} from './settings-form.ts';

const settings = CatalogSettings.parse(demoCatalogSettings);

describe('synonyms as text', () => {
  it('writes one group per line and reads it back', () => {
    const text = synonymsText(settings.synonyms);
    expect(text.split('\n')[0]).toBe('vm, virtual server, vps, cloud server, instance, virtual machine');
    expect(parseSynonyms(text)).toEqual({
      groups: settings.synonyms,
      lines: settings.synonyms.map((_, index) => index + 1),
      problems: [],
    });
  });

  it('skips blank lines, tidies spaces and finds lines that are not groups', () => {
    expect(parseSynonyms('vm,  virtual   server\n\n  \npostgres\ns3, S3\ndb, database, ')).toEqual({
      groups: [
        ['vm', 'virtual server'],
        ['db', 'database'],
      ],
      lines: [1, 6],
      problems: [
        { line: 4, message: expect.stringContaining('Line 4 has one term (“postgres”)') },
        { line: 5, message: expect.stringContaining('Line 5 has one term (“s3”)') },
      ],
    });
  });

  it('gives the line of an issue at synonyms[g][t]', () => {
    expect(synonymLine([1, 0], [1, 6])).toBe(6);
    expect(synonymLine([], [1, 6])).toBeUndefined();
  });
});

describe('the settings form', () => {
  it('gives back the demo settings unchanged', () => {
    const result = settingsOf(settingsFormOf(settings, ['en', 'de']));
    expect(result.ok && result.settings).toEqual(settings);
  });

  it('checks currencies, country and synonyms before sending', () => {
    const form = settingsFormOf(settings, ['en', 'de']);
    form.currencies = [];
    form.sellerCountry = '';
    form.synonyms = 'alone';
    const result = settingsOf(form);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([...result.errors.keys()]).toEqual(['currencies', 'sellerCountry', 'synonyms']);
  });

  it('drops values and units that do not fit the type', () => {
    const form = settingsFormOf(settings, ['en', 'de']);
    const region = form.attributes[0];
    if (!region) throw new Error('no region');
    region.type = 'text';
    region.unit = 'km';
    const result = settingsOf(form);
    expect(result.ok && result.settings.attributes[0]).toEqual({
      key: 'region',
      label: { en: 'Region', de: 'Region' },
      type: 'text',
      facet: true,
    });
  });

  it('keeps the currencies in order, the default first', () => {
    expect(toggleCurrency(['EUR', 'USD'], 'GBP', true)).toEqual(['EUR', 'USD', 'GBP']);
    expect(toggleCurrency(['EUR', 'USD'], 'EUR', false)).toEqual(['USD']);
    expect(makeDefaultCurrency(['EUR', 'USD', 'GBP'], 'GBP')).toEqual(['GBP', 'EUR', 'USD']);
  });

  it('places the API’s issues at attribute rows', () => {
    const form = settingsFormOf(settings, ['en', 'de']);
    const keys = settingsFieldKeys(form);
    const placed = placeIssues(
      [
        { path: 'body.attributes[0].values[1].key', code: 'too_big', message: 'too long' },
        { path: 'body.attributes[2].label', code: 'custom', message: 'needs at least one language' },
        { path: 'body.synonyms[3][0]', code: 'too_big', message: 'too long' },
      ],
      (key) => keys.has(key),
    );
    expect([...placed.fields.keys()]).toEqual([
      'attributes.0.values.1.key',
      'attributes.2.label',
      'synonyms',
    ]);
  });
});
