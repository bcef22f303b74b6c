import type { Tenant } from '#shared/tenants/tenant.ts';

export interface TenantRepository {
  /** Creates the tenant and claims its slug; fails with a ConflictError when the slug is taken. */
  create(tenant: Tenant): Promise<void>;
  get(tenantId: string): Promise<Tenant | undefined>;
  findBySlug(slug: string): Promise<Tenant | undefined>;
}
