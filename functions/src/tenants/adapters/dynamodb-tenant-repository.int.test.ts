import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { freshTable } from '../../../../test/support/services.ts';
import { storeTenant } from '../../identity/authenticate.ts';
import { storefrontOf } from '../storefronts.ts';
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
    await expect(storeTenant({ tenants }, 'delta')).rejects.toMatchObject({ code: 'store_not_found' });
    expect(storefrontOf(await storeTenant({ tenants }, 'alpha'))).toEqual({
      slug: 'alpha',
      name: 'Store alpha',
      defaultCurrency: 'EUR',
      defaultLanguage: 'en',
    });
  });
});

describe('changing a tenant', () => {
  it('moves the slug and the custom domain in one step, keeping both unique', async () => {
    await tenants.create(tenant('ten_e', 'echo'));
    await tenants.create(tenant('ten_f', 'foxtrot'));
    const current = (await tenants.get('ten_e')) as Tenant;
    const moved = await tenants.update(current, { slug: 'echo-two', customDomain: 'shop.echo.test' });
    expect(moved).toMatchObject({ slug: 'echo-two', customDomain: 'shop.echo.test' });
    expect(await tenants.findBySlug('echo')).toBeUndefined();
    expect((await tenants.findBySlug('echo-two'))?.id).toBe('ten_e');
    expect((await tenants.findByDomain('shop.echo.test'))?.id).toBe('ten_e');

    const other = (await tenants.get('ten_f')) as Tenant;
    await expect(tenants.update(other, { customDomain: 'shop.echo.test' })).rejects.toMatchObject({
      code: 'domain_taken',
    });
    await expect(tenants.update(other, { slug: 'echo-two' })).rejects.toMatchObject({ code: 'slug_taken' });
    expect((await tenants.get('ten_f'))?.slug).toBe('foxtrot');

    await tenants.update(moved, { customDomain: null });
    expect(await tenants.findByDomain('shop.echo.test')).toBeUndefined();
    expect((await tenants.list()).map((t) => t.id)).toEqual(expect.arrayContaining(['ten_e', 'ten_f']));
  });
});
