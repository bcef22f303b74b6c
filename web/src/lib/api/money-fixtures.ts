/** Answers of the money APIs as the local runtime gives them, for the web's unit tests. */
import type { LedgerEntryView, WalletView } from './credits.ts';
import type { OrderView } from './orders.ts';
import type { SubscriptionView } from './services.ts';

export const CUSTOMER = 'cus_01kb0000000000000000000000';
export const ORDER_ID = 'ord_01kb0000000000000000000001';
export const SERVICE_ID = 'sub_01kb0000000000000000000002';

const configuration = { dimensions: { vcpu: 2, ram_gb: 4, disk_gb: 80 }, options: { os: 'linux' } };
const product = { id: 'prd_01', slug: 'virtual-server', name: 'Virtual server', kind: 'iaas' } as const;

export const order: OrderView = {
  id: ORDER_ID,
  customerId: CUSTOMER,
  status: 'completed',
  paymentMethod: 'credits',
  currency: 'EUR',
  items: [
    {
      product,
      configuration,
      inputs: {},
      quantity: 1,
      price: { hourly: '0.0766', stoppedHourly: '0.004', monthlyEstimate: '55.92', setup: '19.00' },
      subscriptionIds: [SERVICE_ID],
    },
  ],
  totals: {
    setup: '19.00',
    hourly: '0.0766',
    monthlyEstimate: '55.92',
    net: '74.92',
    tax: '14.23',
    gross: '89.15',
  },
  payment: { credits: { charged: '19.00', entryId: 'led_01' } },
  createdAt: '2026-11-23T10:00:00.000Z',
  paidAt: '2026-11-23T10:00:00.000Z',
  completedAt: '2026-11-23T10:00:01.000Z',
};

export const service: SubscriptionView = {
  id: SERVICE_ID,
  customerId: CUSTOMER,
  orderId: ORDER_ID,
  product,
  configuration,
  inputs: {},
  state: 'active',
  stateSince: '2026-11-23T10:00:01.000Z',
  paymentMethod: 'credits',
  price: {
    currency: 'EUR',
    hourly: '0.0766',
    stoppedHourly: '0.004',
    monthlyEstimate: '55.92',
    setup: '19.00',
    credits: { hourly: '0.0766', stoppedHourly: '0.004' },
  },
  billing: { billedThrough: '2026-11-23T10:00:01.000Z', nextPostingAt: '2026-11-23T11:00:00.000Z' },
  createdAt: '2026-11-23T10:00:00.000Z',
  revision: 3,
  history: [
    {
      at: '2026-11-23T10:00:01.000Z',
      action: 'activate',
      from: 'provisioning',
      to: 'active',
      actor: { kind: 'system', id: 'fulfilment' },
      reason: 'No provisioning connector: active at once',
    },
  ],
};

export const wallet: WalletView = {
  customerId: CUSTOMER,
  currency: 'EUR',
  balance: '981.00',
  creditPrice: '1.00',
  burnPerHour: '0.0766',
  runwayHours: 12806.8,
  status: 'ok',
  shortfall: '0.00',
  lots: [{ source: 'grant', remaining: '981.00' }],
};

export const entry: LedgerEntryView = {
  id: 'led_01',
  type: 'debit',
  amount: '-19.00',
  balanceAfter: '981.00',
  at: '2026-11-23T10:00:00.000Z',
  reason: `Setup fees, order ${ORDER_ID}`,
  actor: { kind: 'buyer', id: 'usr_01' },
  reference: { kind: 'order', id: ORDER_ID },
};
