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
 * Credit packs, invoices, payments and incidents in headless Chromium against the local runtime
 * (in-process, in-memory, seeded): the merchant sees that Stripe is not connected (and where its
 * webhook goes), creates a credit pack (a price with more decimals than its currency is refused by
 * the API, beside its field) and lets the buyer pay on account; the buyer buys "bulk-1000" on
 * account, gets 900 + 100 bonus credits and an invoice whose PDF downloads; the buyer orders a
 * virtual server with the credits; the merchant records an outage over the last hour for the
 * virtual server and sees the service credited. Axe and screenshots on a phone and a desktop.
 */

const [, DESKTOP] = viewports;
const { url, newContext, signIn, api, onAPhone } = startRuntimeAndBrowser();

/** Errors the pages answer on purpose: a refused pack (400), a visit before signing in (401). */
const expected: ExpectedConsole = (text, at) =>
  failedResource(400, '/admin/credit-packs/')(text, at) || failedResource(401, '/auth/session')(text, at);

const check = (page: Page, name: string) => checkPage(page, `credits-${name}`);

/** The buyer's customer id, as the API tells the buyer. */
const buyerCustomerId = async (): Promise<string> =>
  (await (await api(BUYER.email)).get('/api/v1/stores/demo/account')).body.id as string;

describe('credit packs, invoices, payments and incidents', () => {
  let buyerContext: BrowserContext;
  let merchantContext: BrowserContext;
  let buyer: Page;
  let merchant: Page;
  let buyerErrors: string[];
  let merchantErrors: string[];
  let customerId: string;

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

  it('the merchant sees that Stripe is not connected, and where its webhook goes', async () => {
    await signIn(merchant, MERCHANT);
    await merchant.goto(url('/stores/demo/admin'));
    await merchant
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Payments' })
      .click();
    await expectHeading(merchant, 'Payments');
    await merchant.getByTestId('stripe-status').filter({ hasText: 'Not connected' }).waitFor();
    expect(await merchant.getByTestId('webhook-url').textContent()).toBe(url('/api/v1/webhooks/stripe/demo'));
    // Keys are checked before they are sent.
    const form = merchant.getByRole('region', { name: 'Stripe' });
    await form.getByLabel('Secret key').fill('pk_test_123');
    await form.getByRole('button', { name: 'Connect Stripe' }).click();
    await form.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    await form.getByText('A Stripe secret key starts with sk_test_').first().waitFor();
    await check(merchant, 'payments-desktop');
    expect(merchantErrors).toEqual([]);
  });

  it('the merchant creates a credit pack; the API’s refusal of a price shows beside its field', async () => {
    await merchant
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Credit packs' })
      .click();
    // The Payments page's alert must not pass for this page's: wait for the page to change.
    await merchant.waitForURL(url('/stores/demo/admin/credit-packs'));
    await merchant.getByRole('heading', { level: 1, name: 'Credit packs' }).waitFor();
    await expectHeading(merchant, 'Credit packs');
    const packs = merchant.getByTestId('packs');
    await packs.locator('[data-pack="bulk-1000"]').getByText('900.00 + 100.00 bonus').waitFor();

    await merchant.getByRole('button', { name: 'New pack' }).click();
    const form = merchant.getByRole('region', { name: 'New credit pack' });
    await form.getByRole('button', { name: 'Create pack' }).click();
    await form.getByRole('alert').filter({ hasText: 'Check these 4 fields' }).waitFor();

    await form.getByLabel('Pack id').fill('team-2000');
    await form.getByLabel('Name').fill('2,000 credits for teams');
    await form.getByLabel('Credits', { exact: true }).fill('1800');
    await form.getByLabel('Bonus credits').fill('200');
    // Four decimals pass the form (as the API's schema), but EUR has two: the API says so.
    await form.getByLabel('EUR').fill('1800.005');
    await form.getByLabel('Percent').fill('1');
    await form.getByRole('button', { name: 'Create pack' }).click();
    await form.getByText('EUR has 2 decimals').first().waitFor();
    expect(await form.getByLabel('EUR').getAttribute('aria-invalid')).toBe('true');
    await check(merchant, 'pack-form-desktop');

    await form.getByLabel('EUR').fill('1800.00');
    await form.getByRole('button', { name: 'Create pack' }).click();
    await packs.locator('[data-pack="team-2000"]').getByText('1,800.00 + 200.00 bonus').waitFor();
    expect(await merchant.getByRole('region', { name: 'New credit pack' }).count()).toBe(0);
    await check(merchant, 'packs-desktop');
    expect(merchantErrors).toEqual([]);
  });

  it('the merchant lets the buyer pay on account', async () => {
    await merchant.goto(url(`/stores/demo/admin/customers/${customerId}`));
    await expectHeading(merchant, `Customer ${customerId}`);
    const profile = merchant.getByRole('region', { name: 'Billing profile' });
    await profile.getByLabel('Payment terms (days)').fill('200');
    await profile.getByRole('button', { name: 'Save billing profile' }).click();
    await profile.getByText('Enter whole days from 0 to 120.').first().waitFor();
    await profile.getByRole('checkbox', { name: /May pay on account/ }).check();
    await profile.getByLabel('Payment terms (days)').fill('30');
    await profile.getByRole('button', { name: 'Save billing profile' }).click();
    await merchant.getByTestId('profile-saved').waitFor();
    await merchant.getByRole('region', { name: 'Invoices' }).getByText('No invoices.').waitFor();
    expect(merchantErrors).toEqual([]);
  });

  it('the buyer buys "bulk-1000" on account: 900 + 100 bonus credits and an invoice', async () => {
    await signIn(buyer, BUYER);
    await buyer.goto(url('/stores/demo/wallet'));
    await expectHeading(buyer, 'Credits');
    const section = buyer.getByRole('region', { name: 'Buy credits' });
    await section.getByText('VAT is added at purchase').waitFor();
    // Card payment is off (no Stripe): on account is the method the store offers.
    expect(await section.getByRole('radio', { name: /^Card \(unavailable\)/ }).isDisabled()).toBe(true);
    expect(await section.getByRole('radio', { name: /^On account/ }).isChecked()).toBe(true);
    await section.getByText('an invoice is due in 30 days').waitFor();
    const bulk = section.locator('[data-pack="bulk-1000"]');
    await bulk.getByText('900.00 credits + 100.00 bonus').waitFor();
    // The pack the merchant just created is on sale too.
    await section.locator('[data-pack="team-2000"]').waitFor();
    await check(buyer, 'wallet-buy-desktop');

    await bulk.getByRole('button', { name: /^Buy on account/ }).click();
    const result = buyer.getByTestId('purchase-result');
    await result.getByText('900.00 credits + 100.00 bonus credits added').waitFor();
    await buyer.getByTestId('wallet-balance').filter({ hasText: '1,000.00' }).waitFor();
    const entries = buyer.getByTestId('wallet-entries');
    await entries.locator('[data-entry-type="purchase"]').getByText('+900.00').waitFor();
    await entries.locator('[data-entry-type="bonus"]').getByText('+100.00').waitFor();

    // The PDF link works with the session cookie, as the browser follows it.
    const pdfHref = await result
      .getByRole('link', { name: 'Download the invoice (PDF)' })
      .getAttribute('href');
    const pdf = await buyer.evaluate(async (href) => {
      const response = await fetch(href as string);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        start: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', start: '%PDF-' });
    await check(buyer, 'wallet-bought-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the buyer sees the invoice in the invoices list, and its PDF downloads', async () => {
    await buyer
      .getByRole('navigation', { name: 'Your cloud' })
      .getByRole('link', { name: 'Invoices' })
      .click();
    await expectHeading(buyer, 'Invoices');
    const row = buyer.getByTestId('invoices').locator('tbody tr').first();
    await row.getByText('Open').waitFor();
    expect(await row.locator('td[data-label="For"]').textContent()).toMatch(/^Credits/);
    expect(await row.locator('td[data-label="Number"]').textContent()).toMatch(/^\d{4}-\d{6}$/);
    // 900.00 net, VAT on top.
    expect(await row.locator('td[data-label="Total"]').textContent()).toMatch(
      /€[\d,]+\.\d{2}\s+incl\. €[\d,]+\.\d{2} VAT/,
    );
    const link = row.getByRole('link', { name: /^Download invoice \d{4}-\d{6} as PDF$/ });
    const href = (await link.getAttribute('href')) as string;
    const [download] = await Promise.all([buyer.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^invoice-\d{4}-\d{6}\.pdf$/);
    const answer = await buyer.evaluate(async (path) => {
      const response = await fetch(path);
      return { status: response.status, type: response.headers.get('content-type') };
    }, href);
    expect(answer).toEqual({ status: 200, type: 'application/pdf' });
    await buyer.getByLabel('Status').selectOption('paid');
    await buyer.getByText('No invoices are “Paid”.').waitFor();
    await buyer.getByLabel('Status').selectOption('');
    await buyer.getByTestId('invoices').waitFor();
    await check(buyer, 'invoices-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('the buyer orders a virtual server with the credits', async () => {
    await buyer.goto(url('/stores/demo/products/virtual-server'));
    await expectHeading(buyer, 'Virtual server');
    await buyer.getByRole('button', { name: 'Add to basket' }).click();
    await buyer.getByTestId('added').waitFor();
    await buyer.goto(url('/stores/demo/basket'));
    await expectHeading(buyer, 'Your basket');
    await expect.poll(() => buyer.getByTestId('readiness').textContent()).toMatch(/Ready to order/);
    const checkout = buyer.getByRole('region', { name: 'Place order' });
    await checkout.getByTestId('checkout-balance').filter({ hasText: '1,000.00 credits' }).waitFor();
    await checkout.getByRole('button', { name: 'Place order' }).click();
    await buyer.waitForURL(/\/stores\/demo\/orders\/ord_[0-9a-z]{26}\?placed=1$/);
    await buyer.getByTestId('order-status').filter({ hasText: 'Completed' }).waitFor();
    expect(buyerErrors).toEqual([]);
  });

  it('the merchant records an outage of the virtual server over the last hour; the service is credited', async () => {
    // The form's end is "now" to the second when the page opens: let the service run a moment first.
    await merchant.waitForTimeout(2000);
    await merchant.goto(url('/stores/demo/admin/incidents'));
    await expectHeading(merchant, 'Incidents');
    const form = merchant.getByRole('region', { name: 'Record an incident' });
    await form.getByRole('checkbox', { name: 'Virtual server' }).waitFor();
    await form.getByRole('button', { name: 'Record incident' }).click();
    await form.getByRole('alert').filter({ hasText: 'Check these 2 fields' }).waitFor();
    await check(merchant, 'incident-form-desktop');

    await form.getByLabel('Title').fill('Network outage in Frankfurt');
    await form.getByRole('checkbox', { name: 'Virtual server' }).check();
    await form.getByRole('button', { name: 'Record incident' }).click();
    const incident = merchant
      .getByTestId('incidents')
      .locator('li')
      .filter({ hasText: 'Network outage in Frankfurt' });
    await incident.getByText('Virtual server').waitFor();
    await incident.getByTestId('incident-status').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    expect(await incident.getByTestId('incident-services').textContent()).toMatch(/^\s*1 credited/);
    expect(await incident.getByTestId('incident-credits').textContent()).toMatch(
      /\d+\.\d{2} \(EUR wallets\)/,
    );
    // The form is ready for the next one.
    expect(await form.getByLabel('Title').inputValue()).toBe('');
    await check(merchant, 'incidents-desktop');

    // The buyer sees the outage credit in the ledger.
    await buyer.goto(url('/stores/demo/wallet'));
    await buyer
      .getByTestId('wallet-entries')
      .locator('[data-entry-type="grant"]')
      .getByText(/Outage credit: Network outage in Frankfurt/)
      .waitFor();
    expect(merchantErrors).toEqual([]);
    expect(buyerErrors).toEqual([]);
  });

  describe('on a phone', () => {
    const phone = onAPhone(expected);

    it('the buyer’s wallet and invoices fit and pass axe', async () => {
      await signIn(phone.page, BUYER);
      await phone.page.goto(url('/stores/demo/wallet'));
      await expectHeading(phone.page, 'Credits');
      await phone.page.getByTestId('credit-packs').waitFor();
      await phone.page.getByTestId('wallet-entries').waitFor();
      await check(phone.page, 'wallet-phone');
      await phone.page.goto(url('/stores/demo/invoices'));
      await expectHeading(phone.page, 'Invoices');
      await phone.page.getByTestId('invoices').waitFor();
      await check(phone.page, 'invoices-phone');
      expect(phone.errors).toEqual([]);
    });

    it('the merchant’s payments, packs, incidents and customer pages fit and pass axe', async () => {
      await signIn(phone.page, MERCHANT);
      await phone.page.goto(url('/stores/demo/admin/payments'));
      await expectHeading(phone.page, 'Payments');
      await phone.page.getByTestId('webhook-url').waitFor();
      await check(phone.page, 'payments-phone');
      await phone.page.goto(url('/stores/demo/admin/credit-packs'));
      await expectHeading(phone.page, 'Credit packs');
      await phone.page.getByTestId('packs').waitFor();
      await check(phone.page, 'packs-phone');
      await phone.page.goto(url('/stores/demo/admin/incidents'));
      await expectHeading(phone.page, 'Incidents');
      await phone.page.getByTestId('incidents').waitFor();
      await phone.page.getByRole('checkbox', { name: 'Virtual server' }).waitFor();
      await check(phone.page, 'incidents-phone');
      await phone.page.goto(url(`/stores/demo/admin/customers/${customerId}`));
      await expectHeading(phone.page, `Customer ${customerId}`);
      await phone.page.getByTestId('invoices').waitFor();
      await check(phone.page, 'customer-phone');
      expect(phone.errors).toEqual([]);
    });
  });
});
