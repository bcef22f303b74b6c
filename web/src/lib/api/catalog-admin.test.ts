import { describe, expect, it } from 'vitest';
import { BasketRule } from '#shared/basket/basket.ts';
import { CatalogSettings, Category, Product, ProductDraft } from '#shared/catalog/catalog.ts';
import {
  demoBasketRules,
  demoCatalogSettings,
  demoCategories,
  demoProducts,
} from '#shared/catalog/demo-catalog.ts';
import { parseBasketIssue } from './basket.ts';
import { parseCategory } from './catalog.ts';
import {
  createProduct,
  fetchProduct,
  fetchProducts,
  fetchZeroResultSearches,
  parseBasketRule,
  parseCatalogSettings,
  parsePriceModel,
  parseProduct,
  parseProductPage,
  parseRuleTestResult,
  parseZeroResultSearch,
  revisionConflict,
  saveBasketRule,
  saveCategory,
  setProductStatus,
  testBasketRule,
  updateProduct,
} from './catalog-admin.ts';
import { header, json, recorder, sent } from './testing.ts';

const at = '2026-11-23T17:15:55.141Z';
/** The demo products as the API sends them: drafts with defaults applied, plus bookkeeping. */
const products = demoProducts.map((draft, index) =>
  Product.parse({
    ...ProductDraft.parse(draft),
    id: `prd_demo_${index}`,
    status: 'published',
    revision: 2,
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
  }),
);
const server = products[0] as Product;

describe('parsers', () => {
  it('reads every demo product as the API sends it, unchanged', () => {
    for (const product of products) {
      // Through JSON, as it arrives: optional fields are absent, not undefined.
      expect(parseProduct(JSON.parse(JSON.stringify(product)))).toEqual(product);
    }
  });

  it('refuses a product missing what the console shows', () => {
    expect(parseProduct({ ...server, status: 'archived' })).toBeUndefined();
    expect(parseProduct({ ...server, name: {} })).toBeUndefined();
    expect(parseProduct({ ...server, revision: '2' })).toBeUndefined();
    expect(parseProduct({ ...server, dimensions: [{ key: 'vcpu' }] })).toBeUndefined();
    expect(parseProduct({ ...server, prices: { EUR: { baseRate: 1 } } })).toBeUndefined();
    expect(parseProduct({ ...server, configurator: { type: 'spaceship' } })).toBeUndefined();
    expect(parseProduct('nonsense')).toBeUndefined();
  });

  it('reads each price model and refuses unknown ones', () => {
    expect(
      parsePriceModel({ model: 'package', blockSize: 10, blockPrice: '0.5', includedQuantity: 5 }),
    ).toEqual({
      model: 'package',
      blockSize: 10,
      blockPrice: '0.5',
      includedQuantity: 5,
    });
    expect(
      parsePriceModel({ model: 'volume', tiers: [{ upTo: null, unitPrice: '1', flatPrice: '2' }] }),
    ).toEqual({
      model: 'volume',
      tiers: [{ upTo: null, unitPrice: '1', flatPrice: '2' }],
    });
    expect(parsePriceModel({ model: 'free' })).toBeUndefined();
    expect(parsePriceModel({ model: 'graduated', tiers: [{ upTo: '10', unitPrice: '1' }] })).toBeUndefined();
  });

  it('reads a page of products with its cursor', () => {
    expect(parseProductPage({ items: [server], nextCursor: 'abc' })).toEqual({
      items: [server],
      nextCursor: 'abc',
    });
    expect(parseProductPage({ items: [server] })).toEqual({ items: [server] });
    expect(parseProductPage({ items: [{ id: 'x' }] })).toBeUndefined();
  });

  it('reads categories, settings and rules of the demo store', () => {
    for (const category of demoCategories)
      expect(parseCategory(Category.parse(category))).toEqual(Category.parse(category));
    expect(parseCategory({ id: 'x', parentId: 3, name: { en: 'X' }, position: 0 })).toBeUndefined();
    expect(parseCatalogSettings(demoCatalogSettings)).toEqual(CatalogSettings.parse(demoCatalogSettings));
    expect(parseCatalogSettings({ ...demoCatalogSettings, synonyms: [[1, 2]] })).toBeUndefined();
    for (const rule of demoBasketRules) expect(parseBasketRule(rule)).toEqual(BasketRule.parse(rule));
    expect(parseBasketRule({ ...demoBasketRules[0], severity: 'fatal' })).toBeUndefined();
    expect(parseBasketRule({ ...demoBasketRules[0], scope: { kinds: ['spaceship'] } })).toBeUndefined();
    expect(parseBasketRule({ ...demoBasketRules[0], fix: { label: 'x', remove: false } })).toBeUndefined();
  });

  it('reads what a rule test found, fixes included', () => {
    const body = {
      items: [{ id: 'sample-1', product: 'virtual-server' }],
      issues: [
        {
          severity: 'error',
          code: 'rule:ram-per-vcpu',
          message: 'At most 8 GB RAM per vCPU: 16 GB needs at least 2 vCPU.',
          itemId: 'sample-1',
          field: 'vcpu',
          fix: {
            label: 'Set vCPU to 2',
            action: {
              kind: 'updateItem',
              itemId: 'sample-1',
              configuration: { dimensions: { vcpu: 2, ram_gb: 16 }, options: { os: 'linux', extras: [] } },
            },
          },
        },
        {
          severity: 'suggestion',
          code: 'rule:support-upsell',
          message: 'A support plan?',
          fix: { label: 'Add', action: { kind: 'addItem', product: 'support-plan', preset: 'business' } },
        },
      ],
    };
    expect(parseRuleTestResult(body)).toEqual(body);
    expect(
      parseBasketIssue({ ...body.issues[0], fix: { label: 'x', action: { kind: 'explode' } } }),
    ).toBeUndefined();
    expect(parseRuleTestResult({ items: [], issues: [{ severity: 'error' }] })).toBeUndefined();
  });

  it('reads zero-result searches', () => {
    const search = { query: 'quantum-computer', count: 3, firstAt: at, lastAt: at };
    expect(parseZeroResultSearch(search)).toEqual(search);
    expect(parseZeroResultSearch({ ...search, filters: 'region:eu-west' })).toEqual({
      ...search,
      filters: 'region:eu-west',
    });
    expect(parseZeroResultSearch({ ...search, count: 'many' })).toBeUndefined();
  });

  it('tells a revision conflict and the revision the product is at', () => {
    const conflict = {
      kind: 'http' as const,
      status: 409,
      code: 'revision_conflict',
      message: 'The product is at revision 4, not 2',
      details: { revision: 4 },
    };
    expect(revisionConflict(conflict)).toEqual({ revision: 4 });
    expect(revisionConflict({ ...conflict, details: undefined })).toEqual({});
    expect(revisionConflict({ ...conflict, code: 'slug_taken' })).toBeUndefined();
    expect(revisionConflict(undefined)).toBeUndefined();
  });
});

describe('calls', () => {
  it('lists products by status with paging', async () => {
    const { calls, fetch } = recorder(() => json(200, { items: [server], nextCursor: 'c2' }));
    const result = await fetchProducts('demo', { status: 'draft', limit: 100, cursor: 'c1' }, { fetch });
    expect(result).toEqual({ ok: true, status: 200, data: { items: [server], nextCursor: 'c2' } });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/admin/products?limit=100&status=draft&cursor=c1');
  });

  it('reads one product through the store’s product page (staff see drafts there)', async () => {
    const { calls, fetch } = recorder(() => json(200, { product: server, breadcrumb: [], attributes: [] }));
    const result = await fetchProduct('demo', server.id, { fetch });
    expect(result.ok && result.data.id).toBe(server.id);
    expect(calls[0]?.url).toBe(`/api/v1/stores/demo/products/${server.id}`);
  });

  it('creates a product with an Idempotency-Key and expects 201', async () => {
    const { calls, fetch } = recorder(() => json(201, { ...server, status: 'draft', revision: 1 }));
    const {
      id: _id,
      status: _status,
      revision: _revision,
      createdAt: _c,
      updatedAt: _u,
      publishedAt: _p,
      ...draft
    } = server;
    const result = await createProduct('demo', draft, { fetch, idempotencyKey: 'key-1' });
    expect(result.ok && result.data.status).toBe('draft');
    expect(calls[0]?.init.method).toBe('POST');
    expect(header(calls[0], 'Idempotency-Key')).toBe('key-1');
    expect(sent(calls[0]).slug).toBe('virtual-server');
  });

  it('changes a product at a revision, and publishes or retires it', async () => {
    const { calls, fetch } = recorder(() => json(200, server));
    await updateProduct('demo', server.id, { keywords: ['vm'], expectedRevision: 2 }, { fetch });
    expect(calls[0]?.init.method).toBe('PATCH');
    expect(sent(calls[0])).toEqual({ keywords: ['vm'], expectedRevision: 2 });
    await setProductStatus('demo', server.id, 'publish', 2, { fetch });
    await setProductStatus('demo', server.id, 'retire', undefined, { fetch });
    expect(calls[1]?.url).toBe(`/api/v1/stores/demo/admin/products/${server.id}/publish`);
    expect(sent(calls[1])).toEqual({ expectedRevision: 2 });
    expect(calls[2]?.url).toBe(`/api/v1/stores/demo/admin/products/${server.id}/retire`);
    expect(sent(calls[2])).toEqual({});
  });

  it('passes a 409 on as a problem with its details', async () => {
    const { fetch } = recorder(() =>
      json(409, { error: { code: 'revision_conflict', message: 'changed', details: { revision: 5 } } }),
    );
    const result = await updateProduct('demo', server.id, { expectedRevision: 2 }, { fetch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(revisionConflict(result.problem)).toEqual({ revision: 5 });
  });

  it('saves categories and rules with PUT, ids in the path', async () => {
    const category = { id: 'gpu-servers', parentId: 'servers', name: { en: 'GPU servers' }, position: 2 };
    const categories = recorder(() => json(200, category));
    await saveCategory(
      'demo',
      'gpu-servers',
      { parentId: 'servers', name: { en: 'GPU servers' }, position: 2 },
      categories,
    );
    expect(categories.calls[0]?.url).toBe('/api/v1/stores/demo/admin/categories/gpu-servers');
    expect(categories.calls[0]?.init.method).toBe('PUT');

    const rule = BasketRule.parse(demoBasketRules[0]);
    const rules = recorder(() => json(200, rule));
    const { id, ...body } = rule;
    const saved = await saveBasketRule('demo', id, body, rules);
    expect(saved.ok && saved.data.id).toBe('ram-per-vcpu');
    expect(rules.calls[0]?.url).toBe('/api/v1/stores/demo/admin/basket-rules/ram-per-vcpu');
    expect(sent(rules.calls[0])).not.toHaveProperty('id');
  });

  it('tests a rule on a sample basket', async () => {
    const { calls, fetch } = recorder(() =>
      json(200, { items: [{ id: 'sample-1', product: 'virtual-server' }], issues: [] }),
    );
    const rule = BasketRule.parse(demoBasketRules[0]);
    const items = [
      {
        product: 'virtual-server',
        configuration: { dimensions: { ram_gb: 16, vcpu: 1 } },
        inputs: {},
        quantity: 1,
      },
    ];
    const result = await testBasketRule('demo', { rule, items, accountUsers: 1 }, { fetch });
    expect(result.ok && result.data.issues).toEqual([]);
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/admin/basket-rules/test');
    expect(sent(calls[0])).toEqual({ rule, items, accountUsers: 1 });
  });

  it('lists the searches that found nothing', async () => {
    const { calls, fetch } = recorder(() =>
      json(200, { items: [{ query: 'x', count: 1, firstAt: at, lastAt: at }] }),
    );
    const result = await fetchZeroResultSearches('demo', 50, { fetch });
    expect(result.ok && result.data).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/admin/zero-result-searches?limit=50');
  });
});
