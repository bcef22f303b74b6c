import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  type ExpectedConsole,
  expectHeading,
  failedResource,
  MERCHANT,
  startRuntimeAndBrowser,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * The catalog part of the merchant console in headless Chromium against the local runtime
 * (in-process, in-memory, seeded with the demo catalog): the merchant sees the seven demo products,
 * adds a category, creates a product (an inverted dimension range is shown at its field), publishes
 * it, gets a rule's syntax error with its position, tries the ram-per-vcpu rule on a sample basket,
 * and reads what a visitor searched for in vain; staff without catalog permissions are kept out;
 * axe and screenshots (`catalog-console-*.png`) at 390×844 and 1280×800.
 */

const [PHONE, DESKTOP] = viewports;

/** Answers the pages cause on purpose: validation failures shown at their fields, 401s of console checks. */
const expected: ExpectedConsole = (text, url) =>
  failedResource(401, '/auth/session')(text, url) ||
  failedResource(400, '/admin/products')(text, url) ||
  failedResource(409, '/admin/products/')(text, url) ||
  failedResource(400, '/admin/basket-rules/')(text, url);

const { url, newContext, signIn } = startRuntimeAndBrowser();

/** The page checks with this file's screenshot names (`catalog-console-*.png`). */
const check = (page: Page, name: string) => checkPage(page, `catalog-console-${name}`);

describe('catalog console', () => {
  let merchant: BrowserContext;
  let page: Page;
  let errors: string[];
  let productPath = '';

  beforeAll(async () => {
    // A visitor searches for something the store does not sell: the merchant should learn of it.
    const search = await fetch(url('/api/v1/stores/demo/search?q=quantum-computer'));
    expect(((await search.json()) as { total: number }).total).toBe(0);
    merchant = await newContext(DESKTOP);
    page = await merchant.newPage();
    errors = watchErrors(page, expected);
  });

  afterAll(async () => {
    await merchant?.close();
  });

  const catalogNav = () => page.getByRole('navigation', { name: 'Catalog' });

  it('the merchant opens the catalog and sees the seven demo products', async () => {
    await signIn(page, MERCHANT);
    await page.goto(url('/stores/demo/admin'));
    await expectHeading(page, 'Console');
    await page.getByRole('main').getByRole('heading', { name: 'Catalog' }).waitFor();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Catalog' }).click();
    await expectHeading(page, 'Products');
    const rows = page.locator('tr[data-product]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(7);
    expect(await page.locator('tr[data-product="virtual-server"] [data-status]').textContent()).toContain(
      'Published',
    );
    await check(page, 'products-desktop');
  });

  it('adds a category under an existing one', async () => {
    await catalogNav().getByRole('link', { name: 'Categories' }).click();
    await expectHeading(page, 'Categories');
    await page.getByRole('button', { name: 'Add under Servers', exact: true }).click();
    const editor = page.getByRole('region', { name: 'Add a category under Servers' });
    await editor.getByLabel('Name in English').fill('GPU servers');
    await editor.getByLabel('Name in German (optional)').fill('GPU-Server');
    expect(await editor.getByLabel('Id').inputValue()).toBe('gpu-servers');
    await editor.getByRole('button', { name: 'Add category' }).click();
    const added = page.locator('li[data-category="servers"] li[data-category="gpu-servers"]');
    await added.locator('.node-name').filter({ hasText: 'GPU servers' }).waitFor();
    expect(await added.textContent()).toContain('GPU-Server');
    await check(page, 'categories-desktop');
  });

  it('creates a product: an inverted range is shown at its field, then a draft, then published', async () => {
    await catalogNav().getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await expectHeading(page, 'New product');
    await page.getByLabel('Slug').fill('gpu-server');
    await page.getByLabel('Kind').selectOption('iaas');
    await page.getByLabel('Category', { exact: true }).selectOption('gpu-servers');
    await page.getByLabel('Name', { exact: true }).fill('GPU server');
    await page.getByLabel('Summary (optional)').first().fill('A server with a data-centre GPU, by the hour.');
    await page.getByRole('button', { name: 'Add a dimension' }).click();
    const dimension = page.getByRole('group', { name: /^Dimension 1/ });
    await dimension.getByLabel('Key of dimension 1').fill('vcpu');
    await dimension.getByLabel('Label of dimension 1').fill('vCPU');
    await dimension.getByLabel('Unit of dimension 1').fill('vCPU');
    await dimension.getByLabel('Minimum of dimension 1').fill('8');
    await dimension.getByLabel('Maximum of dimension 1').fill('4');
    await dimension.getByLabel('Default of dimension 1').fill('8');
    const price = (currency: string) =>
      `"${currency}": { "baseRate": "0", "setupFee": "0", "dimensions": { "vcpu": { "model": "perUnit", "unitPrice": "0.0100" } }, "options": {} }`;
    await page.getByLabel('Prices (JSON)').fill(`{\n  ${price('EUR')},\n  ${price('USD')}\n}`);
    // The shared engine sees the problem before the API does.
    await page.getByTestId('price-preview').getByText('must not be below min').waitFor();

    await page.getByRole('button', { name: 'Create draft' }).click();
    const maximum = dimension.getByLabel('Maximum of dimension 1');
    await page.getByRole('alert').filter({ hasText: 'Dimension 1 › maximum' }).waitFor();
    expect(await maximum.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await maximum.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain(
      'Max (4) must not be below min (8).',
    );
    expect(await maximum.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await check(page, 'product-invalid-desktop');

    await maximum.fill('16');
    await page.getByTestId('price-preview').getByText('€58.40').waitFor(); // 8 vCPU × 0.01 × 730 h
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL(/\/admin\/catalog\/products\/prd_[0-9a-z_]+\?created$/);
    productPath = new URL(page.url()).pathname;
    await expectHeading(page, 'GPU server');
    await page.getByTestId('created').waitFor();
    await page.getByTestId('product-status').locator('[data-status="draft"]').waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('product-status').locator('[data-status="published"]').waitFor();
    expect(await page.getByTestId('product-status').textContent()).toContain('Revision 2');
    await check(page, 'product-desktop');

    // Someone else saves the product meanwhile: saving here says so and offers their version.
    const productId = productPath.split('/').at(-1) ?? '';
    const elsewhere = await merchant.request.patch(url(`/api/v1/stores/demo/admin/products/${productId}`), {
      headers: { origin: url('') },
      data: { keywords: ['gpu', 'cuda'] },
    });
    expect(elsewhere.status()).toBe(200);
    await page.getByLabel('Keywords (optional)').fill('gpu, nvidia');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByTestId('conflict');
    expect(await conflict.textContent()).toContain('it is at revision 3 now');
    await conflict.getByRole('button', { name: 'Reload their version' }).click();
    await page.getByTestId('product-status').filter({ hasText: 'Revision 3' }).waitFor();
    expect(await page.getByLabel('Keywords (optional)').inputValue()).toBe('gpu, cuda');

    await page.getByRole('link', { name: 'All products' }).click();
    await page.locator('tr[data-product="gpu-server"] [data-status="published"]').waitFor();
    expect(await page.locator('tr[data-product]').count()).toBe(8);
  });

  it('shows a rule’s syntax error with its position, and tests ram-per-vcpu on a sample basket', async () => {
    await catalogNav().getByRole('link', { name: 'Basket rules' }).click();
    await expectHeading(page, 'Basket rules');
    await page.getByRole('button', { name: 'Edit the rule ram-per-vcpu' }).click();
    const editor = page.getByRole('region', { name: 'Change the rule ram-per-vcpu' });
    const assertion = editor.getByLabel('Must hold');
    expect(await assertion.inputValue()).toBe('ram_gb <= 8 * vcpu');
    await assertion.fill('ram_gb <= 8 * ');
    await editor.getByRole('button', { name: 'Save rule' }).click();
    const errorId = () => assertion.getAttribute('aria-describedby').then((ids) => ids?.split(' ')[0] ?? '');
    await editor.locator('[aria-invalid="true"]').first().waitFor();
    const error = page.locator(`[id="${await errorId()}"]`);
    expect(await error.textContent()).toContain('Expected expression after * at character 14');
    // The caret line points at character 14, where the expression ends too soon.
    expect(await error.locator('pre').textContent()).toBe(`ram_gb <= 8 * \n${' '.repeat(13)}^`);
    expect(
      await assertion.evaluate((input) => [
        input.ownerDocument.activeElement === input,
        (input as unknown as { selectionStart: number | null }).selectionStart,
      ]),
    ).toEqual([true, 13]);
    await check(page, 'rule-error-desktop');

    await assertion.fill('ram_gb <= 8 * vcpu');
    const test = page.getByRole('region', { name: 'Test' });
    expect(await test.getByLabel('Product of item 1').inputValue()).toBe('virtual-server');
    await test.getByLabel(/^RAM \(GB\) of item 1/).fill('16');
    await test.getByLabel(/^vCPU \(vCPU\) of item 1/).fill('1');
    await test.getByRole('button', { name: 'Run the test' }).click();
    const issue = test.locator('li[data-code="rule:ram-per-vcpu"]');
    await issue.waitFor();
    expect(await issue.textContent()).toContain('At most 8 GB RAM per vCPU: 16 GB needs at least 2 vCPU.');
    expect(await issue.textContent()).toContain('Fix offered: “Set vCPU to 2”');
    expect(await issue.textContent()).toContain('Changes item 1 (virtual-server): vcpu 2.');
    await check(page, 'rule-test-desktop');
  });

  it('lists what a visitor searched for and did not find', async () => {
    await catalogNav().getByRole('link', { name: 'Searches' }).click();
    await expectHeading(page, 'Searches that found nothing');
    const row = page.locator('tr[data-query="quantum-computer"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('“quantum-computer”');
    await check(page, 'searches-desktop');

    await catalogNav().getByRole('link', { name: 'Settings' }).click();
    await expectHeading(page, 'Catalog settings');
    await page.getByLabel('Synonym groups').waitFor();
    await check(page, 'settings-desktop');
    expect(errors).toEqual([]);
  });

  it('fits a phone and passes axe there', async () => {
    const phone = await newContext(PHONE, { storageState: await merchant.storageState() });
    try {
      const small = await phone.newPage();
      const phoneErrors = watchErrors(small, expected);
      for (const [path, heading, ready, name] of [
        ['/stores/demo/admin/catalog', 'Products', 'tr[data-product]', 'products-phone'],
        [productPath, 'GPU server', '[data-testid="price-preview"] table', 'product-phone'],
        ['/stores/demo/admin/catalog/categories', 'Categories', 'li[data-category]', 'categories-phone'],
        [
          '/stores/demo/admin/catalog/settings',
          'Catalog settings',
          'fieldset[data-attribute]',
          'settings-phone',
        ],
        ['/stores/demo/admin/catalog/rules', 'Basket rules', 'li[data-rule]', 'rules-phone'],
        [
          '/stores/demo/admin/catalog/searches',
          'Searches that found nothing',
          'tr[data-query]',
          'searches-phone',
        ],
      ] as const) {
        await small.goto(url(path));
        await expectHeading(small, heading);
        await small.locator(ready).first().waitFor();
        await check(small, name);
      }
      expect(phoneErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('keeps out staff without a catalog permission', async () => {
    // The merchant invites a member of staff with the finance role only (through the API, as the console would).
    const email = `finance-${Date.now()}@demo.test`;
    const invite = await merchant.request.post(url('/api/v1/stores/demo/admin/staff/invitations'), {
      headers: { origin: url(''), 'idempotency-key': crypto.randomUUID() },
      data: { email, roles: ['finance'] },
    });
    expect(invite.status()).toBe(201);
    const mail = (await (await fetch(url(`/_outbox.json?to=${encodeURIComponent(email)}`))).json()) as {
      text: string;
    }[];
    const token = new URL(mail[0]?.text.match(/https?:\/\/\S+/)?.[0] ?? '').searchParams.get('token');
    const accepted = await fetch(url('/api/v1/stores/demo/auth/invitations/accept'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url('') },
      body: JSON.stringify({ token, name: 'Fin Finance', password: 'finance passphrase 1' }),
    });
    expect(accepted.status).toBe(204);

    const context = await newContext(DESKTOP);
    try {
      const finance = await context.newPage();
      const financeErrors = watchErrors(finance, expected);
      await signIn(finance, { email, name: 'Fin Finance' }, 'finance passphrase 1');
      await finance.goto(url('/stores/demo/admin/catalog/rules'));
      await expectHeading(finance, 'Catalog');
      const denied = finance.getByRole('region', { name: "You don't have access to this" });
      expect(await denied.textContent()).toContain('catalog:read');
      expect(
        await finance.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
      ).not.toContain('Catalog');
      await check(finance, 'denied-desktop');
      expect(financeErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
