/**
 * The catalog over HTTP on the local runtime (DynamoDB Local): the demo catalog as buyers read it,
 * the merchant's product life cycle, validation that says what is wrong, and tenant isolation.
 */
import { describe, expect, it } from 'vitest';
import { type Product, pricedProductOf } from '#shared/catalog/catalog.ts';
import { compilePricing } from '#shared/catalog/compile.ts';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import { quote } from '#shared/catalog/quote.ts';
import { DEMO_STORE_API, demoRuntime } from '../../../test/support/demo-runtime.ts';
import { uniqueName } from '../../../test/support/services.ts';

const demo = demoRuntime('catalog');
const store = DEMO_STORE_API;
const { signedIn } = demo;

const visitor = () => demo.client();

/** A product a test may change without disturbing the others: unique slug, home in `servers`. */
const draftProduct = (slug: string) => {
  const { id: _id, ...pricing } = virtualServer;
  return {
    ...pricing,
    slug,
    name: { en: `Test server ${slug}`, de: `Testserver ${slug}` },
    summary: { en: 'A server for tests' },
    categoryIds: ['virtual-servers'],
    attributes: { region: 'eu-west', os_family: 'linux' },
    keywords: ['zebracorn'],
  };
};

describe('the demo catalog, as a visitor sees it', () => {
  it('lists a category tree at least three levels deep', async () => {
    const { status, body } = await visitor().get(`${store}/categories`);
    expect(status).toBe(200);
    const byId = new Map<string, { parentId: string | null }>(
      body.items.map((c: { id: string; parentId: string | null }) => [c.id, c]),
    );
    const depth = (id: string): number => {
      const parent = byId.get(id)?.parentId;
      return parent ? 1 + depth(parent) : 1;
    };
    expect(Math.max(...[...byId.keys()].map(depth))).toBeGreaterThanOrEqual(3);
    expect(body.catalogVersion).toBeGreaterThan(0);
  });

  it('finds products with typos and synonyms, filters by facets and ranges, and counts facets', async () => {
    const typo = await visitor().get(`${store}/search?q=${encodeURIComponent('virtal servr')}`);
    expect(typo.status).toBe(200);
    expect(typo.body.items.map((item: { slug: string }) => item.slug)).toContain('virtual-server');

    const synonym = await visitor().get(`${store}/search?q=psql`);
    expect(synonym.body.items.map((item: { slug: string }) => item.slug)).toContain('managed-postgresql');

    const cheap = await visitor().get(`${store}/search?filter=${encodeURIComponent('vcpu>=16,price<=0.05')}`);
    expect(cheap.status).toBe(200);
    for (const item of cheap.body.items) expect(Number(item.priceFrom.hourly)).toBeLessThanOrEqual(0.05);
    expect(cheap.body.items.map((item: { slug: string }) => item.slug)).toContain('virtual-server');

    const all = await visitor().get(`${store}/search?pageSize=100`);
    const region = all.body.facets.find((facet: { key: string }) => facet.key === 'region');
    const frankfurt = region.values.find((value: { value: string }) => value.value === 'eu-central');
    const filtered = await visitor().get(`${store}/search?pageSize=100&filter=region:eu-central`);
    expect(filtered.body.total).toBe(frankfurt.count);
    expect(filtered.body.total).toBeLessThan(all.body.total);
  });

  it('answers a bad filter with a 400 that names the valid keys', async () => {
    const { status, body } = await visitor().get(`${store}/search?filter=colour:red`);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/region/);
  });

  it('logs searches that found nothing, for the merchant only', async () => {
    const text = `quantum ${uniqueName('q')}`;
    for (let i = 0; i < 2; i++) {
      expect((await visitor().get(`${store}/search?q=${encodeURIComponent(text)}`)).body.total).toBe(0);
    }
    const merchant = await signedIn('merchant@demo.test');
    const { body } = await merchant.get(`${store}/admin/zero-result-searches?limit=200`);
    expect(body.items.find((entry: { query: string }) => entry.query === text)).toMatchObject({ count: 2 });
    expect((await visitor().get(`${store}/admin/zero-result-searches`)).status).toBe(401);
    expect(
      (await (await signedIn('buyer@demo.test')).get(`${store}/admin/zero-result-searches`)).status,
    ).toBe(403);
  });

  it('shows a product page and quotes exactly what the shared engine computes', async () => {
    const page = await visitor().get(`${store}/products/virtual-server`);
    expect(page.status).toBe(200);
    expect(page.body.breadcrumb.map((category: { id: string }) => category.id)).toEqual([
      'compute',
      'servers',
      'virtual-servers',
    ]);
    const product = page.body.product as Product;
    const configuration = { dimensions: { vcpu: 8, ram_gb: 32 }, options: { os: 'windows' } };
    const served = await visitor().post(`${store}/products/virtual-server/quote`, {
      configuration,
      country: 'FR',
    });
    expect(served.status).toBe(200);
    const local = quote(compilePricing(pricedProductOf(product)), configuration, {
      currency: 'EUR',
      sellerCountry: page.body.sellerCountry,
      buyer: { country: 'FR' },
    });
    expect(served.body).toEqual(JSON.parse(JSON.stringify(local)));
    expect(served.body.tax).toMatchObject({ country: 'FR', rule: 'destination' });
  });

  it("uses a signed-in company buyer's country and VAT id", async () => {
    const buyer = await signedIn('buyer@demo.test');
    const { body } = await buyer.post(`${store}/products/virtual-server/quote`, {
      preset: 's',
      country: 'FR',
    });
    // Acme Robotics GmbH is a German company with a VAT id; the demo seller is German: domestic VAT.
    expect(body.tax).toMatchObject({ country: 'DE', rule: 'domestic' });
  });

  it('says which values of a configuration are wrong', async () => {
    const { status, body } = await visitor().post(`${store}/products/virtual-server/quote`, {
      configuration: { dimensions: { vcpu: 65, ram_gb: 3.5 }, options: { os: 'beos' } },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_configuration');
    expect(body.error.details.length).toBeGreaterThanOrEqual(3);
    expect((await visitor().get(`${store}/products/no-such-thing`)).status).toBe(404);
  });
});

describe('a merchant manages products', () => {
  it('refuses an invalid product with every issue at its path, and writes nothing', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const slug = uniqueName('bad').toLowerCase();
    const bad = draftProduct(slug);
    const response = await merchant.post(`${store}/admin/products`, {
      ...bad,
      categoryIds: ['nowhere'],
      dimensions: bad.dimensions.map((d, index) => (index === 0 ? { ...d, min: 8, max: 4 } : d)),
      prices: { ...bad.prices, XYZ: bad.prices.EUR },
    });
    expect(response.status).toBe(400);
    const paths = response.body.error.details.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.categoryIds[0]', 'body.dimensions[0].max']));
    expect(paths.some((path: string) => path.startsWith('body.prices.XYZ'))).toBe(true);
    const list = await merchant.get(`${store}/admin/products?limit=200`);
    expect(list.body.items.some((product: Product) => product.slug === slug)).toBe(false);
  });

  it('creates a draft (hidden from buyers), publishes it (found by search), updates it safely', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const slug = uniqueName('srv').toLowerCase();
    const created = await merchant.post(`${store}/admin/products`, draftProduct(slug));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const product = created.body as Product;
    expect(product).toMatchObject({ status: 'draft', revision: 1 });

    expect((await visitor().get(`${store}/products/${slug}`)).status).toBe(404);
    expect((await merchant.get(`${store}/products/${slug}`)).status).toBe(200); // staff preview
    expect((await merchant.post(`${store}/admin/products`, draftProduct(slug))).body.error.code).toBe(
      'slug_taken',
    );

    const published = await merchant.post(`${store}/admin/products/${product.id}/publish`, {});
    expect(published.body).toMatchObject({ status: 'published', revision: 2 });
    const found = await visitor().get(`${store}/search?q=zebracorn`);
    expect(found.body.items.map((item: { slug: string }) => item.slug)).toContain(slug);

    const renamed = await merchant.request('PATCH', `${store}/admin/products/${product.id}`, {
      body: { name: { en: 'Renamed server' }, expectedRevision: 2 },
    });
    expect(renamed.body).toMatchObject({ revision: 3, name: { en: 'Renamed server' } });
    const stale = await merchant.request('PATCH', `${store}/admin/products/${product.id}`, {
      body: { name: { en: 'Lost update' }, expectedRevision: 2 },
    });
    expect(stale.status).toBe(409);
    expect((await visitor().get(`${store}/products/${slug}`)).body.product.name.en).toBe('Renamed server');

    const retired = await merchant.post(`${store}/admin/products/${product.id}/retire`, {});
    expect(retired.body.status).toBe('retired');
    expect((await visitor().get(`${store}/products/${slug}`)).status).toBe(404);
  });

  it('keeps the category tree a tree', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const id = uniqueName('cat').toLowerCase();
    const put = (categoryId: string, parentId: string | null) =>
      merchant.request('PUT', `${store}/admin/categories/${categoryId}`, {
        body: { parentId, name: { en: categoryId }, position: 5 },
      });
    expect((await put(id, 'virtual-servers')).status).toBe(200);
    expect((await put(`${id}-child`, id)).status).toBe(200);
    const cycle = await put(id, `${id}-child`);
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details[0]).toMatchObject({ path: 'body.parentId', code: 'category_cycle' });
    expect((await put(`${id}-orphan`, 'no-such-parent')).body.error.details[0].code).toBe('unknown_category');
  });

  it('lets no buyer or visitor change the catalog (every role: authorization-matrix.int.test.ts)', async () => {
    const buyer = await signedIn('buyer@demo.test');
    expect((await buyer.post(`${store}/admin/products`, draftProduct('nope'))).status).toBe(403);
    expect((await visitor().post(`${store}/admin/products`, draftProduct('nope'))).status).toBe(401);
  });
});
