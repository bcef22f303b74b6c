import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { UserView } from '#shared/identity/admin-api.ts';
import { STAFF_PERMISSIONS } from '#shared/identity/permissions.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { type AuditAction, recordAudit } from './audit.ts';
import { permissionsOfRoles, requireWithin } from './granting.ts';
import type { IdentityDeps } from './identity-deps.ts';
import { invite } from './invitations.ts';
import type { ClientInfo } from './sessions.ts';
import { customerView, userView } from './views.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;
type Buyer = Extract<Principal, { kind: 'buyer' }>;

function staffOf(principal: Principal): Staff {
  if (principal.kind !== 'staff') throw new ForbiddenError('not_allowed', 'Only merchant staff do this');
  return principal;
}
function buyerOf(principal: Principal): Buyer {
  if (principal.kind !== 'buyer') throw new ForbiddenError('not_allowed', 'Only buyers do this');
  return principal;
}

/** Records a change of what someone may do: from → to. */
function auditChange(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  client: ClientInfo,
  change: { action: AuditAction; target: string; from: string[]; to: string[]; customerId?: string },
) {
  const { action, target, ...details } = change;
  return recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action,
      principal,
      target,
      ...(client.ip ? { ip: client.ip } : {}),
      details,
    },
  );
}

export async function listStaff(deps: IdentityDeps, tenant: Tenant): Promise<UserView[]> {
  const staff = await deps.users.staffMembers(tenant.id);
  return staff.sort((a, b) => a.email.localeCompare(b.email)).map(userView);
}

export async function setStaffRoles(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  userId: string,
  roles: string[],
  client: ClientInfo,
): Promise<UserView> {
  const actor = staffOf(principal);
  if (userId === actor.userId)
    throw new ForbiddenError('own_roles', 'Ask another administrator to change your roles');
  const user = await deps.users.get(tenant.id, userId);
  if (user?.kind !== 'staff') throw new NotFoundError('user_not_found', 'There is no such member of staff');
  // What is given and what is taken away must both be within the actor's own permissions.
  requireWithin(
    permissionsOfRoles(await deps.roles.all(tenant.id), [...roles, ...(user.roles ?? [])]),
    actor.permissions,
  );
  const unique = [...new Set(roles)];
  await deps.users.setRoles(tenant.id, userId, unique);
  await auditChange(deps, tenant, principal, client, {
    action: 'staff.roles_changed',
    target: userId,
    from: user.roles ?? [],
    to: unique,
  });
  return userView({ ...user, roles: unique });
}

export async function listRoles(deps: IdentityDeps, tenant: Tenant) {
  const roles = await deps.roles.all(tenant.id);
  return {
    items: [...roles]
      .map(([name, permissions]) => ({ name, permissions }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    permissions: [...STAFF_PERMISSIONS],
  };
}

export async function putRole(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  name: string,
  permissions: string[],
  client: ClientInfo,
) {
  const actor = staffOf(principal);
  if (name === 'owner')
    throw new ForbiddenError('owner_role_fixed', 'The owner role always has every permission');
  const existing = (await deps.roles.all(tenant.id)).get(name) ?? [];
  requireWithin([...permissions, ...existing], actor.permissions);
  const unique = [...new Set(permissions)].sort();
  await deps.roles.put(tenant.id, name, unique);
  await auditChange(deps, tenant, principal, client, {
    action: 'role.changed',
    target: `role:${name}`,
    from: existing,
    to: unique,
  });
  return { name, permissions: unique };
}

export async function getAccount(deps: IdentityDeps, principal: Principal) {
  const buyer = buyerOf(principal);
  const customer = await deps.customers.get(buyer.tenantId, buyer.customerId);
  if (!customer) throw new NotFoundError('customer_not_found', 'Your account was not found');
  return customerView(customer);
}

/** Only users of the caller's own customer account: another account's users are never listed. */
export async function listCustomerUsers(deps: IdentityDeps, principal: Principal): Promise<UserView[]> {
  const buyer = buyerOf(principal);
  const ids = await deps.users.customerMemberIds(buyer.tenantId, buyer.customerId);
  const users = await Promise.all(ids.map((id) => deps.users.get(buyer.tenantId, id)));
  return users
    .filter((user) => user !== undefined)
    .sort((a, b) => a.email.localeCompare(b.email))
    .map(userView);
}

export async function inviteCustomerUser(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  input: { email: string; permissions: string[] },
  client: ClientInfo,
): Promise<UserView> {
  const buyer = buyerOf(principal);
  requireWithin(input.permissions, buyer.permissions);
  const { user } = await invite(
    deps,
    tenant,
    principal,
    { kind: 'buyer', email: input.email, customerId: buyer.customerId, permissions: input.permissions },
    client,
    buyer.email,
  );
  return userView(user);
}

export async function setCustomerUserPermissions(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  userId: string,
  permissions: string[],
  client: ClientInfo,
): Promise<UserView> {
  const buyer = buyerOf(principal);
  if (userId === buyer.userId)
    throw new ForbiddenError('own_permissions', 'Ask another user to change your permissions');
  const user = await deps.users.get(tenant.id, userId);
  // Another customer's user, or staff, is simply not found here.
  if (user?.kind !== 'buyer' || user.customerId !== buyer.customerId) {
    throw new NotFoundError('user_not_found', 'There is no such user in your account');
  }
  requireWithin([...permissions, ...(user.permissions ?? [])], buyer.permissions);
  const unique = [...new Set(permissions)].sort();
  await deps.users.setPermissions(tenant.id, userId, unique);
  await auditChange(deps, tenant, principal, client, {
    action: 'user.permissions_changed',
    target: userId,
    from: user.permissions ?? [],
    to: unique,
    customerId: buyer.customerId,
  });
  return userView({ ...user, permissions: unique });
}

export async function updateStoreSettings(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  signupMode: Tenant['signupMode'],
  client: ClientInfo,
) {
  staffOf(principal);
  const updated = await deps.tenants.update(tenant, { signupMode });
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'tenant.updated',
      principal,
      target: tenant.id,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { signupMode },
    },
  );
  return { signupMode: updated.signupMode };
}
