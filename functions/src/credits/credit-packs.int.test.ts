/** Credit pack definitions against DynamoDB Local: who may define and see them, and the 4xx for a wrong one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BILLING_SETTINGS } from '#shared/billing/settings.ts';
import { upsertCreditPack as upsertOperation } from '#shared/credits/api.ts';
import { demoCreditPacks } from '#shared/credits/demo-packs.ts';
import { CreditPackInput, priceCreditPack } from '#shared/credits/packs.ts';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors.ts';
import { authorize } from '#shared/identity/access.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import { DynamoDbCreditPackStore } from './adapters/dynamodb-credit-pack-store.ts';
import { type CreditPackDeps, listCreditPacks, upsertCreditPack } from './credit-pack-service.ts';

const tenant = { id: 'ten_packs', defaultCurrency: 'EUR' } as Tenant;
const staff: Principal = {
  kind: 'staff',
  tenantId: tenant.id,
  userId: 'usr_fin',
  email: 'fin@test',
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
  permissions: ['finance:view'],
  sessionId: 's',
};
const visitor: Principal = { kind: 'anonymous' };

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: CreditPackDeps;

const input = (id: string, change: Record<string, unknown> = {}) => {
  const { id: _id, ...pack } = demoCreditPacks.find((candidate) => candidate.id === id) ?? {};
  return CreditPackInput.parse({ ...pack, ...change });
};

beforeAll(async () => {
  table = await freshTable();
  deps = {
    packs: new DynamoDbCreditPackStore(table.documentClient, table.tableName),
    billingSettings: async () => ({
      ...DEFAULT_BILLING_SETTINGS,
      creditPrices: { EUR: '1.00', USD: '1.00' },
    }),
    clock: new ManualClock('2026-03-01T00:00:00.000Z'),
  };
});
afterAll(() => table.drop());

describe('credit packs', () => {
  it('staff define packs; buyers and visitors see the active ones in order', async () => {
    for (const pack of demoCreditPacks) await upsertCreditPack(deps, tenant, staff, pack.id, input(pack.id));
    await upsertCreditPack(
      deps,
      tenant,
      staff,
      'retired-50',
      input('starter-100', { active: false, position: 1 }),
    );

    for (const principal of [buyer, visitor]) {
      const list = await listCreditPacks(deps, tenant, principal, {});
      expect(list.pricesIncludeVat).toBe(false);
      expect(list.items.map((pack) => pack.id)).toEqual(['starter-100', 'bulk-1000', 'business-5000']);
    }
    const all = await listCreditPacks(deps, tenant, staff, { includeInactive: 'true' });
    expect(all.items.map((pack) => pack.id)).toEqual([
      'retired-50',
      'starter-100',
      'bulk-1000',
      'business-5000',
    ]);
    await expect(listCreditPacks(deps, tenant, buyer, { includeInactive: 'true' })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('prices a stored pack for a buyer: 1,000 credits for the price of 900, plus VAT', async () => {
    const [bulk] = (await listCreditPacks(deps, tenant, buyer, {})).items.filter(
      (pack) => pack.id === 'bulk-1000',
    );
    expect(bulk).toBeDefined();
    const price = priceCreditPack(bulk as NonNullable<typeof bulk>, 'EUR', {
      sellerCountry: 'DE',
      buyer: { country: 'AT' },
    });
    expect(price).toMatchObject({ credits: '900.00', bonus: '100.00', net: '900.00', gross: '1080.00' });
    expect(price.tax).toMatchObject({ country: 'AT', rate: '0.2', amount: '180.00' });
  });

  it('replaces a pack with a new revision; a stale revision is a 409', async () => {
    const changed = await upsertCreditPack(
      deps,
      tenant,
      staff,
      'starter-100',
      input('starter-100', { expectedRevision: 1, credits: '110' }),
    );
    expect(changed).toMatchObject({ revision: 2, credits: '110' });
    await expect(
      upsertCreditPack(deps, tenant, staff, 'starter-100', input('starter-100', { expectedRevision: 1 })),
    ).rejects.toThrow(ConflictError);
  });

  it('answers a wrong pack with one 400 naming each problem', async () => {
    const error = await upsertCreditPack(
      deps,
      tenant,
      staff,
      'broken',
      input('starter-100', { credits: '0', prices: { EUR: '9.999', GBP: '10.00', USD: '0' } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.prices.EUR', code: 'too_many_decimals' }),
        expect.objectContaining({ path: 'body.prices.USD', code: 'not_positive' }),
        expect.objectContaining({ path: 'body.prices.GBP', code: 'credits_not_offered' }),
        expect.objectContaining({ path: 'body.credits', code: 'not_positive' }),
      ]),
    );
    expect(await deps.packs.get(tenant.id, 'broken')).toBeUndefined();
  });

  it('is defined by finance staff only', async () => {
    await expect(upsertCreditPack(deps, tenant, buyer, 'mine', input('starter-100'))).rejects.toThrow(
      ForbiddenError,
    );
    expect(() => authorize(upsertOperation.access, buyer, tenant.id)).toThrow(ForbiddenError);
    const catalogStaff = { ...staff, permissions: ['catalog:manage'] } as Principal;
    expect(() => authorize(upsertOperation.access, catalogStaff, tenant.id)).toThrow(ForbiddenError);
  });
});
