import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '#lib/catalog/money.ts';
import type { ProductPage } from '#shared/catalog/api.ts';
import { pricedProductOf } from '#shared/catalog/catalog.ts';
import { compilePricing } from '#shared/catalog/compile.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { Configuration } from '#shared/catalog/product.ts';
import { quote } from '#shared/catalog/quote.ts';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import {
  BUYER,
  checkPage,
  expectHeading,
  MERCHANT,
  startRuntimeAndBrowser,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * The storefront catalog in headless Chromium against the local runtime (in-process, in-memory,
 * seeded), on a phone and a desktop viewport: typo-tolerant live search, a facet that narrows the
 * results and updates the counts, the configurator's price against the shared pricing engine, adding
 * to the basket with a rule's fix, and the domain check of "Check basket"; axe on every page.
 */

const { url, newContext, signIn } = startRuntimeAndBrowser();

/** What the shared engine prices for a configuration of a product, as the page formats it. */
async function enginePrice(slug: string, configuration: Configuration) {
  const response = await fetch(url(`/api/v1/stores/demo/products/${slug}`));
  const page = (await response.json()) as ProductPage;
  const currency = page.currencies[0] as CurrencyCode;
  const result = quote(compilePricing(pricedProductOf(page.product)), configuration, {
    currency,
    sellerCountry: page.sellerCountry,
  });
  return {
    monthly: formatMoney(result.monthlyEstimate, currency, { locale: 'en' }),
    hourly: formatMoney(result.hourly, currency, { locale: 'en' }),
    gross: formatMoney(result.totals.gross, currency, { locale: 'en' }),
  };
}

/** How many `method` requests to `path` (query left out) the page sends from now on. */
function countRequests(page: Page, method: string, path: string): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === method && new URL(request.url()).pathname === path) count += 1;
  });
  return () => count;
}

describe.each(viewports)('catalog on a $name viewport', ({ name, ...contextOptions }) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const phone = name === 'phone';

  beforeAll(async () => {
    context = await newContext(contextOptions);
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('finds the virtual server for “virtal servr” as you type, and a facet narrows the results', async () => {
    await page.goto(url('/'));
    await page.getByRole('main').getByRole('link', { name: 'Browse the catalog' }).click();
    await expectHeading(page, 'All services');
    const results = page.getByTestId('results');
    await page.getByRole('heading', { name: '7 services' }).waitFor();

    await page
      .getByRole('searchbox', { name: 'Search services' })
      .pressSequentially('virtal servr', { delay: 15 });
    await page.getByTestId('interpreted-as').filter({ hasText: 'virtual server' }).waitFor();
    await results.locator('[data-product="virtual-server"]').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('virtal servr');
    await checkPage(page, `catalog-search-${name}`);

    // Back to everything, then narrow with a facet: the results and the other facets' counts follow.
    await page.getByRole('searchbox', { name: 'Search services' }).fill('');
    await page.getByRole('heading', { name: '7 services' }).waitFor();
    if (phone) await page.getByRole('button', { name: /^Categories and filters/ }).click();
    const kind = page.locator('fieldset[data-facet="kind"]');
    const iaasCount = kind.locator('label', { hasText: 'Infrastructure' }).getByTestId('facet-count');
    await expect.poll(() => iaasCount.textContent()).toMatch(/^3/);
    await page.locator('fieldset[data-facet="managed"]').getByRole('checkbox', { name: /^Yes/ }).check();
    await page.getByRole('heading', { name: '4 services' }).waitFor();
    await expect.poll(() => iaasCount.textContent()).toMatch(/^2/);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('managed:true');
    await expect(results.locator('[data-product="virtual-server"]').count()).resolves.toBe(0);
    if (phone) await page.getByRole('button', { name: 'Show 4 services' }).click();
    await page.getByRole('button', { name: /Managed by us: Yes/ }).waitFor();
    await checkPage(page, `catalog-filtered-${name}`);

    // The back button undoes the filter (the URL holds the search).
    await page.goBack();
    await page.getByRole('heading', { name: '7 services' }).waitFor();

    // A range box sets one bound and keeps the other.
    if (phone) await page.getByRole('button', { name: /^Categories and filters/ }).click();
    const vcpu = page.locator('fieldset[data-facet="vcpu"]');
    await vcpu.getByRole('spinbutton', { name: 'vCPU, Min' }).fill('4');
    await vcpu.getByRole('spinbutton', { name: 'vCPU, Min' }).press('Tab');
    await page.getByRole('button', { name: /vCPU ≥ 4/ }).waitFor();
    await vcpu.getByRole('spinbutton', { name: 'vCPU, Max' }).fill('8');
    await vcpu.getByRole('spinbutton', { name: 'vCPU, Max' }).press('Tab');
    await page.getByRole('button', { name: /vCPU ≤ 8/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('filter')).toBe('vcpu>=4,vcpu<=8');
    expect(errors).toEqual([]);
  });

  it('prices the configuration in the browser exactly like the shared engine', async () => {
    await page.goto(url('/stores/demo/catalog?q=virtual%20server'));
    await page.getByTestId('results').getByRole('link', { name: 'Virtual server' }).click();
    await expectHeading(page, 'Virtual server');
    const monthly = page.getByTestId('price-monthly');
    const defaults = await enginePrice('virtual-server', {});
    await expect.poll(() => monthly.textContent()).toBe(defaults.monthly);
    // Egress is priced per GB used, on top of the hourly price.
    expect(await page.getByTestId('metered-price').textContent()).toMatch(
      /Plus outbound traffic: €0\.05\s+per GB, billed by\s+the hour as used\./,
    );

    const vcpu = page.getByRole('slider', { name: 'vCPU' });
    await vcpu.focus();
    await vcpu.press('ArrowRight');
    await vcpu.press('ArrowRight');
    const four = await enginePrice('virtual-server', { dimensions: { vcpu: 4 } });
    await expect.poll(() => monthly.textContent()).toBe(four.monthly);
    expect(await page.getByTestId('price-hourly').textContent()).toBe(four.hourly);
    expect(await page.getByTestId('price-first-month').textContent()).toBe(four.gross);
    await expect.poll(() => page.getByTestId('price-announcement').textContent()).toContain(four.monthly);

    // The dial (bandwidth) follows the slider pattern: End goes to the maximum.
    const bandwidth = page.getByRole('slider', { name: 'Bandwidth' });
    await bandwidth.focus();
    await bandwidth.press('End');
    await expect.poll(() => bandwidth.getAttribute('aria-valuenow')).toBe('10000');
    await bandwidth.press('Home');
    await expect.poll(() => bandwidth.getAttribute('aria-valuenow')).toBe('100');
    await checkPage(page, `product-${name}`);
    expect(errors).toEqual([]);
  });

  it('adds 1 vCPU with 16 GB RAM, shows the rule’s fix and applies it', async () => {
    const vcpu = page.getByRole('slider', { name: 'vCPU' });
    await vcpu.focus();
    await vcpu.press('Home');
    await page.getByRole('spinbutton', { name: 'RAM, exact value in GB' }).fill('16');
    const expected = await enginePrice('virtual-server', {
      dimensions: { vcpu: 1, ram_gb: 16, bandwidth_mbps: 100 },
    });
    await expect.poll(() => page.getByTestId('price-monthly').textContent()).toBe(expected.monthly);

    await page.getByRole('button', { name: 'Add to basket' }).click();
    const added = page.getByTestId('added');
    await added.getByText('At most 8 GB RAM per vCPU').waitFor();
    await expect.poll(() => page.getByTestId('basket-link').textContent()).toMatch(/1/);
    await checkPage(page, `product-added-${name}`);

    await added.getByRole('button', { name: /^Set vCPU to 2/ }).click();
    await added.getByText('No issues with this item.').waitFor();
    expect(await added.getByText('At most 8 GB RAM per vCPU').count()).toBe(0);
    // The controls show the fixed configuration.
    await expect.poll(() => vcpu.inputValue()).toBe('2');
    expect(errors).toEqual([]);
  });

  it('checks the basket: a registered domain is unavailable', async () => {
    await page.goto(url('/stores/demo/products/domain-name'));
    await expectHeading(page, 'Domain name');
    await page.getByLabel('Domain name').fill('taken-name.com');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await page.getByTestId('added').waitFor();
    await page.getByRole('link', { name: 'Go to your basket' }).click();

    await expectHeading(page, 'Your basket');
    const items = page.locator('[data-item]');
    await expect.poll(() => items.count()).toBe(2);
    await page.locator('[data-item="virtual-server"]').getByText('16 GB').waitFor();
    await page.getByRole('button', { name: 'Check basket' }).click();
    const domain = page.locator('[data-item="domain-name"]');
    await domain
      .locator('[data-code="domain_unavailable"]')
      .getByText('taken-name.com is not available')
      .waitFor();
    await expect.poll(() => page.getByTestId('readiness').textContent()).toMatch(/Not ready to order/);
    await checkPage(page, `basket-${name}`);

    // Removing the domain leaves a basket that is ready to order.
    await domain.getByRole('button', { name: 'Remove Domain name' }).click();
    await expect.poll(() => items.count()).toBe(1);
    await expect.poll(() => page.getByTestId('readiness').textContent()).toMatch(/Ready to order/);
    expect(errors).toEqual([]);
  });
});

/** As the merchant, through the API: the support plan's base rate from 49.00 to 60.00 EUR a month. */
async function raiseSupportPlanPrice(): Promise<void> {
  const origin = new URL(url('/')).origin;
  const login = await fetch(url('/api/v1/stores/demo/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: MERCHANT.email, password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  const { product } = (await (
    await fetch(url('/api/v1/stores/demo/products/support-plan'))
  ).json()) as ProductPage;
  const eur = product.prices.EUR;
  if (!eur) throw new Error('the support plan has no EUR prices');
  const change = await fetch(url(`/api/v1/stores/demo/admin/products/${product.id}`), {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify({
      prices: { ...product.prices, EUR: { ...eur, baseRate: '0.0821917808' } },
      expectedRevision: product.revision,
    }),
  });
  expect(change.status, await change.clone().text()).toBe(200);
}

describe('a signed-in buyer', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await newContext(viewports[1]);
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('keeps the basket filled as a visitor, and the store confirms the browser’s price', async () => {
    await page.goto(url('/stores/demo/products/support-plan'));
    await expectHeading(page, 'Support plan');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await page.getByTestId('added').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('nimbus.basketToken.demo'))).toMatch(/^bt_/);

    await signIn(page, BUYER);
    const basketReads = countRequests(page, 'GET', '/api/v1/stores/demo/basket');
    await page.goto(url('/stores/demo/basket'));
    await expectHeading(page, 'Your basket');
    await page.locator('[data-item="support-plan"]').waitFor();
    // The header's item count and the page share one read.
    await page.waitForLoadState('networkidle');
    expect(basketReads()).toBe(1);
    // The visitor basket is merged into the buyer's: the token is no longer needed.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('nimbus.basketToken.demo'))).toBeNull();

    // The merchant raises the plan's price: the basket says so, and the buyer accepts it.
    await raiseSupportPlanPrice();
    await page.reload();
    const change = page.locator('[data-item="support-plan"]').getByTestId('price-change');
    await change.getByText('was €49.00, now €60.00 a month').waitFor();
    await expect.poll(() => page.getByTestId('readiness').textContent()).toMatch(/Not ready to order/);
    await checkPage(page, 'basket-price-change-desktop');
    await change.getByRole('button', { name: 'Accept new price of Support plan' }).click();
    await expect.poll(() => change.count()).toBe(0);
    await expect.poll(() => page.getByTestId('readiness').textContent()).toMatch(/Ready to order/);

    await page.goto(url('/stores/demo/products/virtual-server'));
    await expectHeading(page, 'Virtual server');
    const quotes = countRequests(page, 'POST', '/api/v1/stores/demo/products/virtual-server/quote');
    const m = page.getByRole('button', { name: 'M', exact: true });
    await m.click();
    await page.getByTestId('server-confirmation').filter({ hasText: 'Confirmed by Demo Cloud' }).waitFor();
    const asked = quotes();
    // The same preset again changes nothing: the store is not asked again.
    await m.click();
    await page.waitForTimeout(1000);
    expect(quotes()).toBe(asked);
    await page.getByTestId('server-confirmation').filter({ hasText: 'Confirmed by Demo Cloud' }).waitFor();
    const mPrice = await enginePrice('virtual-server', {
      dimensions: { vcpu: 4, ram_gb: 16, disk_gb: 200 },
      options: { backups: true },
    });
    expect(await page.getByTestId('price-monthly').textContent()).toBe(mPrice.monthly);
    expect(errors).toEqual([]);
  });
});
