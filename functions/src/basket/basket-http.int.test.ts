/**
 * The smart basket over HTTP on the local runtime: visitor baskets and their merge at sign-in,
 * re-quoting and price changes, the demo rules with their fixes, built-in domain and suite checks
 * against the reference registrar, and whose basket is whose.
 */
import { describe, expect, it } from 'vitest';
import type { BasketIssue, BasketView } from '#shared/basket/basket.ts';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import { DEMO_STORE_API, demoRuntime } from '../../../test/support/demo-runtime.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';
import { uniqueName } from '../../../test/support/services.ts';

const demo = demoRuntime('basket');
const store = DEMO_STORE_API;
const { signedIn } = demo;

/** A visitor; with a token, the one whose basket it is. */
const visitor = (token?: string) => demo.client(token ? { 'basket-token': token } : undefined);

const codes = (basket: BasketView) => basket.issues.map((issue) => issue.code);
const issue = (basket: BasketView, code: string) =>
  basket.issues.find((entry) => entry.code === code) as BasketIssue;

/** Empties a signed-in caller's basket, so each test starts from nothing. */
async function emptied(client: ApiClient) {
  const { body } = await client.get(`${store}/basket`);
  for (const item of (body as BasketView).items) await client.delete(`${store}/basket/items/${item.id}`);
  return client;
}

describe('a visitor basket', () => {
  it('is kept by its token, checked by the rules, and fixed by the fix it offers', async () => {
    const added = await visitor().post(`${store}/basket/items`, {
      product: 'virtual-server',
      configuration: { dimensions: { vcpu: 1, ram_gb: 16 } },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const basket = added.body as BasketView;
    expect(basket.token).toMatch(/^bt_/);
    expect(basket.ready).toBe(false);
    const ramRule = issue(basket, 'rule:ram-per-vcpu');
    expect(ramRule).toMatchObject({ severity: 'error', itemId: basket.items[0]?.id });
    expect(ramRule.fix?.action).toMatchObject({
      kind: 'updateItem',
      configuration: { dimensions: { vcpu: 2 } },
    });

    // Without the token it is someone else's (empty) basket; with it, this one.
    expect((await visitor().get(`${store}/basket`)).body.items).toHaveLength(0);
    const owner = visitor(basket.token);
    expect((await owner.get(`${store}/basket`)).body.items).toHaveLength(1);

    const action = ramRule.fix?.action as { itemId: string; configuration: object };
    const fixed = await owner.request('PATCH', `${store}/basket/items/${action.itemId}`, {
      body: { configuration: action.configuration },
    });
    expect(fixed.status).toBe(200);
    expect(codes(fixed.body)).not.toContain('rule:ram-per-vcpu');
    expect(fixed.body.items[0].configuration.dimensions.vcpu).toBe(2);
    expect(fixed.body.token).toBeUndefined();
  });

  it('refuses a configuration that does not fit, and changes nothing', async () => {
    const first = await visitor().post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
    const owner = visitor(first.body.token);
    const item = first.body.items[0];
    const bad = await owner.request('PATCH', `${store}/basket/items/${item.id}`, {
      body: { configuration: { dimensions: { vcpu: 1000 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_configuration');
    const after = (await owner.get(`${store}/basket`)).body as BasketView;
    expect(after.revision).toBe(first.body.revision);
    expect(after.items[0]?.configuration).toEqual(item.configuration);
    expect((await owner.post(`${store}/basket/items`, { product: 'no-such-product' })).status).toBe(404);
  });

  it("merges into the buyer's basket at sign-in, once", async () => {
    await emptied(await signedIn('member@demo.test'));
    const again = await visitor().post(`${store}/basket/items`, {
      product: 'support-plan',
      preset: 'business',
    });
    const signedInWithToken = await signedIn('member@demo.test', {
      headers: { 'basket-token': again.body.token },
    });
    const mergedNow = (await signedInWithToken.get(`${store}/basket`)).body as BasketView;
    expect(mergedNow.items.map((item) => item.product.slug)).toEqual(['support-plan']);
    expect((await signedInWithToken.get(`${store}/basket`)).body.items).toHaveLength(1); // not merged twice
    expect((await visitor(again.body.token).get(`${store}/basket`)).body.items).toHaveLength(0);
  });
});

describe('a buyer basket', () => {
  it("checks domains with the registrar and suites against the basket's domains", async () => {
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const suite = await buyer.post(`${store}/basket/items`, {
      product: 'mail-suite',
      preset: 'starter',
      inputs: { admin_domain: 'acme-robotics.de' },
    });
    expect(suite.status, JSON.stringify(suite.body)).toBe(201);
    const notOwned = issue(suite.body, 'admin_domain_not_owned');
    expect(notOwned.severity).toBe('error');
    expect(notOwned.fix?.action).toMatchObject({ kind: 'addItem', product: 'domain-name' });

    const { kind: _kind, ...addition } = notOwned.fix?.action ?? { kind: 'none' };
    const withDomain = await buyer.post(`${store}/basket/items`, addition);
    expect(withDomain.status, JSON.stringify(withDomain.body)).toBe(201);
    expect(codes(withDomain.body)).not.toContain('admin_domain_not_owned');

    const taken = await buyer.post(`${store}/basket/items`, {
      product: 'domain-name',
      inputs: { domain: 'taken-name.com' },
      configuration: { options: { tld: 'com' } },
    });
    expect(codes(taken.body)).not.toContain('domain_unavailable'); // asked only when validating
    const validated = (await buyer.post(`${store}/basket/validate`)).body as BasketView;
    expect(issue(validated, 'domain_unavailable').message).toMatch(/taken-name\.com/);
    expect(validated.ready).toBe(false);
    expect(
      validated.issues.filter((entry) => entry.code === 'domain_unavailable').map((entry) => entry.itemId),
    ).toEqual([taken.body.items.at(-1).id]);
  });

  it('reports a price change since the buyer saw it, and charges the new price only once accepted', async () => {
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const added = await buyer.post(`${store}/basket/items`, { product: 'support-plan', preset: 'business' });
    const item = added.body.items[0];
    expect(codes(added.body)).not.toContain('price_changed');

    const merchant = await signedIn('merchant@demo.test');
    const page = await merchant.get(`${store}/products/support-plan`);
    const product = page.body.product;
    const prices = structuredClone(product.prices);
    prices.EUR.baseRate = '0.0800000000';
    const updated = await merchant.request('PATCH', `${store}/admin/products/${product.id}`, {
      body: { prices, expectedRevision: product.revision },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);

    const changed = (await buyer.get(`${store}/basket`)).body as BasketView;
    const report = issue(changed, 'price_changed');
    expect(report).toMatchObject({ severity: 'error', itemId: item.id });
    expect(changed.items[0]?.priceChange?.shown.monthly).toBe(item.quote.monthlyEstimate);
    expect(changed.items[0]?.priceChange?.current.monthly).toBe('58.40');
    expect(changed.ready).toBe(false);

    const accepted = await buyer.request('PATCH', `${store}/basket/items/${item.id}`, {
      body: { acceptPrice: true },
    });
    expect(codes(accepted.body)).not.toContain('price_changed');
    expect(accepted.body.items[0].priceChange).toBeUndefined();
  });

  it('reports an item whose product changed shape or left the catalog, with a fix to remove it', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const { id: _id, ...pricing } = virtualServer;
    const slug = uniqueName('vm').toLowerCase();
    const created = await merchant.post(`${store}/admin/products`, {
      ...pricing,
      slug,
      name: { en: 'Short-lived server' },
      categoryIds: ['virtual-servers'],
    });
    const product = (await merchant.post(`${store}/admin/products/${created.body.id}/publish`, {})).body;
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const added = await buyer.post(`${store}/basket/items`, {
      product: slug,
      configuration: { dimensions: { vcpu: 32, ram_gb: 64 } },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const smaller = await merchant.request('PATCH', `${store}/admin/products/${product.id}`, {
      body: {
        dimensions: product.dimensions.map((dimension: { key: string }) =>
          dimension.key === 'vcpu' ? { ...dimension, max: 16 } : dimension,
        ),
      },
    });
    expect(smaller.status, JSON.stringify(smaller.body)).toBe(200);
    const shrunk = (await buyer.get(`${store}/basket`)).body as BasketView;
    expect(issue(shrunk, 'configuration_invalid')).toMatchObject({
      severity: 'error',
      fix: { action: { kind: 'removeItem', itemId: added.body.items[0].id } },
    });
    expect(shrunk.items[0]?.quote).toBeUndefined();
    expect(shrunk.ready).toBe(false);

    await merchant.post(`${store}/admin/products/${product.id}/retire`, {});
    const gone = (await buyer.get(`${store}/basket`)).body as BasketView;
    expect(codes(gone)).toContain('product_unavailable');
    expect(gone.items[0]?.product.available).toBe(false);
  });

  it('adds an item once per idempotency key', async () => {
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const key = uniqueName('idem');
    const request = { product: 'support-plan', preset: 'business' };
    const first = await buyer.post(`${store}/basket/items`, request, { 'idempotency-key': key });
    const retry = await buyer.post(`${store}/basket/items`, request, { 'idempotency-key': key });
    expect(retry.status).toBe(first.status);
    expect((await buyer.get(`${store}/basket`)).body.items).toHaveLength(1);
  });

  it("is the buyer's own: other users, other stores and staff cannot reach it", async () => {
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const { body } = await buyer.post(`${store}/basket/items`, {
      product: 'support-plan',
      preset: 'business',
    });
    const itemId = body.items[0].id;

    const member = await signedIn('member@demo.test');
    expect(
      (await member.get(`${store}/basket`)).body.items.some((item: { id: string }) => item.id === itemId),
    ).toBe(false);
    expect((await member.delete(`${store}/basket/items/${itemId}`)).status).toBe(404);
    expect((await visitor().delete(`${store}/basket/items/${itemId}`)).status).toBe(404);

    const merchant = await signedIn('merchant@demo.test');
    const staff = await merchant.get(`${store}/basket`);
    expect(staff.status).toBe(403);
    expect(staff.body.error.code).toBe('no_basket');
    expect((await buyer.get(`${store}/basket`)).body.items).toHaveLength(1);
  });
});

describe('merchant basket rules', () => {
  const rule = {
    scope: { products: ['virtual-server'] },
    assert: 'disk_gb >= 10 * ram_gb',
    severity: 'warning',
    message: 'Give it at least {10 * ram_gb} GB of disk',
    fix: { label: 'Set disk to {10 * ram_gb} GB', set: { disk_gb: '10 * ram_gb' } },
  };

  it('refuses a rule whose expression is broken or names what its products lack, at the field', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const broken = await merchant.request('PUT', `${store}/admin/basket-rules/disk-per-ram`, {
      body: { ...rule, assert: 'disk_gb >= 10 *' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details[0]).toMatchObject({ path: 'body.assert' });
    expect(broken.body.error.details[0].message).toMatch(/character/);

    const unknown = await merchant.request('PUT', `${store}/admin/basket-rules/disk-per-ram`, {
      body: { ...rule, assert: 'seats >= 1' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('body.assert');
    const list = await merchant.get(`${store}/admin/basket-rules`);
    expect(list.body.items.some((entry: { id: string }) => entry.id === 'disk-per-ram')).toBe(false);
  });

  it('tries a rule on sample items, then applies a saved one to baskets', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const tried = await merchant.post(`${store}/admin/basket-rules/test`, {
      rule: { id: 'disk-per-ram', ...rule },
      items: [
        { product: 'virtual-server', configuration: { dimensions: { ram_gb: 16, disk_gb: 80, vcpu: 2 } } },
      ],
    });
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    expect(tried.body.issues).toEqual([
      expect.objectContaining({
        code: 'rule:disk-per-ram',
        itemId: 'sample-1',
        message: 'Give it at least 160 GB of disk',
        fix: expect.objectContaining({ label: 'Set disk to 160 GB' }),
      }),
    ]);

    const badSample = await merchant.post(`${store}/admin/basket-rules/test`, {
      rule: { id: 'disk-per-ram', ...rule, assert: 'disk_gb >= 10 *' },
      items: [{ product: 'virtual-server' }],
    });
    expect(badSample.body.error.details[0].path).toBe('body.rule.assert');
    const badItem = await merchant.post(`${store}/admin/basket-rules/test`, {
      rule: { id: 'disk-per-ram', ...rule },
      items: [{ product: 'virtual-server', configuration: { dimensions: { ram_gb: 1000 } } }],
    });
    expect(badItem.body.error.details[0].path).toBe('body.items[0].configuration.dimensions.ram_gb');

    expect(
      (await merchant.request('PUT', `${store}/admin/basket-rules/disk-per-ram`, { body: rule })).status,
    ).toBe(200);
    const buyer = await emptied(await signedIn('buyer@demo.test'));
    const basket = await buyer.post(`${store}/basket/items`, {
      product: 'virtual-server',
      configuration: { dimensions: { vcpu: 2, ram_gb: 16, disk_gb: 80 } },
    });
    expect(issue(basket.body, 'rule:disk-per-ram')).toMatchObject({ severity: 'warning' });
  });
});
