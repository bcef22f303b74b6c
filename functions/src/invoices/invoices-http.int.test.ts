/**
 * Invoices through the API on the local runtime: a buyer with finance:view lists and downloads
 * their customer's invoices and nobody else's (404), a member without it gets 403, finance staff
 * see any customer's; the PDF comes as application/pdf.
 */
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import type { ApiClient } from '../../../test/support/http-client.ts';
import { buildCatalogDeps } from '../catalog/table-catalog.ts';
import { DynamoDbTenantRepository } from '../tenants/adapters/dynamodb-tenant-repository.ts';
import { issueInvoice } from './invoice-service.ts';
import type { StoredInvoice } from './invoice-store.ts';
import { buildInvoiceDeps } from './table-invoices.ts';

const demo = demoRuntime('invoices-http');

let own: StoredInvoice;
let others: StoredInvoice;
let customerId: string;

beforeAll(async () => {
  const { documentClient, tableName } = demo.runtime();
  const tenant = await new DynamoDbTenantRepository(documentClient, tableName).findBySlug('demo');
  if (!tenant) throw new Error('no demo store');
  const buyer = await demo.signedIn('buyer@demo.test');
  customerId = (await buyer.get(`${store}/account`)).body.id as string;
  const deps = buildInvoiceDeps(documentClient, tableName, {
    cache: buildCatalogDeps(documentClient, tableName).cache,
  });
  const lines = [{ description: 'Credit pack 50', quantity: 1, unitNet: '50.00' }];
  // The real parties: the demo store, and the buyer's customer record.
  own = await issueInvoice(deps, tenant, {
    customerId,
    currency: 'EUR',
    paymentMethod: 'credits',
    status: 'paid',
    source: { kind: 'creditPurchase', id: 'http-own' },
    lines,
  });
  others = await issueInvoice(
    { ...deps, parties: { ...deps.parties, buyer: async () => ({ name: 'Someone Else', country: 'DE' }) } },
    tenant,
    {
      customerId: 'cus_someoneelse',
      currency: 'EUR',
      paymentMethod: 'invoice',
      source: { kind: 'creditPurchase', id: 'http-other' },
      lines,
    },
  );
});

/** The PDF, fetched as a browser would (ApiClient reads JSON only). */
const download = (client: ApiClient, invoiceId: string) =>
  fetch(`${demo.url()}${store}/invoices/${invoiceId}/pdf`, {
    headers: { cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
  });

describe('invoices over HTTP', () => {
  it('lets a buyer with finance:view list, read and download only their own invoices', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    const list = await buyer.get(`${store}/invoices`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([own.id]);
    // Asking for another customer's list still shows only their own.
    const sneaky = await buyer.get(`${store}/invoices?customerId=cus_someoneelse`);
    expect(sneaky.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([own.id]);

    const read = await buyer.get(`${store}/invoices/${own.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      number: own.number,
      customerId,
      buyer: { country: own.buyer.country },
    });
    expect(read.body.seller.name).toBe(own.seller.name);

    const pdf = await download(buyer, own.id);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`invoice-${own.number}.pdf`);
    const document = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()));
    expect(document.getTitle()).toBe(`Invoice ${own.number}`);

    for (const path of [`/invoices/${others.id}`, `/invoices/${others.id}/pdf`]) {
      const hidden = await buyer.get(`${store}${path}`);
      expect(hidden.status, path).toBe(404);
      expect(hidden.body.error.code).toBe('invoice_not_found');
    }
  });

  it('refuses a member without finance:view (403) and a visitor (401)', async () => {
    const member = await demo.signedIn('member@demo.test');
    for (const path of ['/invoices', `/invoices/${own.id}`, `/invoices/${own.id}/pdf`]) {
      expect((await member.get(`${store}${path}`)).status, path).toBe(403);
    }
    expect((await demo.client().get(`${store}/invoices`)).status).toBe(401);
  });

  it('shows finance staff every customer’s invoices, or one customer’s', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const all = await merchant.get(`${store}/invoices`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.items.map((invoice: { id: string }) => invoice.id).sort()).toEqual(
      [own.id, others.id].sort(),
    );
    const one = await merchant.get(`${store}/invoices?customerId=cus_someoneelse&status=open`);
    expect(one.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([others.id]);
    expect((await download(merchant, others.id)).status).toBe(200);
    expect((await merchant.get(`${store}/invoices/ivc_notanid`)).status).toBe(400);
  });
});
