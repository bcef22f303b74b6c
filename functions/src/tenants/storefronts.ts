import type { Storefront } from '#shared/tenants/api.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';

/** The public face of a store. */
export function storefrontOf(tenant: Tenant): Storefront {
  return {
    slug: tenant.slug,
    name: tenant.name,
    defaultCurrency: tenant.defaultCurrency,
    defaultLanguage: tenant.defaultLanguage,
  };
}
