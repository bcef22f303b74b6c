import { NotFoundError } from '#shared/errors.ts';
import type { Storefront } from '#shared/tenants/api.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { TenantRepository } from './tenant-repository.ts';

/** The public face of a store. */
export function storefrontOf(tenant: Tenant): Storefront {
  return {
    slug: tenant.slug,
    name: tenant.name,
    defaultCurrency: tenant.defaultCurrency,
    defaultLanguage: tenant.defaultLanguage,
  };
}

/** A suspended tenant's store is not found, the same as a missing one. */
export async function getStorefront(tenants: TenantRepository, slug: string): Promise<Storefront> {
  const tenant = await tenants.findBySlug(slug);
  if (tenant?.status !== 'active') {
    throw new NotFoundError('store_not_found', `There is no store '${slug}'`);
  }
  return storefrontOf(tenant);
}
