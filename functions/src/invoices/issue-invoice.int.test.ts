/**
 * Issuing invoices against DynamoDB Local: many at once take the numbers 1..N without a gap or a
 * duplicate; the same source issued at once from many calls is one invoice and uses one number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { transact } from '../data/transactions.ts';
import { DynamoDbInvoiceStore } from './adapters/dynamodb-invoice-store.ts';
import { type InvoiceDeps, issueInvoice, listInvoices, markInvoicePaid } from './invoice-service.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: InvoiceDeps;
const tenant = { id: 'ten_invoices' };
const clock = new ManualClock('2026-05-01T09:00:00.000Z');

beforeAll(async () => {
  table = await freshTable();
  deps = {
    invoices: new DynamoDbInvoiceStore(table.documentClient, table.tableName),
    commit: (items) => transact(table.documentClient, items),
    clock,
    time: { now: async () => clock.now() },
    parties: {
      seller: async () => ({ name: 'Demo Cloud', country: 'DE' }),
      buyer: async (_tenantId, customerId) =>
        customerId === 'cus_missing'
          ? undefined
          : customerId === 'cus_business'
            ? { name: 'Entreprise SA', country: 'FR', vatId: 'FR12345678901' }
            : { name: 'Jean Dupont', country: 'FR' },
    },
  };
});
afterAll(() => table.drop());

const draft = (sourceId: string, customerId = 'cus_person') => ({
  customerId,
  currency: 'EUR' as const,
  paymentMethod: 'credits' as const,
  status: 'paid' as const,
  source: { kind: 'creditPurchase' as const, id: sourceId },
  lines: [{ description: 'Credit pack 100', quantity: 1, unitNet: '100.00' }],
});

describe('issueInvoice', () => {
  it('gives concurrent invoices the numbers 1..N, each once', async () => {
    // Act: 40 sources at once, all racing for the counter.
    const issued = await Promise.all(
      Array.from({ length: 40 }, (_, index) => issueInvoice(deps, tenant, draft(`pack-${index}`))),
    );
    // Assess
    const sequences = issued.map((invoice) => invoice.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(new Set(issued.map((invoice) => invoice.number)).size).toBe(40);
    expect(issued.find((invoice) => invoice.sequence === 7)?.number).toBe('2026-000007');
    expect(await deps.invoices.lastSequence(tenant.id)).toBe(40);
    // Stored as issued, and listed.
    const stored = await deps.invoices.get(tenant.id, issued[0]?.id as string);
    expect(stored).toEqual(issued[0]);
    const listed = await listInvoices(deps, tenant, { kind: 'buyer', customerId: 'cus_person' } as never, {
      limit: 200,
    });
    expect(listed.items).toHaveLength(40);
  });

  it('issues one invoice per source, however often and however concurrently it is asked', async () => {
    const before = await deps.invoices.lastSequence(tenant.id);
    const issued = await Promise.all(
      Array.from({ length: 12 }, () => issueInvoice(deps, tenant, draft('order-once'))),
    );
    expect(new Set(issued.map((invoice) => invoice.id)).size).toBe(1);
    const again = await issueInvoice(deps, tenant, draft('order-once'));
    expect(again.id).toBe(issued[0]?.id);
    // One number used, none lost to the losers.
    expect(await deps.invoices.lastSequence(tenant.id)).toBe(before + 1);
    expect(issued[0]?.sequence).toBe(before + 1);
  });

  it('adds VAT as the pricing engine does: destination rate for a consumer, reverse charge for a business', async () => {
    const consumer = await issueInvoice(deps, tenant, draft('vat-consumer'));
    expect(consumer.vat).toEqual({ country: 'FR', rule: 'destination', reverseCharge: false });
    expect(consumer.taxes).toEqual([{ rate: '0.2', net: '100.00', tax: '20.00' }]);
    expect(consumer.totals).toEqual({ net: '100.00', tax: '20.00', gross: '120.00' });
    expect(consumer.status).toBe('paid');
    expect(consumer.paidAt).toBe(consumer.issuedAt);
    expect(consumer.seller).toEqual({ name: 'Demo Cloud', country: 'DE' });

    const business = await issueInvoice(deps, tenant, draft('vat-business', 'cus_business'));
    expect(business.vat.reverseCharge).toBe(true);
    expect(business.totals).toEqual({ net: '100.00', tax: '0.00', gross: '100.00' });
    expect(business.buyer.vatId).toBe('FR12345678901');
  });

  it('makes invoice-paid invoices due after the payment terms, and marks them paid once', async () => {
    const open = await issueInvoice(deps, tenant, {
      ...draft('terms'),
      paymentMethod: 'invoice',
      status: undefined,
    });
    expect(open.status).toBe('open');
    expect(open.dueAt).toBe('2026-05-15T09:00:00.000Z');
    const paid = await markInvoicePaid(deps, tenant, open.id, '2026-05-10T00:00:00.000Z');
    expect(paid).toMatchObject({ status: 'paid', paidAt: '2026-05-10T00:00:00.000Z', revision: 2 });
    expect((await markInvoicePaid(deps, tenant, open.id)).revision).toBe(2);
  });

  it('refuses a customer that does not exist, using no number', async () => {
    const before = await deps.invoices.lastSequence(tenant.id);
    await expect(issueInvoice(deps, tenant, draft('nobody', 'cus_missing'))).rejects.toMatchObject({
      code: 'customer_not_found',
    });
    expect(await deps.invoices.lastSequence(tenant.id)).toBe(before);
  });
});
