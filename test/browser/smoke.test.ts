import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  expectHeading,
  startRuntimeAndBrowser,
  viewports,
  watchErrors as watchPageErrors,
} from './pages.ts';

/**
 * Smoke test of the web app in headless Chromium against the local runtime (in-process, in-memory,
 * seeded): the storefront home and the status page on a phone and a desktop viewport, with axe.
 */

const STORE_NAME = 'Demo Cloud';
const DEPENDENCIES = ['dynamodb', 'sqs', 'eventbus'];

const { url, newContext } = startRuntimeAndBrowser();

/**
 * Collects what would break the page: uncaught errors and console errors. A 503 from /api/health
 * is not one: the status page shows it (a dependency is down), and the assertions say what it shows.
 */
function watchErrors(page: Page): string[] {
  return watchPageErrors(
    page,
    (text, url) => text.startsWith('Failed to load resource') && url.includes('/api/health'),
  );
}

/** The home page's link to the status page (in the content, not the header nav). */
function statusLink(page: Page) {
  return page.getByRole('main').getByRole('link', { name: /status/i });
}

describe.each(viewports)('web app on a $name viewport', ({ name, ...contextOptions }) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await newContext(contextOptions, { timeout: 10_000 });
  });

  afterAll(async () => {
    await context?.close();
  });

  afterEach(async () => {
    await page?.close();
  });

  it('shows the demo storefront on /', async () => {
    page = await context.newPage();
    errors = watchErrors(page);

    await page.goto(url('/'));
    await expectHeading(page, STORE_NAME);
    expect(await page.title()).toContain(STORE_NAME);
    await statusLink(page).waitFor({ state: 'visible' });
    await checkPage(page, `home-${name}`);
    expect(errors).toEqual([]);
  });

  it('navigates to /status and lists the dependencies', async () => {
    page = await context.newPage();
    errors = watchErrors(page);

    await page.goto(url('/'));
    await expectHeading(page, STORE_NAME);
    await statusLink(page).click();
    await page.waitForURL(url('/status'));
    await expectHeading(page, 'Platform status');
    expect(await page.title()).toMatch(/status/i);

    const table = page.getByRole('table', { name: 'Dependencies' });
    for (const dependency of DEPENDENCIES) {
      const row = table.locator(`tr[data-dependency="${dependency}"]`);
      await row.waitFor({ state: 'visible' });
      expect(await row.textContent()).toContain(dependency);
    }
    await expect
      .poll(() => page.getByRole('region', { name: 'Overall status' }).textContent())
      .toMatch(/Operational|Degraded|Down/);

    // The refresh button checks again and settles back to "Refresh".
    const refresh = page.getByRole('button', { name: /Refresh|Checking/ });
    await refresh.click();
    await page.getByRole('button', { name: 'Refresh' }).waitFor({ state: 'visible' });
    await table.locator('tr[data-dependency="dynamodb"]').waitFor({ state: 'visible' });

    await checkPage(page, `status-${name}`);

    // A deep link works too: the server answers /status with the prerendered shell or 200.html.
    await page.reload();
    await expectHeading(page, 'Platform status');
    await table.locator('tr[data-dependency="sqs"]').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
  });
});
