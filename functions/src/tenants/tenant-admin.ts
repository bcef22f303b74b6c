import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { SignupMode, Tenant } from '#shared/tenants/tenant.ts';
import { recordAudit } from '../identity/audit.ts';
import type { IdentityDeps } from '../identity/identity-deps.ts';
import { invite } from '../identity/invitations.ts';
import type { TenantChanges } from './tenant-repository.ts';

export type NewTenant = {
  name: string;
  slug: string;
  defaultCurrency: string;
  defaultLanguage: string;
  signupMode: SignupMode;
  ownerEmail: string;
  sandbox?: boolean;
};

const platform = { kind: 'platform' as const };

function operatorOnly(principal: Principal) {
  if (principal.kind !== 'operator')
    throw new ForbiddenError('not_allowed', 'Only platform operators manage tenants');
}

/**
 * A new tenant: its storefront (slug claimed), the default staff roles, and its owner — invited by
 * email to choose a password. Returns the tenant and the owner's user id.
 */
export async function createTenant(
  deps: IdentityDeps,
  principal: Principal,
  input: NewTenant,
): Promise<{ tenant: Tenant; ownerUserId: string }> {
  operatorOnly(principal);
  const now = deps.clock.now();
  const tenant: Tenant = {
    id: newId('ten', deps.clock),
    slug: input.slug,
    name: input.name,
    status: 'active',
    defaultCurrency: input.defaultCurrency,
    defaultLanguage: input.defaultLanguage,
    signupMode: input.signupMode,
    ...(input.sandbox ? { sandbox: true } : {}),
    createdAt: now.toISOString(),
  };
  await deps.tenants.create(tenant);
  await deps.roles.createDefaults(tenant.id);
  // The owner is invited like any member of staff: they choose their own password.
  const { user: owner } = await invite(
    deps,
    tenant,
    principal,
    { kind: 'staff', email: input.ownerEmail, roles: ['owner'] },
    {},
    'The Nimbus team',
  );
  await recordAudit(deps, platform, {
    action: 'tenant.created',
    principal,
    target: tenant.id,
    details: { slug: tenant.slug },
  });
  return { tenant, ownerUserId: owner.id };
}

export async function listTenants(deps: IdentityDeps, principal: Principal): Promise<Tenant[]> {
  operatorOnly(principal);
  return deps.tenants.list();
}

export async function updateTenant(
  deps: IdentityDeps,
  principal: Principal,
  tenantId: string,
  changes: TenantChanges,
): Promise<Tenant> {
  operatorOnly(principal);
  const current = await deps.tenants.get(tenantId);
  if (!current) throw new NotFoundError('tenant_not_found', `There is no tenant ${tenantId}`);
  const updated = await deps.tenants.update(current, changes);
  await recordAudit(deps, platform, {
    action: 'tenant.updated',
    principal,
    target: tenantId,
    details: { ...changes },
  });
  return updated;
}
