import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUYER,
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
 * Orders, services and credits in headless Chromium against the local runtime (in-process,
 * in-memory, seeded): a buyer without credits is told how many are missing and that card payment
 * is off; the merchant grants credits on the customer's console page; the buyer orders with
 * credits, sees the order and its service, stops and starts it, previews and applies a resize and
 * reads the wallet's entries; the merchant moves the sandbox clock a day forward and sees the
 * hourly debits. Axe and screenshots on a phone and a desktop viewport.
 */

const [, DESKTOP] = viewports;
const { url, newContext, signIn, api, onAPhone } = startRuntimeAndBrowser();

/** Errors the pages answer on purpose: a refused order (409), a visit before signing in (401). */
const expected: ExpectedConsole = (text, at) =>
  failedResource(409, '/checkout')(text, at) || failedResource(401, '/auth/session')(text, at);

const check = (page: Page, name: string) => checkPage(page, `billing-${name}`);

/** The buyer's customer id, as the API tells the buyer. */
const buyerCustomerId = async (): Promise<string> =>
  (await (await api(BUYER.email)).get('/api/v1/stores/demo/account')).body.id as string;

describe('orders, services and credits', () => {
  let buyerContext: BrowserContext;
  let merchantContext: BrowserContext;
  let buyer: Page;
  let merchant: Page;
  let buyerErrors: string[];
  let merchantErrors: string[];
  let customerId: string;
  let serviceUrl: string;
  let orderUrl: string;

  beforeAll(async () => {
    [buyerContext, merchantContext] = await Promise.all([newContext(DESKTOP), newContext(DESKTOP)]);
    [buyer, merchant] = await Promise.all([buyerContext.newPage(), merchantContext.newPage()]);
    buyerErrors = watchErrors(buyer, expected);
    merchantErrors = watchErrors(merchant, expected);
    customerId = await buyerCustomerId();
  });

  afterAll(async () => {
    await Promise.all([buyerContext?.close(), merchantContext?.close()]);
  });

  it('a buyer without credits is told how many are missing, and that card payment is off', async () => {
    await signIn(buyer, BUYER);
    await buyer.goto(url('/stores/demo/products/virtual-server'));
    await expectHeading(buyer, 'Virtual server');
    await buyer.getByRole('button', { name: 'Add to basket' }).click();
    await buyer.getByTestId('added').waitFor();
    await buyer.goto(url('/stores/demo/basket'));
    await expectHeading(buyer, 'Your basket');
    await expect.poll(() => buyer.getByTestId('readiness').textContent()).toMatch(/Ready to order/);

    const checkout = buyer.getByRole('region', { name: 'Place order' });
    await checkout.getByText('Due now:').waitFor();
    await checkout.getByRole('button', { name: 'Place order' }).click();
    const missing = checkout.getByTestId('insufficient-credits');
    await missing.getByText(/Not enough credits: [\d.,]+ credits missing/).waitFor();
    await missing.getByRole('link', { name: 'See your credits' }).waitFor();

    await checkout.getByRole('radio', { name: /^Card/ }).check();
    await checkout.getByRole('button', { name: 'Place order' }).click();
    await checkout
      .getByTestId('checkout-refusal')
      .getByText(/Card payment/)
      .waitFor();
    // The store's answer is shown beside the method, which can no longer be chosen.
    expect(await checkout.getByRole('radio', { name: /^Card \(unavailable\)/ }).isDisabled()).toBe(true);
    expect(await checkout.getByRole('radio', { name: /^Credits/ }).isChecked()).toBe(true);
    await check(buyer, 'basket-refused-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the merchant grants credits on the customer’s console page', async () => {
    await signIn(merchant, MERCHANT);
    await merchant.goto(url('/stores/demo/admin'));
    await merchant
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Customers' })
      .click();
    await expectHeading(merchant, 'Customers');
    const find = merchant.getByRole('region', { name: 'A customer’s credits and services' });
    await find.getByLabel('Customer id').fill(customerId);
    await find.getByRole('button', { name: 'Open customer' }).click();
    await merchant.waitForURL(url(`/stores/demo/admin/customers/${customerId}`));
    await expectHeading(merchant, `Customer ${customerId}`);
    await merchant.getByTestId('wallet-balance').filter({ hasText: '0.00' }).waitFor();

    const grant = merchant.getByRole('region', { name: 'Grant credits' });
    await grant.getByRole('button', { name: 'Grant credits' }).click();
    await grant.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    await grant.getByLabel('Credits').fill('500');
    await grant.getByLabel('Reason').fill('Welcome credits');
    await grant.getByRole('button', { name: 'Grant credits' }).click();
    await merchant.getByTestId('wallet-balance').filter({ hasText: '500.00' }).waitFor();
    await merchant.getByTestId('wallet-entries').getByText('Welcome credits').waitFor();
    await check(merchant, 'customer-desktop');
    expect(merchantErrors).toEqual([]);
  });

  it('the buyer orders with credits and sees the order and its service', async () => {
    await buyer.reload();
    await expectHeading(buyer, 'Your basket');
    const checkout = buyer.getByRole('region', { name: 'Place order' });
    await checkout.getByTestId('checkout-balance').filter({ hasText: '500.00 credits' }).waitFor();
    await checkout.getByRole('button', { name: 'Place order' }).click();
    await buyer.waitForURL(/\/stores\/demo\/orders\/ord_[0-9a-z]{26}\?placed=1$/);
    orderUrl = buyer.url().replace('?placed=1', '');
    await expectHeading(buyer, /^Order of /);
    await buyer.getByTestId('order-placed').waitFor();
    await buyer.getByTestId('order-status').filter({ hasText: 'Completed' }).waitFor();
    await expect.poll(() => buyer.getByTestId('basket-link').textContent()).not.toMatch(/\d/);
    await check(buyer, 'order-desktop');

    await buyer.getByRole('link', { name: /^Virtual server \(sub_/ }).click();
    await buyer.waitForURL(/\/stores\/demo\/services\/sub_[0-9a-z]{26}$/);
    serviceUrl = buyer.url();
    await expectHeading(buyer, 'Virtual server');
    await buyer.getByTestId('service-state').filter({ hasText: 'Running' }).waitFor();
    await buyer.getByTestId('service-history').locator('[data-action="activate"]').waitFor();

    await buyer
      .getByRole('navigation', { name: 'Your cloud' })
      .getByRole('link', { name: 'Services' })
      .click();
    await expectHeading(buyer, 'Services');
    await buyer.getByTestId('services').getByRole('link', { name: 'Virtual server' }).waitFor();
    await buyer.getByLabel('State').selectOption('stopped');
    await buyer.getByText('No services are “Stopped”.').waitFor();
    await buyer.getByLabel('State').selectOption('');
    await buyer.getByTestId('services').getByRole('link', { name: 'Virtual server' }).waitFor();
    await check(buyer, 'services-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the buyer stops and starts the service, and previews a resize before applying it', async () => {
    await buyer.goto(serviceUrl);
    await expectHeading(buyer, 'Virtual server');
    const manage = buyer.getByRole('region', { name: 'Manage' });
    await manage.getByRole('button', { name: 'Stop', exact: true }).click();
    await buyer.getByTestId('service-state').filter({ hasText: 'Stopped' }).waitFor();
    await buyer.getByTestId('service-history').locator('[data-action="stop"]').waitFor();
    await manage.getByRole('button', { name: 'Start', exact: true }).click();
    await buyer.getByTestId('service-state').filter({ hasText: 'Running' }).waitFor();
    await buyer.getByTestId('service-history').locator('[data-action="start"]').waitFor();

    await manage.getByRole('button', { name: 'Resize' }).click();
    const resize = buyer.getByRole('region', { name: 'Resize' });
    const ram = resize.getByRole('spinbutton', { name: /^RAM/ });
    const before = Number(await ram.inputValue());
    await ram.fill(String(before * 2));
    await ram.press('Tab');
    await resize.getByRole('button', { name: 'Preview new price' }).click();
    const preview = buyer.getByTestId('resize-preview');
    await preview.getByText('New, per hour').waitFor();
    expect(await preview.getByTestId('preview-prorated').textContent()).toMatch(/^\+/);
    await check(buyer, 'service-resize-desktop');

    await resize.getByRole('button', { name: 'Resize now' }).click();
    await buyer.getByTestId('service-history').locator('[data-action="resize"]').waitFor();
    expect(await buyer.getByRole('region', { name: 'Resize' }).count()).toBe(0);
    await check(buyer, 'service-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the buyer sees the wallet: the grant and the setup fee', async () => {
    await buyer
      .getByRole('navigation', { name: 'Your cloud' })
      .getByRole('link', { name: 'Credits' })
      .click();
    await expectHeading(buyer, 'Credits');
    await buyer.getByTestId('wallet-status').filter({ hasText: 'OK' }).waitFor();
    const entries = buyer.getByTestId('wallet-entries');
    await entries.locator('[data-entry-type="grant"]').getByText('Welcome credits').waitFor();
    await entries
      .locator('[data-entry-type="debit"]')
      .first()
      .getByText(/Setup fees/)
      .waitFor();
    expect(await buyer.getByTestId('wallet-burn').textContent()).toMatch(/credits an hour/);
    await check(buyer, 'wallet-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the merchant moves the test clock a day forward and sees the hourly debits', async () => {
    await merchant
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Billing' })
      .click();
    await expectHeading(merchant, 'Billing');
    await merchant.getByLabel('Minimum runway (hours)').waitFor();
    await merchant.getByTestId('clock-status').filter({ hasText: 'Ready' }).waitFor();
    await merchant.getByRole('group', { name: 'Advance by' }).getByRole('button', { name: '1 day' }).click();
    await merchant
      .getByTestId('clock-ahead')
      .filter({ hasText: /^1 day/ })
      .waitFor({ timeout: 60_000 });
    await merchant.getByTestId('clock-status').filter({ hasText: 'Ready' }).waitFor({ timeout: 60_000 });
    await check(merchant, 'billing-desktop');

    // A bad custom duration is explained, not sent.
    await merchant.getByLabel('Custom duration').fill('2 days');
    await merchant.getByRole('button', { name: 'Advance', exact: true }).click();
    await merchant.getByText('Use an ISO 8601 duration').first().waitFor();

    await merchant.goto(url(`/stores/demo/admin/customers/${customerId}`));
    await expectHeading(merchant, `Customer ${customerId}`);
    const debits = merchant.getByTestId('wallet-entries').locator('[data-entry-type="debit"]');
    // The setup fee and at least a day of hours (the first page holds 20 entries).
    await expect.poll(() => debits.count(), { timeout: 15_000 }).toBeGreaterThan(10);
    await merchant.getByTestId('customer-services').getByText('Running').waitFor();
    expect(merchantErrors).toEqual([]);
  });

  describe('on a phone', () => {
    const phone = onAPhone(expected);

    it('the buyer’s pages fit and pass axe', async () => {
      await signIn(phone.page, BUYER);
      await phone.page.goto(serviceUrl);
      await expectHeading(phone.page, 'Virtual server');
      await phone.page.getByTestId('service-history').locator('[data-action="resize"]').waitFor();
      await phone.page
        .getByRole('region', { name: 'Manage' })
        .getByRole('button', { name: 'Resize' })
        .click();
      await check(phone.page, 'service-phone');

      await phone.page.goto(url('/stores/demo/services'));
      await expectHeading(phone.page, 'Services');
      await phone.page.getByTestId('services').waitFor();
      await check(phone.page, 'services-phone');

      await phone.page.goto(url('/stores/demo/orders'));
      await expectHeading(phone.page, 'Orders');
      await phone.page.getByTestId('orders').waitFor();
      await check(phone.page, 'orders-phone');

      await phone.page.goto(orderUrl);
      await expectHeading(phone.page, /^Order of /);
      await check(phone.page, 'order-phone');

      await phone.page.goto(url('/stores/demo/wallet'));
      await expectHeading(phone.page, 'Credits');
      await phone.page.getByTestId('wallet-entries').waitFor();
      await check(phone.page, 'wallet-phone');
      expect(phone.errors).toEqual([]);
    });

    it('the merchant’s billing and customer pages fit and pass axe', async () => {
      await signIn(phone.page, MERCHANT);
      await phone.page.goto(url('/stores/demo/admin/billing'));
      await expectHeading(phone.page, 'Billing');
      await phone.page.getByTestId('clock-status').filter({ hasText: 'Ready' }).waitFor();
      await check(phone.page, 'billing-phone');
      await phone.page.goto(url(`/stores/demo/admin/customers/${customerId}`));
      await expectHeading(phone.page, `Customer ${customerId}`);
      await phone.page.getByTestId('wallet-entries').waitFor();
      await check(phone.page, 'customer-phone');
      expect(phone.errors).toEqual([]);
    });
  });
});
