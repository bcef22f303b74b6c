import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { ApiClient } from '../support/http-client.ts';
import {
  BUYER,
  checkPage,
  type ExpectedConsole,
  expectHeading,
  expectNoHorizontalScroll,
  failedResource,
  MERCHANT,
  screenshotDir,
  startRuntimeAndBrowser,
  viewports,
  watchErrors,
} from './pages.ts';

/**
 * Provisioning in headless Chromium against the local runtime (with its reference platform): the
 * merchant creates a product's connector and sees its signing secret once, rotates it, reads the
 * delivery log and replays a delivery that gave up while the platform was down; the buyer sees a
 * service being set up (with its deadline), then its access details (password hidden until asked)
 * and a usage chart of reported metrics with a table behind it. Axe and screenshots on a phone and
 * a desktop viewport.
 */

// Deliveries give up after seconds instead of 72 hours (read when the runtime starts).
const saved = { delays: process.env.WEBHOOK_RETRY_DELAYS_MS, giveUp: process.env.WEBHOOK_GIVE_UP_AFTER_MS };
process.env.WEBHOOK_RETRY_DELAYS_MS = '300,600';
process.env.WEBHOOK_GIVE_UP_AFTER_MS = '6000';

const [, DESKTOP] = viewports;
const { url, newContext, signIn, api, onAPhone } = startRuntimeAndBrowser();
const API = '/api/v1/stores/demo';

const expected: ExpectedConsole = (text, at) => failedResource(401, '/auth/session')(text, at);
const check = (page: Page, name: string) => checkPage(page, `provisioning-${name}`);

const platformAdmin = async (path: string, body: unknown) => {
  const response = await fetch(url(`/_platform/admin/${path}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
};

const usageRecord = (subject: string, metric: string, value: number, at: number) => ({
  specversion: '1.0',
  id: `browser-${metric}-${at}`,
  source: 'browser.test',
  type: 'nimbus.usage.v1',
  subject,
  time: new Date(at).toISOString(),
  data: { metric, value },
});

describe('provisioning: connectors, deliveries, a service’s access and usage', () => {
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

  beforeAll(async () => {
    [merchantContext, buyerContext] = await Promise.all([newContext(DESKTOP), newContext(DESKTOP)]);
    [merchant, buyer] = await Promise.all([merchantContext.newPage(), buyerContext.newPage()]);
    merchantErrors = watchErrors(merchant, expected);
    buyerErrors = watchErrors(buyer, expected);
    [merchantApi, buyerApi] = await Promise.all([api(MERCHANT.email), api(BUYER.email)]);
    const key = await merchantApi.post(
      `${API}/api-keys`,
      { name: 'Browser test platform', scopes: ['provisioning', 'usage:write'] },
      { 'idempotency-key': 'browser-platform-key' },
    );
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    platformKey = new ApiClient(url(''), { headers: { authorization: `Bearer ${key.body.secret}` } });
  });

  afterAll(async () => {
    await Promise.all([merchantContext?.close(), buyerContext?.close()]);
    for (const [name, value] of [
      ['WEBHOOK_RETRY_DELAYS_MS', saved.delays],
      ['WEBHOOK_GIVE_UP_AFTER_MS', saved.giveUp],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('the merchant creates a product’s connector, sees its secret once and rotates it', async () => {
    await signIn(merchant, MERCHANT);
    await merchant.goto(url('/stores/demo/admin'));
    await merchant
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Provisioning' })
      .click();
    await expectHeading(merchant, 'Provisioning');
    // The demo store's default connector points at the reference platform.
    const list = merchant.getByTestId('connectors');
    await list.getByRole('heading', { name: 'Store default' }).waitFor();
    await list.getByText(/\/_platform\/webhooks$/).waitFor();

    await merchant.getByRole('button', { name: 'New connector' }).click();
    const form = merchant.getByRole('region', { name: 'New connector' });
    await form.getByLabel('Serves').selectOption({ label: 'Server backup' });
    await form.getByLabel('Endpoint URL').fill('http://backup-platform.example.com/hooks');
    await form.getByRole('checkbox', { name: /^Resize/ }).uncheck();
    await form.getByLabel('Activation timeout (minutes)').fill('30');
    await form.getByRole('button', { name: 'Create connector' }).click();
    // Checked before sending: plain http is for localhost only.
    await form.getByText('Must use https (plain http only for localhost or 127.0.0.1).').first().waitFor();
    await form.getByLabel('Endpoint URL').fill('https://backup-platform.example.com/hooks');
    await form.getByRole('button', { name: 'Create connector' }).click();

    const box = merchant.getByTestId('connector-secret');
    await box.getByText('Copy it now: it will not be shown again.').waitFor();
    const secret = (await box.getByTestId('connector-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await box.getByRole('button', { name: 'Copy secret' }).waitFor();
    const card = list.locator('li', { has: merchant.getByRole('heading', { name: 'Server backup' }) });
    await card.getByText(`whsec_…${secret.slice(-4)}`).waitFor();
    await card.getByText('Activate, Start, Stop, Suspend, Resume, Terminate').waitFor();
    await card.getByText('30 minutes').waitFor();
    await check(merchant, 'secret-desktop');

    await box.getByRole('button', { name: 'I have saved it' }).click();
    expect(await merchant.getByTestId('connector-secret').count()).toBe(0);
    await merchant.reload();
    await expectHeading(merchant, 'Provisioning');
    await list.getByRole('heading', { name: 'Server backup' }).waitFor();
    // Never shown again: not after a reload, not in the page at all.
    expect(await merchant.getByTestId('connector-secret').count()).toBe(0);
    expect(await merchant.content()).not.toContain(secret);

    await card.getByRole('button', { name: 'Rotate secret of Server backup' }).click();
    const rotate = merchant.getByRole('form', { name: 'Rotate the signing secret of Server backup' });
    await rotate.getByLabel(/Keep the previous secret valid for/).fill('2');
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    await box.getByRole('heading', { name: /^New signing secret/ }).waitFor();
    const rotated = (await box.getByTestId('connector-secret-value').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await box.getByText(/The previous secret also signs until/).waitFor();
    await card.getByText(`whsec_…${rotated.slice(-4)}`).waitFor();
    await check(merchant, 'connectors-desktop');
    expect(merchantErrors).toEqual([]);
  });

  it('the buyer sees the service being set up, then how to reach it', async () => {
    await platformAdmin('mode', { activation: 'silent' }); // the platform keeps it "provisioning"
    const customerId = (await buyerApi.get(`${API}/account`)).body.id as string;
    const grant = await merchantApi.post(
      `${API}/admin/customers/${customerId}/wallet/grants`,
      { currency: 'EUR', amount: '500.00', reason: 'Browser test credits' },
      { 'idempotency-key': 'provisioning-browser-grant' },
    );
    expect(grant.status, JSON.stringify(grant.body)).toBeLessThan(300);
    await buyerApi.post(`${API}/basket/items`, { product: 'virtual-server', preset: 's' });
    const order = await buyerApi.post(
      `${API}/checkout`,
      { paymentMethod: 'credits' },
      { 'idempotency-key': 'provisioning-browser-order' },
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    subscriptionId = order.body.items[0].subscriptionIds[0];

    await signIn(buyer, BUYER);
    await buyer.goto(url(`/stores/demo/services/${subscriptionId}`));
    await expectHeading(buyer, 'Virtual server');
    const settingUp = buyer.getByTestId('service-provisioning');
    await settingUp.getByText('Being set up by the provider.').waitFor();
    await settingUp.locator('time').waitFor();
    await buyer.getByTestId('service-state').filter({ hasText: 'Setting up' }).waitFor();
    expect(await buyer.getByRole('region', { name: 'Usage' }).count()).toBe(0);
    // Its egress is priced per GB, as ordered.
    await buyer
      .getByTestId('service-price')
      .getByText('Outbound traffic, per GB (billed hourly as used)')
      .waitFor();
    await buyer.getByTestId('metered-through').locator('time').waitFor();
    await check(buyer, 'service-setting-up-desktop');

    const activated = await platformKey.post(`${API}/provisioning/callbacks`, {
      id: `cb-browser-${subscriptionId}`,
      subscriptionId,
      type: 'activated',
      occurredAt: new Date().toISOString(),
      access: {
        url: 'https://db-7f3a.platform.example',
        username: 'admin',
        password: 'correct-horse-battery',
        notes: 'Port 5432; TLS required.',
      },
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    // The page looks again while the service is being set up.
    const access = buyer.getByTestId('service-access');
    await access.waitFor({ timeout: 20_000 });
    await buyer.getByTestId('service-state').filter({ hasText: 'Running' }).waitFor();
    expect(await buyer.getByTestId('service-provisioning').count()).toBe(0);
    await access.getByRole('link', { name: /^https:\/\/db-7f3a\.platform\.example/ }).waitFor();
    expect(await access.getByTestId('access-username').textContent()).toBe('admin');
    await access.getByText('Port 5432; TLS required.').waitFor();
    const password = access.getByTestId('access-password');
    expect(await password.textContent()).not.toContain('correct-horse-battery');
    await access.getByRole('button', { name: 'Show password' }).click();
    expect(await password.textContent()).toBe('correct-horse-battery');
    expect(await access.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await access.getByRole('button', { name: 'Hide password' }).click();
    expect(await password.textContent()).not.toContain('correct-horse-battery');
    await platformAdmin('mode', { activation: 'async' });
    expect(buyerErrors).toEqual([]);
  });

  it('the buyer charts the reported usage, with a summary and a table', async () => {
    const now = Date.now();
    // Three hours of 5-minute records; CPU with a spike, egress as amounts.
    const records = Array.from({ length: 36 }, (_, index) => {
      const at = now - (36 - index) * 300_000;
      return [
        usageRecord(subscriptionId, 'cpu_pct', index >= 24 && index < 28 ? 92 : 25 + (index % 6), at),
        usageRecord(subscriptionId, 'egress_gb', 0.25, at),
      ];
    }).flat();
    const posted = await platformKey.post(`${API}/usage`, { events: records });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    // Recorded a moment later (the usage-records queue).
    await eventually(
      async () => (await buyerApi.get(`${API}/subscriptions/${subscriptionId}/usage?metric=cpu_pct`)).body,
      (series) => series.points?.length > 0,
      'the usage to be recorded',
    );

    await buyer.reload();
    await expectHeading(buyer, 'Virtual server');
    const usage = buyer.getByRole('region', { name: 'Usage' });
    await usage.getByTestId('usage-chart').locator('canvas').waitFor();
    const summary = usage.getByTestId('usage-summary');
    await summary.getByText(/^CPU use, last 24 hours: average [\d.]+ %, lowest 25 %, highest 92 %/).waitFor();
    await usage.getByRole('button', { name: 'Show the numbers as a table' }).click();
    const rows = usage.getByTestId('usage-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(36);
    await check(buyer, 'service-desktop');
    await usage
      .getByTestId('usage-chart')
      .screenshot({ path: `${screenshotDir}provisioning-usage-desktop.png` });

    await usage.getByLabel('Metric').selectOption('egress_gb');
    await summary.getByText(/^Outbound traffic, last 24 hours: 9 GB in total/).waitFor();
    await usage.getByLabel('Range').selectOption('7d');
    await summary
      .getByText(/^Outbound traffic, last 7 days: 9 GB in total, at most 3 GB in an hour/)
      .waitFor();
    await usage.getByLabel('Range').selectOption('6h');
    await summary.getByText(/^Outbound traffic, last 6 hours/).waitFor();
    expect(buyerErrors).toEqual([]);
  });

  it('the merchant reads the delivery log and replays a delivery that gave up', async () => {
    await platformAdmin('outage', { down: true, status: 503 });
    const stopped = await buyerApi.post(`${API}/subscriptions/${subscriptionId}/stop`, {});
    expect(stopped.status, JSON.stringify(stopped.body)).toBeLessThan(300);
    await eventually(
      () => merchantApi.get(`${API}/admin/deliveries?status=failed&subscriptionId=${subscriptionId}`),
      (response) => response.body?.items?.length === 1,
      'the stop delivery to give up',
    );
    await platformAdmin('outage', { down: false });

    await merchant
      .getByRole('navigation', { name: 'Provisioning' })
      .getByRole('link', { name: 'Deliveries' })
      .click();
    await expectHeading(merchant, 'Deliveries');
    const log = merchant.getByTestId('deliveries');
    await log.locator('[data-status="delivered"]').first().waitFor();
    await merchant.getByLabel('Service id').fill(subscriptionId);
    await merchant.getByRole('button', { name: 'Show', exact: true }).click();
    const activate = log.locator('li', { has: merchant.getByRole('heading', { name: /^Activate/ }) });
    await activate.getByText('Delivered', { exact: true }).waitFor();
    await activate.getByText(/Attempts and payload/).click();
    await activate.locator('tr[data-attempt-status="202"]').waitFor();
    await activate.getByText(`"subscriptionId": "${subscriptionId}"`).waitFor();

    await merchant.getByLabel('Status').selectOption('failed');
    const failed = log.locator('li[data-status="failed"]');
    await failed.getByRole('heading', { name: /^Stop/ }).waitFor();
    expect(await log.locator('li').count()).toBe(1);
    await failed.getByText(/Attempts and payload/).click();
    await failed.locator('tr[data-attempt-status="503"]').first().waitFor();
    await check(merchant, 'deliveries-desktop');

    await failed.getByRole('button', { name: /^Replay/ }).click();
    await log
      .getByTestId('replay-result')
      .getByText(/^Replay accepted \(HTTP 202\)/)
      .waitFor();
    await log.locator('li[data-status="pending"]').waitFor();
    await eventually(
      () => merchantApi.get(`${API}/admin/deliveries?subscriptionId=${subscriptionId}`),
      (response) =>
        response.body?.items?.some(
          (item: { type: string; status: string }) =>
            item.type === 'service.stop' && item.status === 'delivered',
        ),
      'the replayed stop to be delivered',
    );
    await merchant.getByRole('button', { name: 'Clear filter' }).click();
    await log.locator('li').first().waitFor();
    expect(merchantErrors).toEqual([]);
  });

  describe('on a phone', () => {
    const phone = onAPhone(expected);

    it('the console’s provisioning pages fit and pass axe', async () => {
      await signIn(phone.page, MERCHANT);
      await phone.page.goto(url('/stores/demo/admin/provisioning'));
      await expectHeading(phone.page, 'Provisioning');
      await phone.page.getByTestId('connectors').getByRole('heading', { name: 'Server backup' }).waitFor();
      await phone.page.getByRole('button', { name: 'New connector' }).click();
      await check(phone.page, 'connectors-phone');
      await phone.page.goto(url('/stores/demo/admin/provisioning/deliveries'));
      await expectHeading(phone.page, 'Deliveries');
      const first = phone.page.getByTestId('deliveries').locator('li').first();
      await first.getByText(/Attempts and payload/).click();
      await first.locator('tr').first().waitFor();
      await check(phone.page, 'deliveries-phone');
      expect(phone.errors).toEqual([]);
    });

    it('the buyer’s service page with access and usage fits and passes axe', async () => {
      await signIn(phone.page, BUYER);
      await phone.page.goto(url(`/stores/demo/services/${subscriptionId}`));
      await expectHeading(phone.page, 'Virtual server');
      await phone.page.getByTestId('service-access').waitFor();
      await phone.page.getByTestId('usage-chart').locator('canvas').waitFor();
      await check(phone.page, 'service-phone');
      const usage = phone.page.getByRole('region', { name: 'Usage' });
      await usage.screenshot({ path: `${screenshotDir}provisioning-usage-phone.png` });
      await usage.getByRole('button', { name: 'Show the numbers as a table' }).click();
      await usage.getByTestId('usage-table').locator('tbody tr').first().waitFor();
      await expectNoHorizontalScroll(phone.page);
      expect(phone.errors).toEqual([]);
    });
  });
});
