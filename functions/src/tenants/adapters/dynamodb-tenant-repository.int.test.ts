import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { freshTable } from '../../../../test/support/services.ts';
import { getStorefront } from '../storefronts.ts';
import { DynamoDbTenantRepository } from './dynamodb-tenant-repository.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let tenants: DynamoDbTenantRepository;

beforeAll(async () => {
  table = await freshTable();
  tenants = new DynamoDbTenantRepository(table.documentClient, table.tableName);
});
afterAll(() => table.drop());

const tenant = (id: string, slug: string, status: Tenant['status'] = 'active'): Tenant => ({
  id,
  slug,
  name: `Store ${slug}`,
  status,
  defaultCurrency: 'EUR',
  defaultLanguage: 'en',
  signupMode: 'open',
  createdAt: '2026-11-23T10:00:00.000Z',
});

describe('DynamoDbTenantRepository', () => {
  it('creates a tenant and finds it by id and by slug', async () => {
    await tenants.create(tenant('ten_a', 'alpha'));
    expect(await tenants.get('ten_a')).toEqual(tenant('ten_a', 'alpha'));
    expect((await tenants.findBySlug('alpha'))?.id).toBe('ten_a');
    expect(await tenants.findBySlug('nobody')).toBeUndefined();
  });

  it('refuses a taken slug and writes nothing of the second tenant', async () => {
    await tenants.create(tenant('ten_b', 'bravo'));
    await expect(tenants.create(tenant('ten_c', 'bravo'))).rejects.toThrow(ConflictError);
    expect(await tenants.get('ten_c')).toBeUndefined();
    expect((await tenants.findBySlug('bravo'))?.id).toBe('ten_b');
  });

  it('shows only active stores', async () => {
    await tenants.create(tenant('ten_d', 'delta', 'suspended'));
    await expect(getStorefront(tenants, 'delta')).rejects.toMatchObject({ code: 'store_not_found' });
    expect(await getStorefront(tenants, 'alpha')).toEqual({
      slug: 'alpha',
      name: 'Store alpha',
      defaultCurrency: 'EUR',
      defaultLanguage: 'en',
    });
  });
});
