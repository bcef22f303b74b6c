import { describe, expect, it } from 'vitest';
import { fetchCreditPacks, parseCreditPack, saveCreditPack } from './credits.ts';
import { fetchIncident, fetchIncidents, parseIncident, recordIncident } from './incidents.ts';
import { fetchInvoice, fetchInvoices, invoiceFileName, invoicePdfPath, parseInvoice } from './invoices.ts';
import { CUSTOMER } from './money-fixtures.ts';
import {
  AT,
  INCIDENT_ID,
  INVOICE_ID,
  incident,
  invoice,
  PURCHASE_ID,
  pack,
  purchase,
  settings,
} from './payment-fixtures.ts';
import {
  buyCreditPack,
  fetchBillingProfile,
  fetchCreditPurchase,
  fetchPaymentOptions,
  fetchPaymentSettings,
  parseCreditPurchase,
  parsePaymentSettings,
  saveBillingProfile,
  savePaymentSettings,
} from './payments.ts';
import { header, json, recorder, sent } from './testing.ts';

describe('payment parsers (the shared schemas)', () => {
  it('read a purchase, an invoice, an incident, a pack and the settings as the API sends them', () => {
    expect(parseCreditPurchase(purchase)).toEqual(purchase);
    expect(parseInvoice(invoice)).toEqual(invoice);
    expect(parseIncident(incident)).toEqual(incident);
    expect(parseCreditPack(pack)).toEqual(pack);
    expect(parsePaymentSettings(settings)).toEqual(settings);
  });

  it('reject a key that comes back, a float amount and an unknown status', () => {
    expect(
      parsePaymentSettings({ ...settings, stripe: { ...settings.stripe, secretKey: 'sk_test_x' } }),
    ).toBe(undefined);
    expect(parseInvoice({ ...invoice, totals: { ...invoice.totals, gross: 1071 } })).toBeUndefined();
    expect(parseCreditPurchase({ ...purchase, status: 'refunded' })).toBeUndefined();
    expect(parseIncident({ ...incident, status: 'failed' })).toBeUndefined();
  });
});

describe('credit packs and purchases', () => {
  it('list the packs (staff: inactive ones too) and save one with PUT', async () => {
    const { calls, fetch } = recorder(() =>
      calls.length === 1 ? json(200, { items: [pack], pricesIncludeVat: false }) : json(200, pack),
    );
    const listed = await fetchCreditPacks('demo', { includeInactive: true }, { fetch });
    expect(listed).toMatchObject({ ok: true, data: [{ id: 'bulk-1000' }] });
    const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...body } = pack;
    await saveCreditPack('demo', 'bulk-1000', { ...body, expectedRevision: 1 }, { fetch });
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'GET /api/v1/stores/demo/credit-packs?includeInactive=true',
      'PUT /api/v1/stores/demo/admin/credit-packs/bulk-1000',
    ]);
    expect(sent(calls[1])).toMatchObject({ credits: '900', expectedRevision: 1 });
  });

  it('buy a pack once per key and follow the purchase', async () => {
    const { calls, fetch } = recorder(() => json(calls.length === 1 ? 201 : 200, purchase));
    const bought = await buyCreditPack(
      'demo',
      'bulk-1000',
      { paymentMethod: 'invoice', currency: 'EUR' },
      { fetch, idempotencyKey: 'buy-1' },
    );
    expect(bought).toMatchObject({ ok: true, status: 201, data: { credited: true, invoiceId: INVOICE_ID } });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/credit-packs/bulk-1000/purchases');
    expect(header(calls[0], 'Idempotency-Key')).toBe('buy-1');
    expect(sent(calls[0])).toEqual({ paymentMethod: 'invoice', currency: 'EUR' });
    await fetchCreditPurchase('demo', PURCHASE_ID, { fetch });
    expect(calls[1]?.url).toBe(`/api/v1/stores/demo/credit-purchases/${PURCHASE_ID}`);
  });

  it('give the store’s refusal of a method as a problem', async () => {
    const { fetch } = recorder(() =>
      json(409, { error: { code: 'payment_method_unavailable', message: 'Card payment is off' } }),
    );
    const result = await buyCreditPack('demo', 'bulk-1000', { paymentMethod: 'card' }, { fetch });
    expect(result).toMatchObject({ ok: false, problem: { status: 409, code: 'payment_method_unavailable' } });
  });

  it('read the payment options', async () => {
    const options = {
      credits: { available: true },
      card: { available: false, message: 'Card payment is off' },
      invoice: { available: true, paymentTermsDays: 14 },
    };
    const { calls, fetch } = recorder(() => json(200, options));
    expect(await fetchPaymentOptions('demo', { fetch })).toMatchObject({ ok: true, data: options });
    expect(calls[0]?.url).toBe('/api/v1/stores/demo/payment-options');
  });
});

describe('Stripe settings and billing profiles', () => {
  it('connect, disconnect and read the profile with the admin paths', async () => {
    const profile = { customerId: CUSTOMER, invoiceAllowed: true, paymentTermsDays: 30 };
    const { calls, fetch } = recorder(() =>
      json(200, calls.at(-1)?.url.includes('billing-profile') ? profile : settings),
    );
    await fetchPaymentSettings('demo', { fetch });
    await savePaymentSettings(
      'demo',
      { stripe: { secretKey: 'sk_test_12345678', webhookSecret: 'whsec_12345678' } },
      { fetch },
    );
    await savePaymentSettings('demo', { stripe: null }, { fetch });
    await fetchBillingProfile('demo', CUSTOMER, { fetch });
    const saved = await saveBillingProfile(
      'demo',
      CUSTOMER,
      { invoiceAllowed: true, paymentTermsDays: 30 },
      { fetch },
    );
    expect(saved).toMatchObject({ ok: true, data: profile });
    expect(calls.map((call) => `${call.init.method ?? 'GET'} ${call.url}`)).toEqual([
      'GET /api/v1/stores/demo/admin/payment-settings',
      'PUT /api/v1/stores/demo/admin/payment-settings',
      'PUT /api/v1/stores/demo/admin/payment-settings',
      `GET /api/v1/stores/demo/admin/customers/${CUSTOMER}/billing-profile`,
      `PUT /api/v1/stores/demo/admin/customers/${CUSTOMER}/billing-profile`,
    ]);
    expect(sent(calls[2])).toEqual({ stripe: null });
  });
});

describe('invoices', () => {
  it('list a customer’s open invoices, read one, and link its PDF', async () => {
    const { calls, fetch } = recorder(() => json(200, calls.length === 1 ? { items: [invoice] } : invoice));
    const page = await fetchInvoices(
      'demo',
      { status: 'open', customerId: CUSTOMER, cursor: 'c' },
      { fetch },
    );
    expect(page).toMatchObject({ ok: true, data: { items: [{ number: '2026-000001' }] } });
    await fetchInvoice('demo', INVOICE_ID, { fetch });
    expect(calls.map((call) => call.url)).toEqual([
      `/api/v1/stores/demo/invoices?limit=20&cursor=c&status=open&customerId=${CUSTOMER}`,
      `/api/v1/stores/demo/invoices/${INVOICE_ID}`,
    ]);
    expect(invoicePdfPath('demo', INVOICE_ID)).toBe(`/api/v1/stores/demo/invoices/${INVOICE_ID}/pdf`);
    expect(invoiceFileName(invoice)).toBe('invoice-2026-000001.pdf');
  });
});

describe('incidents', () => {
  it('record one (201, or 200 when recorded before) and follow it', async () => {
    const { calls, fetch } = recorder(() =>
      calls.length === 1
        ? json(201, incident)
        : calls.length === 2
          ? json(200, { items: [incident] })
          : json(200, { ...incident, status: 'done' }),
    );
    const request = { title: incident.title, products: ['prd_vm'], start: incident.start, end: incident.end };
    const recorded = await recordIncident('demo', request, { fetch, idempotencyKey: 'inc-1' });
    expect(recorded).toMatchObject({ ok: true, status: 201, data: { status: 'crediting' } });
    expect(header(calls[0], 'Idempotency-Key')).toBe('inc-1');
    expect(sent(calls[0])).toEqual(request);
    await fetchIncidents('demo', {}, { fetch });
    const one = await fetchIncident('demo', INCIDENT_ID, { fetch });
    expect(one).toMatchObject({ ok: true, data: { status: 'done' } });
    expect(calls.map((call) => `${call.init.method ?? 'GET'} ${call.url}`)).toEqual([
      'POST /api/v1/stores/demo/admin/incidents',
      'GET /api/v1/stores/demo/admin/incidents?limit=20',
      `GET /api/v1/stores/demo/admin/incidents/${INCIDENT_ID}`,
    ]);
    const again = recorder(() => json(200, incident));
    expect(await recordIncident('demo', request, { fetch: again.fetch })).toMatchObject({
      ok: true,
      status: 200,
    });
  });

  it('give an overlap as a 409 problem', async () => {
    const { fetch } = recorder(() =>
      json(409, { error: { code: 'incident_overlaps', message: 'Overlaps inc_x' } }),
    );
    const result = await recordIncident(
      'demo',
      { title: 'x', region: 'eu-central', start: AT, end: AT },
      { fetch },
    );
    expect(result).toMatchObject({ ok: false, problem: { code: 'incident_overlaps' } });
  });
});
