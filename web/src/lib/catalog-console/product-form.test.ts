import { describe, expect, it } from 'vitest';
import { CatalogSettings, Product, ProductDraft } from '#shared/catalog/catalog.ts';
import { demoCatalogSettings, demoProducts } from '#shared/catalog/demo-catalog.ts';
import { placeIssues } from './issue-paths.ts';
import { parseJsonText } from './json-text.ts';
import {
  draftOf,
  emptyProductForm,
  jsonLine,
  newDimension,
  numberOf,
  productFieldKeys,
  productFormOf,
  productIssueRewrite,
  splitList,
  withMissingPrices,
} from './product-form.ts';

const at = '2026-11-23T17:15:55.141Z';
const settings = CatalogSettings.parse(demoCatalogSettings);
const products = demoProducts.map((draft, index) =>
  Product.parse({
    ...ProductDraft.parse(draft),
    id: `prd_demo_${index}`,
    status: 'draft',
    revision: 1,
    createdAt: at,
    updatedAt: at,
  }),
);
const locales = ['en', 'de'];

describe('the product form', () => {
  it('gives back every demo product’s draft unchanged (form → draft)', () => {
    for (const product of products) {
      const result = draftOf(productFormOf(product, locales), settings.attributes, 'en');
      if (!result.ok) throw new Error(`${product.slug}: ${[...result.errors].join('; ')}`);
      const {
        id: _i,
        status: _s,
        revision: _r,
        createdAt: _c,
        updatedAt: _u,
        publishedAt: _p,
        ...draft
      } = product;
      expect(result.draft).toEqual(draft);
      expect(result.dropped).toEqual([]);
    }
  });

  it('starts a new product with a free price list per store currency', () => {
    const form = emptyProductForm(locales, ['EUR', 'USD']);
    expect(Object.keys(form.name)).toEqual(['en', 'de']);
    const prices = parseJsonText(form.prices);
    expect(prices.ok && prices.value).toEqual({
      EUR: { baseRate: '0', setupFee: '0', dimensions: {}, options: {} },
      USD: { baseRate: '0', setupFee: '0', dimensions: {}, options: {} },
    });
    const result = draftOf(form, settings.attributes, 'en');
    expect(result.ok).toBe(false);
    if (!result.ok) expect([...result.errors.keys()]).toEqual(['slug', 'name.en', 'categoryIds']);
  });

  it('finds numbers that are not numbers and JSON that is not JSON before sending', () => {
    const form = productFormOf(products[0] as Product, locales);
    form.dimensions[0] = {
      ...newDimension(),
      key: 'vcpu',
      label: 'vCPU',
      unit: 'vCPU',
      max: 'lots',
      default: '2',
    };
    form.prices = '{ "EUR": ';
    form.presets = '{}';
    form.attributes.sla_percent = '99,9';
    const result = draftOf(form, settings.attributes, 'en');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.get('dimensions.0.max')).toBe('Enter a number, like 4 or 0.5.');
    expect(result.errors.get('prices')).toMatch(/^Line 1, column 10: /);
    expect(result.errors.get('presets')).toBe('Write a list: [ { "key": "s", … } ] or [].');
    expect(result.errors.get('attributes.sla_percent')).toBe('Enter a number, like 99.9.');
  });

  it('leaves out attributes the settings no longer define, and says which', () => {
    const product = { ...(products[0] as Product), attributes: { region: 'eu-central', colour: 'blue' } };
    const result = draftOf(productFormOf(product, locales), settings.attributes, 'en');
    expect(result.ok && result.draft.attributes).toEqual({ region: 'eu-central' });
    expect(result.ok && result.dropped).toEqual(['colour']);
  });

  it('sends option defaults in the option’s type', () => {
    const form = emptyProductForm(locales, ['EUR']);
    Object.assign(form, { slug: 'x', homeCategory: 'servers' });
    form.name.en = 'X';
    form.options = [
      {
        key: 'os',
        label: 'OS',
        type: 'single',
        choices: [{ key: 'linux', label: 'Linux' }],
        default: 'linux',
      },
      {
        key: 'extras',
        label: 'Extras',
        type: 'multi',
        choices: [
          { key: 'a', label: 'A' },
          { key: 'b', label: 'B' },
        ],
        default: 'a, b',
      },
      {
        key: 'backups',
        label: 'Backups',
        type: 'toggle',
        choices: [{ key: 'ignored', label: '' }],
        default: 'true',
      },
      { key: 'none', label: 'None', type: 'single', choices: [], default: '' },
    ];
    const result = draftOf(form, [], 'en');
    expect(result.ok && result.draft.options).toEqual([
      {
        key: 'os',
        label: 'OS',
        type: 'single',
        choices: [{ key: 'linux', label: 'Linux' }],
        default: 'linux',
      },
      {
        key: 'extras',
        label: 'Extras',
        type: 'multi',
        choices: [
          { key: 'a', label: 'A' },
          { key: 'b', label: 'B' },
        ],
        default: ['a', 'b'],
      },
      { key: 'backups', label: 'Backups', type: 'toggle', default: true },
      { key: 'none', label: 'None', type: 'single' },
    ]);
  });

  it('reads numbers and lists as typed', () => {
    expect(numberOf(' 4 ')).toBe(4);
    expect(numberOf('0.25')).toBe(0.25);
    expect(numberOf('1e3')).toBeUndefined();
    expect(numberOf('')).toBeUndefined();
    expect(splitList('postgres, psql ,, db ')).toEqual(['postgres', 'psql', 'db']);
  });
});

describe('issues on the product form', () => {
  it('puts the API’s issues at the fields, and says the line inside the prices', () => {
    const form = productFormOf(products[0] as Product, locales);
    const keys = productFieldKeys(form, settings.attributes);
    const placed = placeIssues(
      [
        {
          path: 'body.dimensions[0].max',
          code: 'range_inverted',
          message: 'max (4) must not be below min (8)',
        },
        { path: 'body.prices.EUR.dimensions.vcpu.tiers[1].upTo', code: 'last_tier_bounded', message: '…' },
        { path: 'body.name', code: 'missing_default_language', message: 'needs a name' },
        { path: 'body.options[0].choices[1].key', code: 'duplicate_key', message: 'twice' },
        { path: 'body.configurator.imageOption', code: 'configurator_reference', message: 'not an option' },
        { path: 'body.keywords[3]', code: 'too_big', message: 'too long' },
        { path: 'body.attributes.colour', code: 'unknown_attribute', message: 'not an attribute' },
      ],
      (key) => keys.has(key),
      productIssueRewrite('en'),
    );
    expect([...placed.fields.keys()]).toEqual([
      'dimensions.0.max',
      'prices',
      'name.en',
      'options.0.choices.1.key',
      'configurator.imageOption',
      'keywords',
    ]);
    expect(placed.general.map((issue) => issue.path)).toEqual(['body.attributes.colour']);
    const rest = placed.fields.get('prices')?.[0]?.rest ?? [];
    const line = jsonLine(form.prices, rest);
    expect(form.prices.split('\n')[(line ?? 0) - 1]).toContain('"upTo"');
  });

  it('adds the prices that are missing, without touching the others', () => {
    const text = JSON.stringify({
      EUR: {
        baseRate: '1',
        setupFee: '0',
        dimensions: { vcpu: { model: 'perUnit', unitPrice: '2' } },
        options: {},
      },
    });
    const next = withMissingPrices(text, ['vcpu', 'ram_gb', ''], ['EUR', 'USD']);
    expect(JSON.parse(next ?? '')).toEqual({
      EUR: {
        baseRate: '1',
        setupFee: '0',
        dimensions: {
          vcpu: { model: 'perUnit', unitPrice: '2' },
          ram_gb: { model: 'perUnit', unitPrice: '0' },
        },
        options: {},
      },
      USD: {
        baseRate: '0',
        setupFee: '0',
        dimensions: {
          vcpu: { model: 'perUnit', unitPrice: '0' },
          ram_gb: { model: 'perUnit', unitPrice: '0' },
        },
        options: {},
      },
    });
    expect(withMissingPrices('{ nope', ['vcpu'], ['EUR'])).toBeUndefined();
  });
});
