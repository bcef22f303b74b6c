import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import {
  checkPage,
  type ExpectedConsole,
  expectHeading,
  failedResource,
  MEMBER,
  MERCHANT,
  startRuntimeAndBrowser,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * The merchant console in headless Chromium against the local runtime (in-process, in-memory,
 * seeded): the owner invites a member of staff and changes their roles, creates a role, opens the
 * store to applications, approves one and gets a token to act as that customer, and reads the
 * audit log; a buyer gets no console; axe and screenshots on a phone and a desktop viewport.
 */

const [PHONE, DESKTOP] = viewports;

/** 401s the pages cause on purpose: a visit without a session, a check of a session that has ended. */
const expected401s: ExpectedConsole = (text, url) =>
  failedResource(401, '/auth/session')(text, url) || failedResource(401, '/admin/')(text, url);

const { url, newContext, signIn } = startRuntimeAndBrowser();

/** The page checks with this file's screenshot names (`console-*.png`). */
const check = (page: Page, name: string) => checkPage(page, `console-${name}`);

describe('merchant console', () => {
  let merchant: BrowserContext;
  let page: Page;
  let errors: string[];
  const stamp = Date.now();
  const invitee = `catalog-${stamp}@demo.test`;
  const company = `Orbital Widgets ${stamp}`;

  beforeAll(async () => {
    merchant = await newContext(DESKTOP);
    page = await merchant.newPage();
    errors = watchErrors(page, expected401s);
  });

  afterAll(async () => {
    await merchant?.close();
  });

  it('the owner opens the console from the account menu and invites a member of staff', async () => {
    await signIn(page, MERCHANT);
    const banner = page.getByRole('banner');
    await banner.getByRole('button', { name: `Account menu for ${MERCHANT.name}` }).click();
    await banner.getByRole('link', { name: 'Console' }).click();
    await page.waitForURL(url('/stores/demo/admin'));
    await expectHeading(page, 'Console');
    for (const title of ['Team', 'Customers', 'Audit log']) {
      await page.getByRole('main').getByRole('heading', { name: title }).waitFor();
    }
    await check(page, 'home-desktop');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Team' }).click();
    await expectHeading(page, 'Team');
    const invite = page.getByRole('region', { name: 'Invite someone' });
    await invite.getByRole('checkbox', { name: /^Catalog/ }).waitFor();
    // Nothing filled in: both fields say what is missing, nothing is sent.
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    await invite.getByLabel('Email').fill(invitee);
    await invite.getByRole('checkbox', { name: /^Catalog/ }).check();
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByTestId('invited').filter({ hasText: invitee }).waitFor();

    const mail = (await (await fetch(url(`/_outbox.json?to=${encodeURIComponent(invitee)}`))).json()) as {
      subject: string;
      text: string;
    }[];
    expect(mail.map((message) => message.subject).join(' | ')).toMatch(/invited/i);
    expect(mail[0]?.text).toContain('/stores/demo/accept-invitation?token=');

    const member = page.locator(`li[data-member="${invitee}"]`);
    await member.locator('[data-status="invited"]').filter({ hasText: 'Invited' }).waitFor();
    expect(await member.getByRole('list', { name: `Roles of ${invitee}` }).textContent()).toContain(
      'Catalog',
    );
    await check(page, 'team-desktop');
  });

  it('the owner changes the new member’s roles and creates a role', async () => {
    const member = page.locator(`li[data-member="${invitee}"]`);
    await member.getByRole('button', { name: `Change roles of ${invitee}` }).click();
    await member.getByRole('checkbox', { name: /^Catalog/ }).uncheck();
    await member.getByRole('checkbox', { name: /^Finance/ }).check();
    await member.getByRole('button', { name: 'Save roles' }).click();
    const roles = member.getByRole('list', { name: `Roles of ${invitee}` });
    await roles.filter({ hasText: 'Finance' }).waitFor();
    expect(await roles.textContent()).not.toContain('Catalog');
    // The owner cannot change their own roles: no button, a sentence instead.
    const me = page.locator(`li[data-member="${MERCHANT.email}"]`);
    await me.getByText('another administrator can change your roles').waitFor();

    const editor = page.getByRole('region', { name: 'Create a role' });
    await editor.getByLabel('Role name').fill('support-lead');
    await editor.getByRole('checkbox', { name: /^See customers/ }).check();
    await editor.getByRole('checkbox', { name: /^Read the audit log/ }).check();
    await editor.getByRole('button', { name: 'Create role' }).click();
    const role = page.locator('li[data-role="support-lead"]');
    await role.getByText('Read the audit log').waitFor();
    await page.locator('li[data-role="owner"]').getByText('Fixed').waitFor();
  });

  it('the owner takes applications, approves one and gets a token to act as that customer', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Customers' }).click();
    await expectHeading(page, 'Customers');
    await page.getByTestId('no-applications').waitFor();
    // The page reads the store's current setting: the demo store starts open.
    await page.getByTestId('signup-saved').filter({ hasText: 'Open' }).waitFor();
    await page.getByRole('radio', { name: /^By application/ }).check();
    await page.getByRole('button', { name: 'Save sign-up setting' }).click();
    await page.getByTestId('signup-saved').filter({ hasText: 'By application' }).waitFor();

    // A visitor (another browser, nobody signed in) applies as a company.
    const visitor = await newContext(DESKTOP);
    try {
      const form = await visitor.newPage();
      const visitorErrors = watchErrors(form);
      await form.goto(url('/stores/demo/register'));
      await expectHeading(form, 'Create an account');
      await form.getByLabel(/A company/).check();
      await form.getByLabel('Company name').fill(company);
      await form.getByLabel('Country').selectOption('DE');
      await form.getByLabel('Your name').fill('Olga Orbital');
      await form.getByLabel('Your work email').fill(`olga-${stamp}@orbital.test`);
      await form.getByLabel('Password', { exact: true }).fill('orbital passphrase 1');
      await form
        .getByLabel(/Message to the store/)
        .fill('We run 40 build agents and want to move them here.');
      await form.getByRole('button', { name: 'Create account' }).click();
      await form.getByRole('heading', { name: /will review your application/ }).waitFor();
      expect(visitorErrors).toEqual([]);
    } finally {
      await visitor.close();
    }

    await page.reload();
    await expectHeading(page, 'Customers');
    const application = page.locator('li[data-customer]').filter({ hasText: company });
    await application.getByText('We run 40 build agents').waitFor();
    await check(page, 'customers-desktop');
    await application.getByLabel(/^Reason/).fill('Known customer, checked by phone');
    await application.getByRole('button', { name: `Approve ${company}` }).click();
    const decided = page.locator('li[data-decided]').filter({ hasText: company });
    await decided.getByText('Approved').waitFor();
    expect(await application.count()).toBe(0);

    await decided.getByRole('button', { name: /Act as this customer/ }).click();
    const act = page.getByRole('region', { name: 'Act as a customer' });
    expect(await act.getByLabel('Customer id').inputValue()).toMatch(/^cus_/);
    await act.getByLabel('Reason').fill('Placing the first order for them, ticket 4711');
    await act.getByRole('button', { name: 'Get a token' }).click();
    const panel = page.getByRole('region', { name: `Token to act as ${company}` });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('not a sign-in of this browser');
    const token = (await page.locator('#impersonation-token').textContent())?.trim() ?? '';
    const command = (await panel.locator('pre').textContent()) ?? '';
    expect(command).toBe(`curl -H "Authorization: Bearer ${token}" ${url('')}/api/v1/stores/demo/account`);
    // The token is what the panel says: the customer's account, through the API.
    const account = await fetch(url('/api/v1/stores/demo/account'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(account.status).toBe(200);
    expect(((await account.json()) as { name: string }).name).toBe(company);
    await check(page, 'customers-token-desktop');
  });

  it('the owner reads the audit log in plain words', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await expectHeading(page, 'Audit log');
    const table = page.getByRole('table');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    for (const words of [
      'Signed in',
      'Invited a member of staff',
      'Changed the roles of a member of staff',
      'Changed who can sign up',
      'Applied for a customer account',
      'Approved a customer application',
      'Started acting as a customer',
      'Reason: Placing the first order for them, ticket 4711',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).toContain(invitee);
    await check(page, 'audit-desktop');
    expect(errors).toEqual([]);
  });

  it('the invited member joins and sees only what the finance role allows', async () => {
    const mail = (await (await fetch(url(`/_outbox.json?to=${encodeURIComponent(invitee)}`))).json()) as {
      text: string;
    }[];
    const link = new URL(mail[0]?.text.match(/https?:\/\/\S+/)?.[0] ?? '');
    const context = await newContext(DESKTOP);
    try {
      const joiner = await context.newPage();
      const joinerErrors = watchErrors(joiner, expected401s);
      await joiner.goto(url(`${link.pathname}${link.search}`));
      await expectHeading(joiner, 'Join Demo Cloud');
      await joiner.getByLabel('Your name').fill('Fiona Finance');
      await joiner.getByLabel('Password', { exact: true }).fill('finance passphrase 1');
      await joiner.getByLabel('Repeat the password').fill('finance passphrase 1');
      await joiner.getByRole('button', { name: 'Accept invitation' }).click();
      await joiner.getByRole('heading', { name: 'Welcome, Fiona Finance' }).waitFor();
      await signIn(joiner, { email: invitee, name: 'Fiona Finance' }, 'finance passphrase 1');

      await joiner.goto(url('/stores/demo/admin'));
      await expectHeading(joiner, 'Console');
      const nav = joiner.getByRole('navigation', { name: 'Console' });
      // Finance reads customers, billing, payments, packs and incidents; staff, catalog and audit stay out of sight.
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Overview',
        'Customers',
        'Billing',
        'Payments',
        'Credit packs',
        'Incidents',
      ]);
      const abilities = await joiner
        .getByRole('list', { name: 'What you can do in Customers' })
        .textContent();
      expect(abilities).toContain('See applications');
      expect(abilities).not.toContain('Act as a customer');

      await nav.getByRole('link', { name: 'Customers' }).click();
      await expectHeading(joiner, 'Customers');
      await joiner.getByTestId('no-applications').waitFor();
      expect(await joiner.getByRole('region', { name: 'Who can sign up' }).count()).toBe(0);
      expect(await joiner.getByRole('region', { name: 'Act as a customer' }).count()).toBe(0);

      await joiner.goto(url('/stores/demo/admin/audit'));
      await expectHeading(joiner, 'Audit log');
      const denied = joiner.getByRole('region', { name: "You don't have access to this" });
      expect(await denied.textContent()).toContain('Read the audit log');
      expect(await denied.textContent()).toContain('audit:read');
      await check(joiner, 'audit-denied-desktop');
      expect(joinerErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the console fits a phone and passes axe there', async () => {
    // The same session on a phone: cookies and the signed-in hint travel with the storage state.
    const phone = await newContext(PHONE, { storageState: await merchant.storageState() });
    try {
      const small = await phone.newPage();
      const phoneErrors = watchErrors(small, expected401s);
      for (const [path, heading, name] of [
        ['/stores/demo/admin', 'Console', 'home-phone'],
        ['/stores/demo/admin/staff', 'Team', 'team-phone'],
        ['/stores/demo/admin/customers', 'Customers', 'customers-phone'],
        ['/stores/demo/admin/audit', 'Audit log', 'audit-phone'],
      ] as const) {
        await small.goto(url(path));
        await expectHeading(small, heading);
        if (heading === 'Team') await small.locator(`li[data-member="${invitee}"]`).waitFor();
        if (heading === 'Audit log') await small.getByRole('table').waitFor();
        if (heading === 'Customers') await small.getByTestId('no-applications').waitFor();
        await check(small, name);
      }
      expect(phoneErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

describe('the console is for staff only', () => {
  it('sends a visitor to sign in and shows a buyer no console', async () => {
    const context = await newContext(DESKTOP);
    try {
      const page = await context.newPage();
      const errors = watchErrors(page, expected401s);
      await page.goto(url('/stores/demo/admin/audit'));
      await page.waitForURL(/\/stores\/demo\/login\?next=%2Fstores%2Fdemo%2Fadmin%2Faudit$/);
      await expectHeading(page, 'Sign in to Demo Cloud');

      // A buyer signs in and comes back to the console page they asked for: it is not theirs.
      await page.getByLabel('Email').fill(MEMBER.email);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(url('/stores/demo/admin/audit'));
      await expectHeading(page, "You don't have access to this");
      expect(await page.getByRole('main').textContent()).toContain(
        'The console is for the staff of Demo Cloud',
      );
      expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
      await check(page, 'buyer-denied-desktop');

      const banner = page.getByRole('banner');
      await banner.getByRole('button', { name: `Account menu for ${MEMBER.name}` }).click();
      await banner.getByRole('link', { name: 'Account', exact: true }).waitFor();
      expect(await banner.getByRole('link', { name: 'Console' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
