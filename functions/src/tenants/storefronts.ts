import { NotFoundError } from '#shared/errors.ts';
import type { Storefront } from '#shared/tenants/api.ts';
import type { TenantRepository } from './tenant-repository.ts';

/** The public face of a store. A suspended tenant's store is not found, the same as a missing one. */
export async function getStorefront(tenants: TenantRepository, slug: string): Promise<Storefront> {
  const tenant = await tenants.findBySlug(slug);
  if (tenant?.status !== 'active') {
    throw new NotFoundError('store_not_found', `There is no store '${slug}'`);
  }
  return {
    slug: tenant.slug,
    name: tenant.name,
    defaultCurrency: tenant.defaultCurrency,
    defaultLanguage: tenant.defaultLanguage,
  };
}
