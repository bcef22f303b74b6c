import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import { ApiClient } from '../support/http-client.ts';
import { launchChromium } from './chromium.ts';

/**
 * Helpers the browser tests share: runtime + Chromium per file, build check, viewports, demo users,
 * error watch, axe, headings, sign-in, page checks with screenshots.
 */

const WEB_BUILD_COMMAND = 'npm run build:web (that is: npx vite build --config web/vite.config.ts)';
const fallbackPage = fileURLToPath(new URL('../../web/build/200.html', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Throws with the build command when web/build is missing; creates the screenshot folder. */
export function requireWebBuild(): void {
  if (!existsSync(fallbackPage)) {
    throw new Error(
      `The web app is not built: ${fallbackPage} is missing. Build it first with ${WEB_BUILD_COMMAND}, ` +
        'then run the browser tests again.',
    );
  }
  mkdirSync(screenshotDir, { recursive: true });
}

export const viewports = [
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

type Viewport = (typeof viewports)[number];

/** Seeded users of the demo store (infra/local/seed.ts); they sign in with DEMO_PASSWORD. */
export const MERCHANT = { email: 'merchant@demo.test', name: 'Mia Merchant' };
export const MEMBER = { email: 'member@demo.test', name: 'Max Member' };
export const BUYER = { email: 'buyer@demo.test', name: 'Ben Buyer' };
type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** What `startRuntimeAndBrowser()` gives a test file; each throws until its `beforeAll` has run. */
export type BrowserSetup = {
  /** The local runtime (its outbox, its URL). */
  runtime(): LocalRuntime;
  /** `path` on the runtime: `url('/stores/demo/login')`. */
  url(path: string): string;
  /** A context with the viewport (desktop by default), reduced motion and a generous timeout. */
  newContext(
    viewport?: Omit<Viewport, 'name'> & { name?: string },
    options?: { storageState?: StorageState; timeout?: number },
  ): Promise<BrowserContext>;
  /** Signs in through the store's login page and waits for the account page with the user's name. */
  signIn(page: Page, user: { email: string; name: string }, password?: string): Promise<void>;
  /** An API client of the demo store signed in as `email` (setting up what a page then shows). */
  api(email: string): Promise<ApiClient>;
  /**
   * Registers `beforeAll` / `afterAll` hooks of the calling `describe`: a phone-sized page in a
   * context of its own, its console errors watched. Read `page` and `errors` inside the tests.
   */
  onAPhone(expected?: ExpectedConsole): { readonly page: Page; readonly errors: string[] };
};

/**
 * Registers `beforeAll` / `afterAll` hooks of the calling test file: checks the web build, starts
 * the local runtime (in-process, in-memory, seeded, on a free port) and Chromium side by side, and
 * stops both afterwards.
 */
export function startRuntimeAndBrowser(): BrowserSetup {
  let runtime: LocalRuntime | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    requireWebBuild();
    await Promise.all([
      launchChromium().then((started) => {
        browser = started;
      }),
      startLocalRuntime({ port: 0, dataDir: undefined, seed: true, quiet: true }).then((started) => {
        runtime = started;
      }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  function started(): LocalRuntime {
    if (!runtime) throw new Error('the local runtime did not start');
    return runtime;
  }

  const url = (path: string): string => `${started().url}${path}`;

  const newContext: BrowserSetup['newContext'] = async (
    { name: _name, ...viewport } = viewports[1] as Viewport,
    { storageState, timeout = 15_000 } = {},
  ) => {
    if (!browser) throw new Error('Chromium did not start');
    const context = await browser.newContext({ ...viewport, reducedMotion: 'reduce', storageState });
    context.setDefaultTimeout(timeout); // generous: scrypt sign-ins on a busy 2-CPU machine
    return context;
  };

  return {
    runtime: started,
    url,
    newContext,
    async api(email) {
      const client = new ApiClient(url(''), { origin: url('') });
      const login = await client.post('/api/v1/stores/demo/auth/login', { email, password: DEMO_PASSWORD });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      return client;
    },
    onAPhone(expected) {
      let context: BrowserContext | undefined;
      let page: Page | undefined;
      let errors: string[] = [];
      beforeAll(async () => {
        context = await newContext(viewports[0]);
        page = await context.newPage();
        errors = watchErrors(page, expected);
      });
      afterAll(async () => {
        await context?.close();
      });
      return {
        get page() {
          if (!page) throw new Error('the phone page is not open yet');
          return page;
        },
        get errors() {
          return errors;
        },
      };
    },
    async signIn(page, user, password = DEMO_PASSWORD) {
      await page.goto(url('/stores/demo/login'));
      await expectHeading(page, 'Sign in to Demo Cloud');
      await submitLogin(page, user.email, password);
      await page.waitForURL(url('/stores/demo/account'));
      await expectHeading(page, 'Your account');
      await page.getByTestId('account-name').filter({ hasText: user.name }).waitFor();
    },
  };
}

/** Fills the sign-in form of the page it is on (a store's or the operator's) and submits it. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A console message the page is expected to cause (e.g. the 401 of a wrong password). */
export type ExpectedConsole = (text: string, url: string) => boolean;

/** Collects what would break the page: uncaught errors and console errors not `expected`. */
export function watchErrors(page: Page, expected: ExpectedConsole = () => false): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    if (!expected(message.text(), url)) errors.push(`console error: ${message.text()} (${url})`);
  });
  return errors;
}

/** Chromium logs every 4xx/5xx answer as "Failed to load resource: … status of 401 …". */
export function failedResource(status: number, urlPart: string | RegExp): ExpectedConsole {
  return (text, url) =>
    text.startsWith('Failed to load resource') &&
    text.includes(`status of ${status}`) &&
    (typeof urlPart === 'string' ? url.includes(urlPart) : urlPart.test(url));
}

export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(violations, `axe found accessibility violations on ${page.url()}`).toEqual([]);
}

export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  // Compared with the viewport, not innerWidth: a mobile browser widens its layout viewport to fit.
  const viewportWidth = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
  expect(scrollWidth, 'the page is wider than the viewport').toBeLessThanOrEqual(viewportWidth);
}

/**
 * Waits for the page's one h1 to read `text`, or for an alert (the page's error message), whichever
 * comes first; if it is not the heading, says what the page shows instead.
 */
export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  const heading = page.getByRole('heading', { level: 1, name: text, exact: typeof text === 'string' });
  await heading
    .or(page.getByRole('alert'))
    .first()
    .waitFor({ state: 'visible' })
    .catch(() => undefined);
  if (!(await heading.isVisible())) {
    const shown = await page.locator('h1').allTextContents();
    const alerts = await page.getByRole('alert').allInnerTexts();
    throw new Error(
      `Expected the h1 ${JSON.stringify(String(text))} on ${page.url()}; the page shows h1 ${JSON.stringify(shown)}` +
        (alerts.length ? ` and the alert ${JSON.stringify(alerts.join(' | '))}` : ''),
    );
  }
  expect(await page.locator('h1').count(), 'one h1 per page').toBe(1);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

/** The checks every page gets: it fits the viewport, axe finds nothing; then a full-page screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectNoHorizontalScroll(page);
  await expectNoAxeViolations(page);
  await screenshot(page, name);
}
