/** Answers of the payment, invoice and incident APIs as the local runtime gives them, for the web's unit tests. */
import { CUSTOMER } from './money-fixtures.ts';

export const AT = '2026-11-23T10:00:00.000Z';
export const PURCHASE_ID = 'cpp_01kb0000000000000000000003';
export const INVOICE_ID = 'ivc_01kb0000000000000000000004';
export const INCIDENT_ID = 'inc_01kb0000000000000000000005';

export const pack = {
  id: 'bulk-1000',
  name: { en: '1,000 credits for the price of 900' },
  credits: '900',
  bonusCredits: '100',
  prices: { EUR: '900.00', USD: '900.00' },
  active: true,
  position: 20,
  revision: 1,
  createdAt: AT,
  updatedAt: AT,
};

export const purchase = {
  id: PURCHASE_ID,
  customerId: CUSTOMER,
  packId: 'bulk-1000',
  packName: '1,000 credits for the price of 900',
  paymentMethod: 'invoice' as const,
  status: 'paid' as const,
  currency: 'EUR' as const,
  credits: '900.00',
  bonus: '100.00',
  cashback: '0.00',
  net: '900.00',
  tax: '171.00',
  gross: '1071.00',
  invoiceId: INVOICE_ID,
  credited: true,
  createdAt: AT,
  paidAt: AT,
};

export const invoice = {
  id: INVOICE_ID,
  number: '2026-000001',
  sequence: 1,
  customerId: CUSTOMER,
  currency: 'EUR' as const,
  status: 'open' as const,
  paymentMethod: 'invoice' as const,
  issuedAt: AT,
  dueAt: '2026-12-07T10:00:00.000Z',
  source: { kind: 'creditPurchase' as const, id: PURCHASE_ID },
  seller: { name: 'Demo Cloud', country: 'DE' },
  buyer: { name: 'Ben Buyer', country: 'DE' },
  lines: [
    {
      description: '1,000 credits for the price of 900',
      quantity: 1,
      unitNet: '900.00',
      net: '900.00',
      taxRate: '0.19',
    },
  ],
  taxes: [{ rate: '0.19', net: '900.00', tax: '171.00' }],
  vat: { country: 'DE', rule: 'domestic' as const, reverseCharge: false },
  totals: { net: '900.00', tax: '171.00', gross: '1071.00' },
};

export const incident = {
  id: INCIDENT_ID,
  title: 'Network outage in Frankfurt',
  products: ['prd_vm'],
  start: '2026-11-23T09:00:00.000Z',
  end: AT,
  recordedAt: AT,
  recordedBy: { kind: 'merchant' as const, id: 'usr_1' },
  status: 'crediting' as const,
  services: { credited: 0, notCredited: 0 },
  credits: { total: '0.00', byCurrency: {} },
};

export const settings = {
  card: { enabled: true },
  stripe: {
    connected: true,
    mode: 'test' as const,
    secretKeyLast4: 'abcd',
    webhookSecretLast4: 'wxyz',
    webhookPath: '/api/v1/webhooks/stripe/demo',
    connectedAt: AT,
  },
};
