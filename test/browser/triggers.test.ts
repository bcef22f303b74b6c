import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { ApiClient } from '../support/http-client.ts';
import {
  BUYER,
  checkPage,
  type ExpectedConsole,
  expectHeading,
  failedResource,
  MERCHANT,
  screenshotDir,
  startRuntimeAndBrowser,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * Capacity triggers in headless Chromium against the local runtime: the merchant creates a policy
 * for a product in Console → Provisioning → Triggers (the API's 400 beside its field); the buyer
 * turns it on for a service and tunes it within the merchant's bounds; a usage spike reported with
 * a `usage:write` key fires it, and the service page lists the firing (observed vs threshold,
 * outcome, from → to, price). Axe and screenshots on a phone and a desktop viewport.
 */

const [, DESKTOP] = viewports;
const { url, newContext, signIn, api, onAPhone } = startRuntimeAndBrowser();
const API = '/api/v1/stores/demo';

// A 400 answer is logged by Chromium as a failed resource: the policy form expects one.
const expected: ExpectedConsole = (text, at) =>
  failedResource(401, '/auth/session')(text, at) || failedResource(400, '/admin/trigger-policies')(text, at);
const check = (page: Page, name: string) => checkPage(page, `triggers-${name}`);

describe('capacity triggers: the merchant’s policies, a buyer’s switch and tuning, the firings', () => {
  let merchantContext: BrowserContext;
  let buyerContext: BrowserContext;
  let merchant: Page;
  let buyer: Page;
  let merchantErrors: string[];
  let buyerErrors: string[];
  let merchantApi: ApiClient;
  let buyerApi: ApiClient;
  let platformKey: ApiClient;
  let subscriptionId: string;
  let vcpu: number;

  beforeAll(async () => {
    [merchantContext, buyerContext] = await Promise.all([newContext(DESKTOP), newContext(DESKTOP)]);
    [merchant, buyer] = await Promise.all([merchantContext.newPage(), buyerContext.newPage()]);
    merchantErrors = watchErrors(merchant, expected);
    buyerErrors = watchErrors(buyer, expected);
    [merchantApi, buyerApi] = await Promise.all([api(MERCHANT.email), api(BUYER.email)]);
    const key = await merchantApi.post(
      `${API}/api-keys`,
      { name: 'Browser test usage', scopes: ['usage:write'] },
      { 'idempotency-key': 'triggers-browser-usage-key' },
    );
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    platformKey = new ApiClient(url(''), { headers: { authorization: `Bearer ${key.body.secret}` } });

    // A running virtual server of the buyer's, paid with credits.
    const customerId = (await buyerApi.get(`${API}/account`)).body.id as string;
    const grant = await merchantApi.post(
      `${API}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '500.00', reason: 'Browser test credits' },
      { 'idempotency-key': 'triggers-browser-grant' },
    );
    expect(grant.status, JSON.stringify(grant.body)).toBeLessThan(300);
    await buyerApi.post(`${API}/basket/items`, { product: 'virtual-server', preset: 's' });
    const order = await buyerApi.post(
      `${API}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'triggers-browser-order' },
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    subscriptionId = order.body.items[0].subscriptionIds[0];
    const active = await eventually(
      async () => (await buyerApi.get(`${API}/subscriptions/${subscriptionId}`)).body,
      (service) => service.state === 'active',
      'the platform to activate the service',
    );
    vcpu = active.configuration.dimensions.vcpu;
  });

  afterAll(async () => {
    await Promise.all([merchantContext?.close(), buyerContext?.close()]);
  });

  // What the pages showed when a step failed: the screenshots say more than a timeout.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await merchant?.screenshot({ path: `${screenshotDir}triggers-failed-merchant.png`, fullPage: true });
    await buyer?.screenshot({ path: `${screenshotDir}triggers-failed-buyer.png`, fullPage: true });
  });

  it('the merchant creates a policy, with the API’s 400 beside its field', async () => {
    await signIn(merchant, MERCHANT);
    await merchant.goto(url('/stores/demo/admin/provisioning'));
    await expectHeading(merchant, 'Provisioning');
    await merchant
      .getByRole('navigation', { name: 'Provisioning' })
      .getByRole('link', { name: 'Triggers' })
      .click();
    await expectHeading(merchant, 'Capacity triggers');
    // The demo store comes with policies of its own; this one is new.
    await merchant.getByTestId('trigger-policies').waitFor();

    await merchant.getByRole('button', { name: 'New policy' }).click();
    const form = merchant.getByRole('region', { name: 'New policy' });
    await form.getByLabel('Product', { exact: true }).selectOption({ label: 'Virtual server' });
    await form.getByLabel('Name', { exact: true }).fill('Add CPU on spikes');
    await form.getByLabel('Aggregation', { exact: true }).selectOption('max');
    await form.getByLabel('Window (minutes)', { exact: true }).fill('5');
    await form.getByLabel('Threshold (%)', { exact: true }).fill('120');
    await form.getByLabel('Duration (minutes)', { exact: true }).fill('0');
    await form.getByLabel('Dimension', { exact: true }).selectOption({ label: 'vCPU' });
    await form.getByLabel(/^Step/).fill('0.5');
    await form.getByLabel('Lowest', { exact: true }).fill('1');
    await form.getByLabel('Highest', { exact: true }).fill('4');
    await form.getByLabel('Cooldown (minutes)', { exact: true }).fill('60');
    await form.getByRole('button', { name: 'Create policy' }).click();
    // Checked before sending: a percentage cannot pass 100.
    const threshold = form.getByLabel('Threshold (%)', { exact: true });
    await form.getByText('CPU is a percentage: from 0 to 100.').first().waitFor();
    expect(await threshold.getAttribute('aria-invalid')).toBe('true');
    await threshold.fill('84');
    await form.getByRole('button', { name: 'Create policy' }).click();
    // Only the API knows vCPU moves in whole steps: its 400 lands beside the step.
    const step = form.getByLabel(/^Step/);
    await eventually(
      () => step.getAttribute('aria-invalid'),
      (value) => value === 'true',
      'the step’s error',
    );
    const stepError = await merchant.locator(`#${await step.getAttribute('id')}-error`).textContent();
    expect(stepError).toMatch(/step/i);
    await check(merchant, 'policy-error-desktop');
    await step.fill('1');
    await form.getByRole('button', { name: 'Create policy' }).click();

    const list = merchant.getByTestId('trigger-policies');
    const card = list.locator('li', { has: merchant.getByRole('heading', { name: 'Add CPU on spikes' }) });
    await card.getByText('CPU (highest over 5 minutes) above 84 %').waitFor();
    await card.getByText('Add 1 vCPU (1–4 vCPU)').waitFor();
    await card.getByText('1 hour').waitFor();
    await list.getByRole('heading', { name: 'Virtual server' }).waitFor();
    expect(await merchant.getByRole('region', { name: 'New policy' }).count()).toBe(0);
    await check(merchant, 'policies-desktop');

    // Editing keeps the product and sends the revision.
    await card.getByRole('button', { name: 'Edit Add CPU on spikes' }).click();
    const edit = merchant.getByRole('region', { name: 'Edit “Add CPU on spikes”' });
    await edit.getByLabel(/^Hysteresis/).fill('20');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await card.getByText('1 hour · hysteresis 20 %').waitFor();
    await card.getByText('revision 2', { exact: false }).waitFor();
    expect(merchantErrors).toEqual([]);
  });

  it('the buyer turns the policy on for a service and tunes it within the bounds', async () => {
    await signIn(buyer, BUYER);
    await buyer.goto(url(`/stores/demo/services/${subscriptionId}`));
    await expectHeading(buyer, 'Virtual server');
    const region = buyer.getByRole('region', { name: 'Capacity triggers' });
    const toggle = region.getByRole('switch', { name: 'Add CPU on spikes' });
    const box = region.locator('li', { has: buyer.getByRole('switch', { name: 'Add CPU on spikes' }) });
    expect(await toggle.isChecked()).toBe(false);
    const what = box.getByTestId('trigger-what');
    const said = (pattern: RegExp) =>
      eventually(
        async () => ((await what.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
        (text) => pattern.test(text),
        `the trigger to read ${pattern}`,
      );
    await said(
      /^When CPU \(highest over 5 minutes\) above 84 %: add 1 vCPU \(1–4 vCPU\); then wait 1 hour\.$/,
    );
    await region.getByTestId('no-firings').waitFor();

    await toggle.check();
    await box.getByText('“Add CPU on spikes” is on.').waitFor();
    const setting = async () =>
      (await buyerApi.get(`${API}/subscriptions/${subscriptionId}/triggers`)).body.items.find(
        (item: { policy: { name: string } }) => item.policy.name === 'Add CPU on spikes',
      )?.setting;
    expect(await setting()).toMatchObject({ enabled: true });

    await box.getByRole('button', { name: 'Tune Add CPU on spikes' }).click();
    const tuning = box.getByRole('form', { name: 'Tune Add CPU on spikes' });
    await tuning.getByLabel(/^Highest/).fill('9');
    await tuning.getByRole('button', { name: 'Save Add CPU on spikes' }).click();
    await tuning.getByText('Between 1 and 4, or leave it empty.').first().waitFor();
    await tuning.getByLabel(/^Highest/).fill(String(vcpu + 1));
    await tuning.getByLabel(/^Most per hour \(EUR\)/).fill('100');
    await tuning.getByRole('button', { name: 'Save Add CPU on spikes' }).click();
    await said(
      new RegExp(`add 1 vCPU \\(1–${vcpu + 1} vCPU\\); then wait 1 hour\\. At most €100\\.00 an hour\\.$`),
    );
    expect(await setting()).toMatchObject({
      enabled: true,
      max: vcpu + 1,
      maxHourlySpend: '100',
    });
    await check(buyer, 'service-desktop');
    expect(buyerErrors).toEqual([]);
  });

  it('a usage spike fires the trigger and the service page lists the firing', async () => {
    const now = Date.now();
    const events = [3, 2, 1].map((minutesAgo) => ({
      specversion: '1.0',
      id: `triggers-browser-cpu-${minutesAgo}`,
      source: 'browser.test',
      type: 'nimbus.usage.v1',
      subject: subscriptionId,
      time: new Date(now - minutesAgo * 60_000).toISOString(),
      data: { metric: 'cpu_pct', value: 95 },
    }));
    const posted = await platformKey.post(`${API}/usage`, { events });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    await eventually(
      async () => (await buyerApi.get(`${API}/subscriptions/${subscriptionId}/trigger-firings`)).body,
      (page) => page.items?.length === 1,
      'the trigger to fire',
    );

    await buyer.reload();
    await expectHeading(buyer, 'Virtual server');
    const firings = buyer.getByTestId('trigger-firings');
    const firing = firings.locator('li[data-outcome="resized"]');
    await firing.getByText('Resized').waitFor();
    // Wait for the product's words (vCPU) before reading the whole entry.
    await firing.getByText(`vCPU: ${vcpu} vCPU → ${vcpu + 1} vCPU`, { exact: false }).waitFor();
    const entry = ((await firing.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(entry).toContain('Add CPU on spikes: CPU 95 % above 84 %');
    expect(entry).toMatch(new RegExp(`vCPU: ${vcpu} vCPU → ${vcpu + 1} vCPU · €[\\d.]+ → €[\\d.]+ an hour`));
    await check(buyer, 'firings-desktop');
    expect(buyerErrors).toEqual([]);
  });

  describe('on a phone', () => {
    const phone = onAPhone(expected);

    it('the console’s triggers page and form fit and pass axe', async () => {
      await signIn(phone.page, MERCHANT);
      await phone.page.goto(url('/stores/demo/admin/provisioning/triggers'));
      await expectHeading(phone.page, 'Capacity triggers');
      await phone.page
        .getByTestId('trigger-policies')
        .getByRole('heading', { name: 'Add CPU on spikes' })
        .waitFor();
      await check(phone.page, 'policies-phone');
      await phone.page.getByRole('button', { name: 'New policy' }).click();
      await phone.page
        .getByRole('region', { name: 'New policy' })
        .getByLabel('Name', { exact: true })
        .waitFor();
      await check(phone.page, 'policy-form-phone');
      expect(phone.errors).toEqual([]);
    });

    it('the buyer’s triggers box with its tuning and firings fits and passes axe', async () => {
      await signIn(phone.page, BUYER);
      await phone.page.goto(url(`/stores/demo/services/${subscriptionId}`));
      await expectHeading(phone.page, 'Virtual server');
      const box = phone.page.getByRole('region', { name: 'Capacity triggers' });
      await box.getByTestId('trigger-firings').waitFor();
      await box.getByRole('button', { name: 'Tune Add CPU on spikes' }).click();
      await box.getByRole('form', { name: 'Tune Add CPU on spikes' }).waitFor();
      await check(phone.page, 'service-phone');
      await box.screenshot({ path: `${screenshotDir}triggers-box-phone.png` });
      expect(phone.errors).toEqual([]);
    });
  });
});
