import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import {
  BUYER,
  checkPage,
  type ExpectedConsole,
  expectHeading,
  expectNoAxeViolations,
  failedResource,
  MEMBER,
  screenshot,
  startRuntimeAndBrowser,
  submitLogin,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * Identity pages in headless Chromium against the local runtime (in-process, in-memory, seeded):
 * sign-in through the form, the account page (who, sessions, API keys with the secret shown
 * once), permissions (a member without apikeys:manage), a wrong password, sign-out, the operator's
 * tenants; axe on a phone and a desktop viewport, with screenshots.
 */

const OPERATOR = { email: 'operator@nimbus.test' };

/** 401s the pages cause on purpose: a wrong password, a check of a session that has ended. */
const expected401s: ExpectedConsole = (text, url) =>
  failedResource(401, '/auth/login')(text, url) || failedResource(401, '/auth/session')(text, url);

const { runtime, url, newContext, signIn } = startRuntimeAndBrowser();

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** The link in the newest mail to `to` whose subject matches, as a path on the runtime. */
function mailedLink(to: string, subject: RegExp): string {
  const message = runtime()
    .outbox.messages({ to })
    .find((candidate) => subject.test(candidate.subject));
  const link = message?.text.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`No mail to ${to} with a subject like ${subject} and a link in it`);
  const { pathname, search } = new URL(link);
  return `${pathname}${search}`;
}

describe.each(viewports)('identity pages on a $name viewport', ({ name, ...contextOptions }) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await newContext(contextOptions);
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
    await expect
      .poll(() => page.getByRole('banner').getByRole('link', { name: 'Sign in' }).isVisible())
      .toBe(true);
    await checkPage(page, `login-${name}`);

    // Submitting empty fields: messages beside the fields, a summary in an alert, focus on the first.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(page.getByLabel('Email'))).toBe(true);
    await expectNoAxeViolations(page);
    await screenshot(page, `login-errors-${name}`);

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(url('/stores/demo/register'));
    await expectHeading(page, 'Create an account');
    await checkPage(page, `register-${name}`);
    await page.getByLabel(/A company/).check();
    await page.getByLabel('Company name').waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').waitFor();
    await checkPage(page, `register-company-errors-${name}`);

    await signIn(page, BUYER);
    await page.getByRole('heading', { name: 'Your keys' }).waitFor();
    await page.getByRole('region', { name: 'Where you are signed in' }).getByText('This device').waitFor();
    await page.getByText('Acme Robotics GmbH · customer of Demo Cloud').waitFor(); // the buyer's company
    await checkPage(page, `account-${name}`);

    // The header names the user; its menu holds the account link and sign-out.
    const menu = page.getByRole('button', { name: `Account menu for ${BUYER.name}` });
    await menu.click();
    await page.locator('#account-menu-panel').getByRole('link', { name: 'Account', exact: true }).waitFor();
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
    expect(await isFocused(page.locator('#secret-heading'))).toBe(true);
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
    const banner = page.getByRole('banner');
    await banner.getByRole('button', { name: `Account menu for ${BUYER.name}` }).click();
    await banner.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/stores\/demo\/login\?signed-out/);
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await banner.getByRole('link', { name: 'Sign in' }).waitFor();

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
    expect(await page.getByRole('region', { name: 'Profile' }).textContent()).not.toContain(
      'credit balances',
    );
    await expectNoAxeViolations(page);
    await screenshot(page, 'account-member-desktop');

    await page
      .getByRole('region', { name: 'Where you are signed in' })
      .getByRole('button', { name: 'Sign out' })
      .first()
      .click();
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

  it('a new customer signs up, confirms the email from the mailed link, signs in and resets the password', async () => {
    page = await context.newPage();
    // The second visit of the used link gets a 400 invalid_token, which the page explains.
    const usedLink = failedResource(400, '/auth/email-verification');
    errors = watchErrors(page, (text, at) => expected401s(text, at) || usedLink(text, at));
    const email = `newcomer-${Date.now()}@example.test`;
    const password = 'a long enough passphrase';

    await page.goto(url('/stores/demo/register'));
    await expectHeading(page, 'Create an account');
    await page.getByLabel('Your name').fill('Nora Newcomer');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Country').selectOption('DE');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await screenshot(page, 'register-done-desktop');

    await page.goto(url(mailedLink(email, /Confirm your email/)));
    await page.getByText('Your email address is confirmed.').waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, 'verify-email-desktop');
    // A link works once.
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'This link does not work any more' }).waitFor();

    await page.goto(url('/stores/demo/forgot-password'));
    await expectHeading(page, 'Forgot your password?');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto(url(mailedLink(email, /Reset your/)));
    await expectHeading(page, 'Choose a new password');
    await page.getByLabel('New password').fill('a new long passphrase');
    await page.getByLabel('Repeat the password').fill('a new long passphrase!');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByText('The two passwords are not the same.').first().waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, 'reset-password-errors-desktop');
    await page.getByLabel('Repeat the password').fill('a new long passphrase');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();

    await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
    await expectHeading(page, 'Sign in to Demo Cloud');
    await submitLogin(page, email, 'a new long passphrase');
    await page.waitForURL(url('/stores/demo/account'));
    await page.getByTestId('account-name').filter({ hasText: 'Nora Newcomer' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('the operator creates a tenant whose owner accepts the invitation, then suspends and reactivates it', async () => {
    page = await context.newPage();
    errors = watchErrors(page, expected401s);
    const slug = `acme-${Date.now()}`;
    const owner = `owner@${slug}.test`;

    await page.goto(url('/operator'));
    await submitLogin(page, OPERATOR.email, DEMO_PASSWORD);
    await page.waitForURL(url('/operator/tenants'));
    await page.getByLabel('Store name').fill('Acme Cloud');
    expect(await page.getByLabel('Store address').inputValue()).toBe('acme-cloud');
    await page.getByLabel('Store address').fill(slug);
    await page.getByLabel('Owner’s email').fill(owner);
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const card = page.locator(`li[data-tenant="${slug}"]`);
    await card.waitFor();

    await card.getByRole('button', { name: 'Suspend Acme Cloud' }).click();
    await card.getByRole('button', { name: 'Suspend store' }).click();
    await card.locator('.pill').filter({ hasText: 'Suspended' }).waitFor();
    await screenshot(page, 'operator-tenants-suspended-desktop');
    await card.getByRole('button', { name: 'Reactivate Acme Cloud' }).click();
    await card.locator('.pill').filter({ hasText: 'Active' }).waitFor();

    // The owner's invitation leads to the new store's accept-invitation page.
    const invitation = mailedLink(owner, /invited/);
    expect(invitation).toMatch(new RegExp(`^/stores/${slug}/accept-invitation\\?token=`));
    await page.goto(url(invitation));
    await expectHeading(page, 'Join Acme Cloud');
    await expectNoAxeViolations(page);
    await screenshot(page, 'accept-invitation-desktop');
    await page.getByLabel('Your name').fill('Otto Owner');
    await page.getByLabel('Password', { exact: true }).fill('owner passphrase 1');
    await page.getByLabel('Repeat the password').fill('owner passphrase 1');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('heading', { name: 'Welcome, Otto Owner' }).waitFor();

    await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
    await expectHeading(page, 'Sign in to Acme Cloud');
    await submitLogin(page, owner, 'owner passphrase 1');
    await page.waitForURL(url(`/stores/${slug}/account`));
    await page.getByTestId('account-name').filter({ hasText: 'Otto Owner' }).waitFor();
    // Staff keys carry the merchant's integration scopes.
    await page.getByRole('checkbox', { name: /Provisioning/ }).waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, 'account-staff-desktop');
    expect(errors).toEqual([]);
  });
});
