/**
 * Monthly usage invoices through the billing sweep, against DynamoDB Local on a manual clock:
 * card and invoice services accrue March's hours; the first sweep after the month's end gives
 * each customer ONE invoice for March (a line per service, VAT by the customer's country), the
 * services give up March exactly once — with sweeps run twice and items processed twice at once
 * — and April goes on to the next invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { dueWork, processDueItem, sweepStore } from '../billing/sweep.ts';
import { type BillingDeps, buildBillingDeps } from '../billing/table-billing.ts';
import type { CatalogView } from '../catalog/catalog-view.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { createService, transition } from '../subscriptions/subscription-service.ts';
import type { StoredInvoice } from './invoice-store.ts';

const tenant = { id: 'ten_usage' };
const clock = new ManualClock('2026-03-10T00:00:00.000Z');
let table: Awaited<ReturnType<typeof freshTable>>;
let deps: BillingDeps;

beforeAll(async () => {
  table = await freshTable();
  const built = buildBillingDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async () => undefined },
    cache: { view: async () => ({ settings: { sellerCountry: 'DE' } }) as CatalogView },
    checkedBasket: () => Promise.reject(new Error('no basket in this test')),
    startWalk: async () => undefined,
  });
  const invoicing = built.invoicing;
  if (!invoicing) throw new Error('the billing wiring issues no invoices');
  // The parties port: the store and its customers without seeding identity records.
  deps = {
    ...built,
    time: { now: async () => clock.now() },
    invoicing: {
      ...invoicing,
      parties: {
        seller: async () => ({ name: 'Usage Cloud', country: 'DE' }),
        buyer: async (_tenantId, customerId) =>
          customerId === 'cus_b'
            ? { name: 'Entreprise SA', country: 'FR', vatId: 'FR12345678901' }
            : { name: 'Jean Dupont', country: 'FR' },
      },
    },
  };
});
afterAll(() => table.drop());

const price = (hourly: string): StoredSubscription['price'] => ({
  currency: 'EUR',
  hourly,
  stoppedHourly: '0',
  monthlyEstimate: '0',
  setup: '0',
});

async function service(
  id: string,
  customerId: string,
  paymentMethod: 'card' | 'invoice' | 'credits',
  hourly: string,
) {
  await createService(
    deps,
    tenant.id,
    {
      id,
      customerId,
      orderId: 'ord_test',
      product: { id: 'prd_test', slug: 'vm', name: `Server ${id.slice(-1)}`, kind: 'iaas' },
      configuration: { dimensions: {}, options: {} },
      inputs: {},
      paymentMethod,
      price: price(hourly),
    },
    clock.now().toISOString(),
  );
}

const usageInvoices = async (customerId: string): Promise<StoredInvoice[]> =>
  (await deps.invoicing?.invoices.list(tenant.id, { customerId }, { limit: 50 }))?.items ?? [];

async function sweepAt(at: string) {
  clock.set(at);
  await sweepStore(deps, tenant, at);
}

describe('monthly usage invoices', () => {
  it('invoices each customer once per month, a line per service, moving each month out once', async () => {
    // Prepare: customer A, two services by invoice (one stopped mid-month: idle, out of the
    // hourly work); customer B, one by card; a credit service that never gets an invoice.
    await service('sub_a1', 'cus_a', 'invoice', '0.10');
    await service('sub_a2', 'cus_a', 'invoice', '0.25');
    await service('sub_b1', 'cus_b', 'card', '1.00');
    await service('sub_c1', 'cus_a', 'credits', '0');
    for (let day = 11; day <= 31; day++) {
      await sweepAt(`2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`);
      if (day === 15) {
        await transition(
          deps,
          tenant,
          'sub_a2',
          { action: 'stop', actor: { kind: 'buyer', id: 'usr_a' }, reason: 'paused' },
          clock.now().toISOString(),
        );
      }
    }
    const beforeEnd = await deps.subscriptions.get(tenant.id, 'sub_a2');
    expect(beforeEnd?.unbilled).toEqual({ '2026-03': 3000 });
    expect(await usageInvoices('cus_a')).toHaveLength(0);

    // Act: the month is over. Two sweeps at once, and every due item once more at the same time.
    const monthEnd = '2026-04-01T01:00:00.000Z';
    clock.set(monthEnd);
    const items = await dueWork(deps, tenant.id, monthEnd);
    expect(items.map((item) => item.sk)).toContain('SUBSCRIPTION#sub_a2');
    await Promise.all([
      sweepStore(deps, tenant, monthEnd),
      sweepStore(deps, tenant, monthEnd),
      ...items.map((item) => processDueItem(deps, tenant, item, monthEnd)),
    ]);

    // Assess: one invoice each, with exactly March's hours.
    const [a, ...moreA] = await usageInvoices('cus_a');
    expect(moreA).toHaveLength(0);
    expect(a).toMatchObject({
      source: { kind: 'usage', id: 'cus_a#EUR#2026-03' },
      paymentMethod: 'invoice',
      status: 'open',
      period: { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
      dueAt: '2026-04-15T01:00:00.000Z',
      vat: { country: 'FR', rule: 'destination', reverseCharge: false },
    });
    // 22 days × 24 h × 0.10; 5 days × 24 h × 0.25 until the stop; FR VAT 20 %.
    expect(a?.lines.map((line) => [line.subscriptionId, line.net])).toEqual(
      expect.arrayContaining([
        ['sub_a1', '52.80'],
        ['sub_a2', '30.00'],
      ]),
    );
    expect(a?.lines).toHaveLength(2);
    expect(a?.totals).toEqual({ net: '82.80', tax: '16.56', gross: '99.36' });
    const [b, ...moreB] = await usageInvoices('cus_b');
    expect(moreB).toHaveLength(0);
    expect(b).toMatchObject({ paymentMethod: 'card', vat: { reverseCharge: true } });
    expect(b?.totals).toEqual({ net: '528.00', tax: '0.00', gross: '528.00' });
    expect([a?.sequence, b?.sequence].sort()).toEqual([1, 2]);

    // March is gone from every service; April's first hour is waiting.
    expect((await deps.subscriptions.get(tenant.id, 'sub_a1'))?.unbilled).toEqual({ '2026-04': 10 });
    const stopped = await deps.subscriptions.get(tenant.id, 'sub_a2');
    expect(stopped?.unbilled).toBeUndefined();
    // Nothing left to do for the stopped service: it has left the due work.
    expect((await dueWork(deps, tenant.id, '2026-04-30T00:00:00.000Z')).map((item) => item.sk)).not.toContain(
      'SUBSCRIPTION#sub_a2',
    );

    // Sweeping again issues nothing more.
    await sweepAt('2026-04-01T02:00:00.000Z');
    expect(await usageInvoices('cus_a')).toHaveLength(1);
    expect(await deps.invoicing?.invoices.lastSequence(tenant.id)).toBe(2);

    // April: only the running service; the next number.
    await sweepAt('2026-04-15T00:00:00.000Z');
    await sweepAt('2026-05-01T00:00:00.000Z');
    const april = (await usageInvoices('cus_a')).find((invoice) => invoice.source.id === 'cus_a#EUR#2026-04');
    const aprilB = (await usageInvoices('cus_b')).find(
      (invoice) => invoice.source.id === 'cus_b#EUR#2026-04',
    );
    expect([april?.sequence, aprilB?.sequence].sort()).toEqual([3, 4]);
    expect(april?.lines.map((line) => [line.subscriptionId, line.net])).toEqual([['sub_a1', '72.00']]);
  });
});
