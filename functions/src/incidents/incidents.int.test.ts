/**
 * SLA incidents against DynamoDB Local: services of several kinds and histories, an incident over
 * two products credited once per service (recorded twice, credited twice at once, resumed after
 * a stop), amounts against a hand calculation, balance = sum of entries, and the 4xx a merchant
 * gets for a wrong incident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '#shared/catalog/catalog.ts';
import { SlaPolicy } from '#shared/catalog/sla.ts';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors.ts';
import { authorize } from '#shared/identity/access.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { recordIncident as recordIncidentOperation } from '#shared/incidents/api.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { type BillingDeps, buildBillingDeps } from '../billing/table-billing.ts';
import { creditWallet } from '../credits/ledger-service.ts';
import type { StoredEntry } from '../credits/wallet.ts';
import type { WalletRef } from '../credits/wallet-store.ts';
import { createService, transition } from '../subscriptions/subscription-service.ts';
import { creditIncident, type IncidentDeps, listIncidents, recordIncident } from './incident-service.ts';
import { buildIncidentDeps } from './table-incidents.ts';

const tenant = {
  id: 'ten_incidents',
  slug: 'incidents',
  name: 'Incidents',
  status: 'active',
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
  signupMode: 'open',
  createdAt: '2026-01-01T00:00:00.000Z',
} satisfies Tenant;
const staff: Principal = {
  kind: 'staff',
  tenantId: tenant.id,
  userId: 'usr_ops',
  email: 'ops@test',
  roles: ['finance'],
  permissions: ['finance:manage', 'finance:read'],
  sessionId: 's',
};
const buyer: Principal = {
  kind: 'buyer',
  tenantId: tenant.id,
  customerId: 'cus_a',
  userId: 'usr_a',
  email: 'a@test',
  permissions: ['finance:view', 'orders:create'],
  sessionId: 's',
};
const system = { kind: 'system', id: 'test' } as const;
const at = (time: string) => `2026-03-01T${time}.000Z`;

const product = (id: string, region: string, sla?: Partial<SlaPolicy>) =>
  ({
    id,
    slug: id.slice(4),
    attributes: { region },
    options: [],
    ...(sla ? { sla: SlaPolicy.parse(sla) } : {}),
  }) as unknown as Product;
const products = [
  product('prd_vm', 'eu-central', { creditPercent: 100, minimumCredits: '1.00' }),
  product('prd_db', 'eu-west', { creditPercent: 200 }),
  product('prd_mail', 'eu-central'),
  product('prd_backup', 'eu-central', { creditPercent: 100, includeStopped: true }),
];

let table: Awaited<ReturnType<typeof freshTable>>;
let billing: BillingDeps;
let deps: IncidentDeps;
let clock: ManualClock;
const started: string[] = [];

let serial = 0;
async function service(
  productId: string,
  customerId: string,
  options: { at?: string; method?: 'credits' | 'card'; hourly?: string; stoppedHourly?: string } = {},
): Promise<string> {
  const id = `sub_${String(++serial).padStart(26, '0')}`;
  const hourly = options.hourly ?? '2';
  const stoppedHourly = options.stoppedHourly ?? '0';
  const method = options.method ?? 'credits';
  const created = await createService(
    billing,
    tenant.id,
    {
      id,
      customerId,
      orderId: 'ord_test',
      product: {
        id: productId,
        slug: productId.slice(4),
        name: productId.slice(4).toUpperCase(),
        kind: 'iaas',
      },
      configuration: { dimensions: {}, options: {} },
      inputs: {},
      paymentMethod: method,
      price: {
        currency: 'EUR',
        hourly,
        stoppedHourly,
        monthlyEstimate: '0',
        setup: '0',
        ...(method === 'credits' ? { credits: { hourly, stoppedHourly } } : {}),
      },
    },
    options.at ?? at('00:00:00'),
  );
  if (!created) throw new Error(`${id} not created`);
  return id;
}

const act = (id: string, action: 'stop' | 'start' | 'suspend' | 'terminate', time: string) =>
  transition(billing, tenant, id, { action, actor: system, reason: 'test' }, at(time));

async function entries(ref: WalletRef): Promise<StoredEntry[]> {
  const all: StoredEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await billing.ledger.wallets.entries(ref, { limit: 200, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const ref = (customerId: string): WalletRef => ({ tenantId: tenant.id, customerId, currency: 'EUR' });

/** The incident grants in a wallet, by service. */
async function grantsOf(customerId: string, incidentId: string) {
  return (await entries(ref(customerId))).filter(
    (entry) => entry.reference?.kind === 'incident' && entry.reference.id === incidentId,
  );
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  table = await freshTable();
  clock = new ManualClock(at('00:00:00'));
  billing = buildBillingDeps(table.documentClient, table.tableName, {
    clock,
    events: { publish: async () => undefined },
    cache: { view: () => Promise.reject(new Error('no catalog in this test')) },
    checkedBasket: () => Promise.reject(new Error('no basket in this test')),
    startWalk: async () => undefined,
  });
  deps = {
    ...buildIncidentDeps(table.documentClient, table.tableName, billing, {
      products: async () => products,
      startCrediting: async (_tenantId, incidentId) => void started.push(incidentId),
    }),
    pageSize: 3,
  };
  for (const customerId of ['cus_a', 'cus_b']) {
    await creditWallet(billing.ledger, ref(customerId), {
      type: 'purchase',
      amount: 100_000,
      reason: 'opening balance',
      actor: system,
      idempotencyKey: `open-${customerId}`,
      at: at('00:00:00'),
    });
  }
  ids.running = await service('prd_vm', 'cus_a');
  ids.card = await service('prd_db', 'cus_b', { method: 'card', hourly: '0.50' });
  ids.stoppedBefore = await service('prd_vm', 'cus_a');
  ids.later = await service('prd_vm', 'cus_a', { at: at('10:30:00') });
  ids.suspended = await service('prd_db', 'cus_b');
  ids.noSla = await service('prd_mail', 'cus_a');
  ids.paused = await service('prd_db', 'cus_a', { hourly: '1.5' });
  ids.otherProduct = await service('prd_backup', 'cus_a');
  ids.terminated = await service('prd_vm', 'cus_b');
  await act(ids.stoppedBefore as string, 'stop', '09:00:00');
  await act(ids.suspended as string, 'suspend', '08:00:00');
  await act(ids.terminated as string, 'terminate', '09:00:00');
  await act(ids.paused as string, 'stop', '10:10:00');
  await act(ids.paused as string, 'start', '10:20:00');
  clock.set(at('12:00:00'));
});
afterAll(() => table.drop());

const outage = {
  title: 'Network outage in Frankfurt',
  products: ['prd_vm', 'prd_db'],
  start: at('10:00:00'),
  end: at('10:30:00'),
};

describe('recordIncident', () => {
  let incidentId: string;

  it('credits every affected service once, as calculated by hand', async () => {
    const { incident, created } = await recordIncident(deps, tenant, staff, outage);
    incidentId = incident.id;
    expect(created).toBe(true);
    expect(incident.status).toBe('crediting');
    expect(started).toEqual([incident.id]);

    // A worker stops after its first page (3 services); the redelivered message resumes.
    let pages = 0;
    expect(await creditIncident(deps, tenant, incident.id, () => (pages++ === 0 ? 120_000 : 0))).toBe(false);
    // Two workers at once on the rest: each page lands once.
    await Promise.all([creditIncident(deps, tenant, incident.id), creditIncident(deps, tenant, incident.id)]);

    // running: 30 min × 2 credits/h = 1.00 (minimum 1.00);
    // card: 0.50 EUR/h at 1.00 per credit = 0.5 credits/h × 200 % × 0.5 h = 0.50;
    // paused: 20 of 30 min running × 1.5/h × 200 % = 1.00. stopped, suspended: touched, nothing.
    const a = await grantsOf('cus_a', incident.id);
    const b = await grantsOf('cus_b', incident.id);
    const bySubscription = Object.fromEntries(
      [...a, ...b].map((entry) => [entry.reference?.subscription, entry.amount]),
    );
    expect(bySubscription).toEqual({
      [ids.running as string]: 100,
      [ids.paused as string]: 100,
      [ids.card as string]: 50,
    });
    for (const entry of [...a, ...b]) {
      expect(entry).toMatchObject({
        type: 'grant',
        idempotencyKey: `${incident.id}#${entry.reference?.subscription}`,
        actor: { kind: 'merchant', id: 'usr_ops' },
      });
      expect(entry.reason).toContain('Network outage in Frankfurt');
    }

    const [view] = (await listIncidents(deps, tenant, { limit: 10 })).items;
    expect(view).toMatchObject({
      id: incident.id,
      status: 'done',
      services: { credited: 3, notCredited: 2 },
      credits: { total: '2.50', byCurrency: { EUR: '2.50' } },
    });
  });

  it('never credits twice: recorded again, and run again', async () => {
    const again = await recordIncident(deps, tenant, staff, { ...outage, products: ['prd_db', 'prd_vm'] });
    expect(again.created).toBe(false);
    expect(again.incident.id).toBe(incidentId);
    // Done already: recording it again sends no work.
    expect(started).toEqual([incidentId]);
    await creditIncident(deps, tenant, incidentId);
    expect(await grantsOf('cus_a', incidentId)).toHaveLength(2);
    expect(await grantsOf('cus_b', incidentId)).toHaveLength(1);
  });

  it('keeps balance = sum of entries', async () => {
    for (const customerId of ['cus_a', 'cus_b']) {
      const wallet = await billing.ledger.wallets.get(ref(customerId));
      const sum = (await entries(ref(customerId))).reduce((total, entry) => total + entry.amount, 0);
      expect(wallet?.funds.balance).toBe(sum);
    }
  });

  it('refuses an incident that overlaps one recorded for the same products', async () => {
    const overlapping = recordIncident(deps, tenant, staff, {
      ...outage,
      products: ['prd_vm'],
      start: at('10:15:00'),
      end: at('10:45:00'),
    });
    await expect(overlapping).rejects.toThrow(ConflictError);
    await expect(overlapping).rejects.toMatchObject({ code: 'incident_overlaps', details: { incidentId } });
  });

  it('credits a region: the services of the products in it', async () => {
    const { incident } = await recordIncident(deps, tenant, staff, {
      title: 'Power loss in Dublin',
      region: 'eu-west',
      start: at('11:00:00'),
      end: at('11:30:00'),
    });
    await creditIncident(deps, tenant, incident.id);
    // db services only: card 0.5/h × 200 % × 0.5 h = 0.50; paused (running again) 1.5 × 2 × 0.5 = 1.50
    const granted = [...(await grantsOf('cus_a', incident.id)), ...(await grantsOf('cus_b', incident.id))];
    expect(Object.fromEntries(granted.map((entry) => [entry.reference?.subscription, entry.amount]))).toEqual(
      { [ids.card as string]: 50, [ids.paused as string]: 150 },
    );
  });

  it('answers a wrong incident with a 400 that names the field', async () => {
    const attempt = (change: Record<string, unknown>) =>
      recordIncident(deps, tenant, staff, {
        ...outage,
        start: at('06:00:00'),
        end: at('07:00:00'),
        ...change,
      });
    const rejected = async (change: Record<string, unknown>, code: string, path: string) => {
      const error = await attempt(change).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code, details: [expect.objectContaining({ path })] });
    };
    await rejected({ end: at('12:00:01') }, 'incident_not_over', 'body.end');
    await rejected({ end: at('06:00:00') }, 'invalid_period', 'body.end');
    await rejected({ products: ['prd_vm', 'prd_nope'] }, 'unknown_product', 'body.products[1]');
    await rejected({ products: undefined }, 'scope_required', 'body.products');
    await rejected({ products: undefined, region: 'mars-north' }, 'unknown_region', 'body.region');
  });

  it('is for staff only', async () => {
    await expect(recordIncident(deps, tenant, buyer, outage)).rejects.toThrow(ForbiddenError);
    expect(() => authorize(recordIncidentOperation.access, buyer, tenant.id)).toThrow(ForbiddenError);
    const clerk = { ...staff, permissions: ['finance:read'] } as Principal;
    expect(() => authorize(recordIncidentOperation.access, clerk, tenant.id)).toThrow(ForbiddenError);
    expect(() => authorize(recordIncidentOperation.access, staff, tenant.id)).not.toThrow();
  });
});
