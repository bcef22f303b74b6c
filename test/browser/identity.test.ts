import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from './chromium.ts';
import {
  type ExpectedConsole,
  expectHeading,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  failedResource,
  requireWebBuild,
  screenshot,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * Identity pages in headless Chromium against the local runtime (in-process, in-memory, seeded):
 * sign-in through the form, the account page (who, sessions, API keys with the secret shown
 * once), permissions (a member without apikeys:manage), a wrong password, sign-out, the operator's
 * tenants; axe on a phone and a desktop viewport, with screenshots.
 */

const BUYER = { email: 'buyer@demo.test', name: 'Ben Buyer' };
const MEMBER = { email: 'member@demo.test', name: 'Max Member' };
const OPERATOR = { email: 'operator@nimbus.test' };

/** 401s the pages cause on purpose: a wrong password, a check of a session that has ended. */
const expected401s: ExpectedConsole = (text, url) =>
  failedResource(401, '/auth/login')(text, url) || failedResource(401, '/auth/session')(text, url);

let runtime: { url: string; stop(): Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  requireWebBuild();
  browser = await launchChromium();
  runtime = await startLocalRuntime({ port: 0, dataDir: undefined, seed: true, quiet: true });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

function url(path: string): string {
  if (!runtime) throw new Error('the local runtime did not start');
  return `${runtime.url}${path}`;
}

async function newContext(options: Parameters<Browser['newContext']>[0] = viewports[1]): Promise<BrowserContext> {
  if (!browser) throw new Error('Chromium did not start');
  const { name: _name, ...contextOptions } = (options ?? {}) as (typeof viewports)[number];
  const context = await browser.newContext({ ...contextOptions, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Fills the sign-in form of the page it is on and submits it. */
async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in through the login page and waits for the account page with the user's name. */
async function signIn(page: Page, user: { email: string; name: string }): Promise<void> {
  await page.goto(url('/stores/demo/login'));
  await expectHeading(page, 'Sign in to Demo Cloud');
  await submitLogin(page, user.email, DEMO_PASSWORD);
  await page.waitForURL(url('/stores/demo/account'));
  await expectHeading(page, 'Your account');
  await page.getByTestId('account-name').filter({ hasText: user.name }).waitFor();
}

describe.each(viewports)('identity pages on a $name viewport', ({ name, ...contextOptions }) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await newContext({ ...contextOptions });
  });

  afterAll(async () => {
    await context?.close();
  });

  afterEach(async () => {
    await page?.close();
  });

  it('login, register and account pages are accessible and fit the screen', async () => {
    page = await context.newPage();
    errors = watchErrors(page, expected401s);

    await page.goto(url('/stores/demo/login'));
    await expectHeading(page, 'Sign in to Demo Cloud');
    expect(await page.title()).toContain('Sign in');
    await expect.poll(() => page.getByRole('banner').getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await screenshot(page, `login-${name}`);

    // Submitting empty fields: messages beside the fields, a summary in an alert, focus on the first.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Email').evaluate((input) => input === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page);
    await screenshot(page, `login-errors-${name}`);

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(url('/stores/demo/register'));
    await expectHeading(page, 'Create an account');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await screenshot(page, `register-${name}`);
    await page.getByLabel(/A company/).check();
    await page.getByLabel('Company name').waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').waitFor();
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await screenshot(page, `register-company-errors-${name}`);

    await signIn(page, BUYER);
    await page.getByRole('heading', { name: 'Your keys' }).waitFor();
    await page.getByRole('region', { name: 'Where you are signed in' }).getByText('This device').waitFor();
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await screenshot(page, `account-${name}`);

    // The header names the user; its menu holds the account link and sign-out.
    const menu = page.getByRole('button', { name: `Account menu for ${BUYER.name}` });
    await menu.click();
    await page.getByRole('link', { name: 'Account', exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, `account-menu-${name}`);
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(errors).toEqual([]);
  });
});

describe('identity flows (desktop)', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await newContext();
  });

  afterAll(async () => {
    await context?.close();
  });

  afterEach(async () => {
    await page?.close();
  });

  it('a buyer signs in, creates an API key whose secret is shown once, and signs out', async () => {
    page = await context.newPage();
    errors = watchErrors(page, expected401s);
    await signIn(page, BUYER);

    const keyName = `Deploy pipeline ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(keyName);
    await page.getByRole('checkbox', { name: /Place orders/ }).check();
    await page.getByRole('checkbox', { name: /Manage services/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const secretPanel = page.getByRole('region', { name: `Your new key “${keyName}”` });
    await secretPanel.waitFor();
    expect(await secretPanel.textContent()).toContain('you will not see it again');
    const secret = (await page.locator('#new-key-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^nmb_\S{40,}$/);
    // Focus moved to the panel, so a screen reader reads it at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('secret-heading');
    const keyItem = page.locator('li[data-key-id]').filter({ hasText: keyName });
    await keyItem.waitFor();
    expect(await keyItem.textContent()).toContain('Place orders');
    await screenshot(page, 'account-secret-desktop');

    // After a reload the secret is gone for good; the key is still listed, without it.
    await page.reload();
    await expectHeading(page, 'Your account');
    await keyItem.waitFor();
    expect(await page.locator('#new-key-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await keyItem.textContent()).toContain('Active');

    // Revoke it (with the confirmation step).
    await keyItem.getByRole('button', { name: `Revoke “${keyName}”` }).click();
    await keyItem.getByRole('button', { name: 'Revoke key' }).click();
    await keyItem.getByText('Revoked', { exact: true }).waitFor();

    // Sign out from the header menu: back to the sign-in page, the header offers "Sign in".
    await page.getByRole('button', { name: `Account menu for ${BUYER.name}` }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/stores\/demo\/login\?signed-out/);
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();

    // The session is over: the account page sends the visitor to sign in, and back after it.
    await page.goto(url('/stores/demo/account'));
    await page.waitForURL(/\/stores\/demo\/login\?next=%2Fstores%2Fdemo%2Faccount/);
    expect(errors).toEqual([]);
  });

  it('a member without apikeys:manage sees no API key form', async () => {
    page = await context.newPage();
    errors = watchErrors(page, expected401s);
    // Straight to the account page: sign-in first, then back to it (?next=).
    await page.goto(url('/stores/demo/account'));
    await page.waitForURL(/\/stores\/demo\/login\?next=/);
    await expectHeading(page, 'Sign in to Demo Cloud');
    await submitLogin(page, MEMBER.email, DEMO_PASSWORD);
    await page.waitForURL(url('/stores/demo/account'));
    await page.getByTestId('account-name').filter({ hasText: MEMBER.name }).waitFor();

    const keys = page.getByRole('region', { name: 'API keys' });
    await keys.getByText('which you do not have').waitFor();
    expect(await page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Create an API key' }).count()).toBe(0);
    // No finance:view: the permissions list does not claim it.
    expect(await page.getByRole('region', { name: 'Profile' }).textContent()).not.toContain('credit balances');
    await expectNoAxeViolations(page);
    await screenshot(page, 'account-member-desktop');

    await page.getByRole('region', { name: 'Where you are signed in' }).getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/\/stores\/demo\/login\?signed-out/);
    expect(errors).toEqual([]);
  });

  it('a wrong password says so and signs nobody in', async () => {
    page = await context.newPage();
    errors = watchErrors(page, expected401s);
    await page.goto(url('/stores/demo/login'));
    await expectHeading(page, 'Sign in to Demo Cloud');
    await submitLogin(page, BUYER.email, 'not-the-password');
    await page.getByRole('alert').filter({ hasText: 'The email or the password is wrong' }).waitFor();
    expect(page.url()).toBe(url('/stores/demo/login'));
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, 'login-wrong-password-desktop');
    expect(errors).toEqual([]);
  });

  it('an unknown store gets a friendly not-found page', async () => {
    page = await context.newPage();
    errors = watchErrors(page, failedResource(404, '/api/v1/stores/no-such-store'));
    await page.goto(url('/stores/no-such-store/login'));
    await expectHeading(page, 'Store not found');
    expect(await page.getByRole('main').textContent()).toContain('no-such-store');
    expect(errors).toEqual([]);
  });

  it('the operator signs in and sees the tenants', async () => {
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(url('/operator'));
    await expectHeading(page, 'Nimbus operators');
    await submitLogin(page, OPERATOR.email, DEMO_PASSWORD);
    await page.waitForURL(url('/operator/tenants'));
    await expectHeading(page, 'Tenants');
    await page.locator('li[data-tenant="demo"]').filter({ hasText: 'Demo Cloud' }).waitFor();
    expect(await page.locator('li[data-tenant="demo"]').textContent()).toContain('Active');
    await expectNoAxeViolations(page);
    await screenshot(page, 'operator-tenants-desktop');
    expect(errors).toEqual([]);
  });
});
