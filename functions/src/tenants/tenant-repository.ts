import type { Tenant } from '#shared/tenants/tenant.ts';

export type TenantChanges = Partial<Pick<Tenant, 'status' | 'slug' | 'name' | 'signupMode'>> & {
  /** A hostname to map, or null to remove the mapping. */
  customDomain?: string | null;
};

export interface TenantRepository {
  /** Creates the tenant and claims its slug (and domain); a ConflictError when one is taken. */
  create(tenant: Tenant): Promise<void>;
  update(current: Tenant, changes: TenantChanges): Promise<Tenant>;
  get(tenantId: string): Promise<Tenant | undefined>;
  findBySlug(slug: string): Promise<Tenant | undefined>;
  findByDomain(host: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
}
