/**
 * Metered usage through the billing sweep, against DynamoDB Local on a manual clock: egress a
 * platform reports is posted an hour after its hour ends — a credit debit per (service, hour,
 * metric), or the card / invoice service's unbilled month — once, through duplicates and double
 * sweeps; records arriving after their hour settled are counted `late` and not billed; a
 * terminated service's last hour is still posted, and nothing after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourOf } from '#shared/billing/accrual.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { ManualClock, systemClock } from '#shared/time/clock.ts';
import type { UsageEvent } from '#shared/usage/api.ts';
import { freshTable } from '../../../test/support/services.ts';
import { type FreshUsageQueue, freshUsageQueue, usageRecord } from '../../../test/support/usage-queue.ts';
import type { CatalogView } from '../catalog/catalog-view.ts';
import { creditWallet } from '../credits/ledger-service.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import { createService, transition } from '../subscriptions/subscription-service.ts';
import { buildUsageDeps } from '../usage/table-usage.ts';
import { ingestUsage, type UsageDeps } from '../usage/usage-service.ts';
import { sweepStore } from './sweep.ts';
import { type BillingDeps, buildBillingDeps } from './table-billing.ts';

const HOUR = 3_600_000;
// Near the real time: usage buckets older than the 90-day retention read as expired.
const START = Date.parse(hourOf(new Date(Date.now() - 12 * HOUR).toISOString()));
const at = (hours: number, minutes = 0) => new Date(START + hours * HOUR + minutes * 60_000).toISOString();
const clock = new ManualClock(at(0));
const tenant: Tenant = {
  id: 'ten_metered',
  slug: 'metered',
  name: 'Metered',
  status: 'active',
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
  signupMode: 'open',
  createdAt: at(0),
};
const platform: Principal = {
  kind: 'apiKey',
  tenantId: tenant.id,
  keyId: 'key_platform',
  owner: { kind: 'merchant' },
  scopes: ['usage:write'],
};
const system = { kind: 'system', id: 'test' } as const;
const ids = {
  credits: newId('sub', systemClock),
  invoice: newId('sub', systemClock),
  ending: newId('sub', systemClock),
};

let table: Awaited<ReturnType<typeof freshTable>>;
let billing: BillingDeps;
let usage: UsageDeps;
let usageQueue: FreshUsageQueue;

beforeAll(async () => {
  table = await freshTable();
  billing = buildBillingDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async () => undefined },
    cache: { view: async () => ({ settings: { sellerCountry: 'DE' } }) as CatalogView },
    checkedBasket: () => Promise.reject(new Error('no basket in this test')),
    startWalk: async () => undefined,
  });
  billing = { ...billing, time: { now: async () => clock.now() } };
  usageQueue = await freshUsageQueue();
  usage = buildUsageDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async () => undefined },
    queue: usageQueue.queue,
  });
  usage = { ...usage, time: { now: async () => clock.now() } };
});
afterAll(async () => {
  await usageQueue.drop();
  await table.drop();
});

/** Accepts a batch and records it, as the API and the usage-records consumer do. */
async function report(events: UsageEvent[]) {
  const accepted = await ingestUsage(usage, tenant, platform, events);
  await usageQueue.drain(usage);
  return accepted;
}

async function meteredService(id: string, customerId: string, paymentMethod: 'credits' | 'invoice') {
  const price: StoredSubscription['price'] = {
    currency: 'EUR',
    // No hourly rate: every posting here is metered usage.
    hourly: '0',
    stoppedHourly: '0',
    monthlyEstimate: '0',
    setup: '0',
    meters: {
      egress_gb: paymentMethod === 'credits' ? { unitPrice: '0.05', credits: '0.05' } : { unitPrice: '0.05' },
    },
    ...(paymentMethod === 'credits' ? { credits: { hourly: '0', stoppedHourly: '0' } } : {}),
  };
  const created = await createService(
    billing,
    tenant.id,
    {
      id,
      customerId,
      orderId: 'ord_metered',
      product: { id: 'prd_vm', slug: 'vm', name: 'Server', kind: 'iaas' },
      configuration: { dimensions: {}, options: {} },
      inputs: {},
      paymentMethod,
      price,
    },
    clock.now().toISOString(),
  );
  expect(created).toBe(true);
}

let sequence = 0;
const egress = (subject: string, gb: number, time: string) => [
  usageRecord(subject, 'egress_gb', gb, time, `e-${++sequence}`),
];

async function sweepAt(time: string) {
  clock.set(time);
  await sweepStore(billing, tenant, time);
}

const ref = (customerId: string) => ({ tenantId: tenant.id, customerId, currency: 'EUR' as const });

/** 1,000 credits to start with. */
const openWallet = (customerId: string) =>
  creditWallet(billing.ledger, ref(customerId), {
    type: 'purchase',
    amount: 100_000,
    reason: 'opening balance',
    actor: system,
    idempotencyKey: `open-${customerId}`,
    at: at(0),
  });

async function usageDebits(customerId: string) {
  const { items } = await billing.ledger.wallets.entries(ref(customerId), { limit: 100 });
  return items
    .filter((entry) => entry.reference?.metric === 'egress_gb')
    .map((entry) => ({ hour: entry.reference?.hour, amount: entry.amount, reason: entry.reason }))
    .sort((a, b) => String(a.hour).localeCompare(String(b.hour)));
}

describe('metered usage billing', () => {
  it('debits a credit service per hour of egress, an hour after the hour, once', async () => {
    await openWallet('cus_credits');
    await meteredService(ids.credits, 'cus_credits', 'credits');

    // Hour 0: 0.1 + 0.2 + 0.3 GB — 0.6 GB exactly (a float sum would say 0.6000000000000001).
    clock.set(at(0, 50));
    const batch = [
      ...egress(ids.credits, 0.1, at(0, 10)),
      ...egress(ids.credits, 0.2, at(0, 20)),
      ...egress(ids.credits, 0.3, at(0, 30)),
    ];
    expect(await report(batch)).toEqual({
      accepted: 3,
      late: 0,
    });
    // Hour 1: 0.07 GB, costing 0.0035 credits: rounds to 0, carried to the next hours.
    clock.set(at(1, 30));
    await report(egress(ids.credits, 0.07, at(1, 5)));

    // Hour 0 ends at 1:00 and settles at 2:00: nothing before.
    await sweepAt(at(1, 59));
    expect(await usageDebits('cus_credits')).toEqual([]);
    await sweepAt(at(2));
    await sweepAt(at(2)); // a sweep run twice posts once
    expect(await usageDebits('cus_credits')).toEqual([
      { hour: at(0), amount: -3, reason: expect.stringContaining('egress 0.6 GB') },
    ]);

    // The same records again (a platform's retry) add nothing; a record for hour 0 now is late.
    clock.set(at(2, 10));
    expect(await report(batch)).toEqual({
      accepted: 3,
      late: 3,
    });
    expect(await report(egress(ids.credits, 5, at(0, 40)))).toMatchObject({
      late: 1,
    });
    // Hour 2: 0.03 GB; with hour 1's 0.0035 carried, 0.0050 credits → 1 hundredth.
    await report(egress(ids.credits, 0.03, at(2, 15)));
    await sweepAt(at(5));
    expect(await usageDebits('cus_credits')).toEqual([
      { hour: at(0), amount: -3, reason: expect.any(String) },
      { hour: at(2), amount: -1, reason: expect.stringContaining('egress 0.03 GB') },
    ]);
    const service = await billing.subscriptions.get(tenant.id, ids.credits);
    expect(service?.metering?.through).toBe(at(4));
  });

  it('adds a card or invoice service’s egress to the month its hour settled in', async () => {
    clock.set(at(0));
    await meteredService(ids.invoice, 'cus_invoice', 'invoice');
    clock.set(at(0, 45));
    await report([...egress(ids.invoice, 12.5, at(0, 15)), ...egress(ids.invoice, 7.5, at(0, 40))]);
    await sweepAt(at(3));
    const service = await billing.subscriptions.get(tenant.id, ids.invoice);
    // 20 GB × €0.05 = €1.00, in cents, in the month hour 0 settled (2 h later).
    expect(service?.unbilled).toEqual({ [at(2).slice(0, 7)]: 100 });
  });

  it('posts a terminated service’s last hour, and nothing after it', async () => {
    clock.set(at(0));
    await openWallet('cus_ending');
    await meteredService(ids.ending, 'cus_ending', 'credits');
    clock.set(at(1, 55));
    await report([
      ...egress(ids.ending, 2, at(1, 10)),
      // Reported after the termination: egress since the previous record, still hour 1's.
      ...egress(ids.ending, 9, at(1, 50)),
    ]);
    await transition(
      billing,
      tenant,
      ids.ending,
      { action: 'terminate', actor: system, reason: 'ended' },
      at(1, 20),
    );
    await sweepAt(at(6));
    // Hour 1 is billed whole (the platform stopped it; its last report belongs to that hour).
    expect(await usageDebits('cus_ending')).toEqual([
      { hour: at(1), amount: -55, reason: expect.stringContaining('egress 11 GB') },
    ]);
    const ended = await billing.subscriptions.get(tenant.id, ids.ending);
    expect(ended?.metering?.through).toBe(at(2));
    const due: string[] = [];
    for await (const item of billing.billing.dueItems(tenant.id, at(24))) due.push(item.sk);
    expect(due).not.toContain(`SUBSCRIPTION#${ids.ending}`);
  });
});
