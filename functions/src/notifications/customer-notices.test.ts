import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { User } from '../identity/model.ts';
import { type CustomerNoticeDeps, sendCustomerNotice } from './customer-notices.ts';
import type { EmailMessage } from './email.ts';

const tenant = { id: 'ten_1', slug: 'acme', name: 'Acme Cloud' } as Tenant;
const user = (id: string, permissions: string[], status: User['status'] = 'active'): User => ({
  id,
  tenantId: tenant.id,
  kind: 'buyer',
  email: `${id}@example.com`,
  name: id,
  status,
  customerId: 'cus_1',
  permissions,
  createdAt: '2026-01-01T00:00:00.000Z',
});

function setup() {
  const sent: EmailMessage[] = [];
  const noted = new Set<string>();
  const deps: CustomerNoticeDeps = {
    tenant: async (id) => (id === tenant.id ? tenant : undefined),
    members: async () => [
      user('owner', ['finance:view', 'orders:create']),
      user('engineer', ['services:manage']),
      user('gone', ['finance:view'], 'disabled'),
    ],
    email: { send: async (message) => void sent.push(message) },
    notices: { sent: async (_t, key) => noted.has(key), markSent: async (_t, key) => void noted.add(key) },
    publicUrl: 'https://shop.example/',
  };
  return { deps, sent };
}

const event = (type: string, data: Record<string, unknown>): EventEnvelope => ({
  id: 'evt_1',
  type,
  time: '2026-03-01T10:00:00.000Z',
  tenant: tenant.id,
  subject: 'cus_1',
  schemaVersion: 1,
  data: { customerId: 'cus_1', currency: 'EUR', balance: '3.20', ...data },
});

describe('customer notices', () => {
  it('tells the active members who see finances that credits run low, with the runway and a link', async () => {
    const { deps, sent } = setup();
    expect(await sendCustomerNotice(deps, event('credits.low', { runwayHours: 12.5 }))).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'owner@example.com',
      subject: 'Your Acme Cloud credits are running low',
    });
    expect(sent[0]?.text).toContain('3.20 credits — about 12.5 hours');
    expect(sent[0]?.text).toContain('https://shop.example/stores/acme/wallet');
  });

  it('says when exhausted services will be suspended', async () => {
    const { deps, sent } = setup();
    await sendCustomerNotice(
      deps,
      event('credits.exhausted', { balance: '0.00', graceEndsAt: '2026-03-02T10:00:00.000Z' }),
    );
    expect(sent[0]?.subject).toBe('Your Acme Cloud credits have run out');
    expect(sent[0]?.text).toContain('until 2026-03-02 10:00 UTC');
  });

  it('sends once per event and user, however often the event comes', async () => {
    const { deps, sent } = setup();
    await sendCustomerNotice(deps, event('credits.low', {}));
    expect(await sendCustomerNotice(deps, event('credits.low', {}))).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('tells the members who may order that an order failed, and what came back', async () => {
    const { deps, sent } = setup();
    const failed = {
      ...event('order.failed', {}),
      subject: 'ord_1',
      data: {
        customerId: 'cus_1',
        failure: { code: 'provisioning_failed', message: 'The platform refused the service' },
        refunded: { credits: '19.00' },
      },
    };
    expect(await sendCustomerNotice(deps, failed)).toBe(1);
    expect(sent[0]).toMatchObject({
      to: 'owner@example.com',
      subject: 'Your Acme Cloud order could not be completed',
    });
    expect(sent[0]?.text).toContain('The platform refused the service');
    expect(sent[0]?.text).toContain('The 19.00 credits it took are back in your wallet.');
    expect(sent[0]?.text).toContain('https://shop.example/stores/acme/orders/ord_1');
  });

  it('ignores other events and unknown stores', async () => {
    const { deps, sent } = setup();
    expect(await sendCustomerNotice(deps, event('credits.granted', {}))).toBe(0);
    expect(await sendCustomerNotice(deps, { ...event('credits.low', {}), tenant: 'ten_other' })).toBe(0);
    expect(sent).toHaveLength(0);
  });
});
