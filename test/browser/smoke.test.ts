import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from './chromium.ts';

/**
 * Smoke test of the web app in headless Chromium against the local runtime (in-process, in-memory,
 * seeded): the storefront home and the status page on a phone and a desktop viewport, with axe.
 */

const WEB_BUILD_COMMAND = 'npm run build:web (that is: npx vite build --config web/vite.config.ts)';
const fallbackPage = fileURLToPath(new URL('../../web/build/200.html', import.meta.url));
const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

const STORE_NAME = 'Demo Cloud';
const DEPENDENCIES = ['dynamodb', 'sqs', 'eventbus'];

const viewports = [
  {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  },
  {
    name: 'desktop',
    viewport: { width: 1280, height: 800 },
    isMobile: false,
    hasTouch: false,
    deviceScaleFactor: 1,
  },
] as const;

let runtime: { url: string; stop(): Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(fallbackPage)) {
    throw new Error(
      `The web app is not built: ${fallbackPage} is missing. Build it first with ${WEB_BUILD_COMMAND}, ` +
        'then run the browser tests again.',
    );
  }
  mkdirSync(screenshotDir, { recursive: true });
  browser = await launchChromium();
  runtime = await startLocalRuntime({ port: 0, dataDir: undefined, seed: true, quiet: true });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/**
 * Collects what would break the page: uncaught errors and console errors. A 503 from /api/health
 * is not one: the status page shows it (a dependency is down), and the assertions say what it shows.
 */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const healthAnswer =
      message.text().startsWith('Failed to load resource') && message.location().url.includes('/api/health');
    if (!healthAnswer) errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(violations, `axe found accessibility violations on ${page.url()}`).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  // Compared with the viewport, not innerWidth: a mobile browser widens its layout viewport to fit.
  const viewportWidth = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
  expect(scrollWidth, 'the page is wider than the viewport').toBeLessThanOrEqual(viewportWidth);
}

/**
 * Waits for the page's one h1 to read `text`, or for an alert (the page's error message), whichever
 * comes first; if it is not the heading, says what the page shows instead.
 */
async function expectHeading(page: Page, text: string): Promise<void> {
  const heading = page.getByRole('heading', { level: 1, name: text, exact: true });
  await heading
    .or(page.getByRole('alert'))
    .first()
    .waitFor({ state: 'visible' })
    .catch(() => undefined);
  if (!(await heading.isVisible())) {
    const shown = await page.locator('h1').allTextContents();
    const alerts = await page.getByRole('alert').allInnerTexts();
    throw new Error(
      `Expected the h1 "${text}" on ${page.url()}; the page shows h1 ${JSON.stringify(shown)}` +
        (alerts.length ? ` and the alert ${JSON.stringify(alerts.join(' | '))}` : ''),
    );
  }
  expect(await page.locator('h1').count(), 'one h1 per page').toBe(1);
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
    if (!browser) throw new Error('Chromium did not start');
    context = await browser.newContext({ ...contextOptions, reducedMotion: 'reduce' });
    context.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
  });

  afterEach(async () => {
    await page?.close();
  });

  it('shows the demo storefront on /', async () => {
    if (!runtime) throw new Error('the local runtime did not start');
    page = await context.newPage();
    errors = watchErrors(page);

    await page.goto(`${runtime.url}/`);
    await expectHeading(page, STORE_NAME);
    expect(await page.title()).toContain(STORE_NAME);
    await statusLink(page).waitFor({ state: 'visible' });
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${screenshotDir}home-${name}.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('navigates to /status and lists the dependencies', async () => {
    if (!runtime) throw new Error('the local runtime did not start');
    page = await context.newPage();
    errors = watchErrors(page);

    await page.goto(`${runtime.url}/`);
    await expectHeading(page, STORE_NAME);
    await statusLink(page).click();
    await page.waitForURL(`${runtime.url}/status`);
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

    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${screenshotDir}status-${name}.png`, fullPage: true });

    // A deep link works too: the server answers /status with the prerendered shell or 200.html.
    await page.reload();
    await expectHeading(page, 'Platform status');
    await table.locator('tr[data-dependency="sqs"]').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
  });
});
