import { ForbiddenError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { type AuditAction, recordAudit } from './audit.ts';
import { identityEmails } from './emails.ts';
import { permissionsOfRoles, requireWithin } from './granting.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { User } from './model.ts';
import { issueLinkToken, redeemLinkToken } from './one-time-links.ts';
import { sendQuietly } from './registration.ts';
import { hashPassword } from './secrets.ts';
import type { ClientInfo } from './sessions.ts';

export type Invitee =
  | { kind: 'staff'; email: string; roles: string[] }
  | { kind: 'buyer'; email: string; customerId: string; permissions: string[] };

/**
 * Creates the invited user (no password yet: they cannot sign in), emails a single-use link to
 * choose a name and password, and records who invited whom. Used for staff, company colleagues and
 * a new tenant's owner.
 */
export async function invite(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  invitee: Invitee,
  client: ClientInfo,
  invitedBy: string,
): Promise<{ user: User; invitationId: string; expiresAt: string }> {
  const now = deps.clock.now();
  const user: User = {
    id: newId('usr', deps.clock),
    tenantId: tenant.id,
    email: invitee.email,
    name: invitee.email,
    status: 'active',
    createdAt: now.toISOString(),
    ...(invitee.kind === 'staff'
      ? { kind: 'staff', roles: [...new Set(invitee.roles)] }
      : {
          kind: 'buyer',
          customerId: invitee.customerId,
          permissions: [...new Set(invitee.permissions)].sort(),
        }),
  };
  await deps.users.create(user);
  const invitationId = newId('inv', deps.clock);
  const token = await issueLinkToken(
    deps,
    tenant.id,
    { purpose: 'invitation', userId: user.id, data: { invitationId } },
    deps.policy.invitationTtlMs,
  );
  await sendQuietly(deps, identityEmails.invitation(deps.publicUrl, tenant, invitee.email, token, invitedBy));
  const action: AuditAction = invitee.kind === 'staff' ? 'staff.invited' : 'user.invited';
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action,
      principal,
      target: user.id,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { ...invitee },
    },
  );
  return {
    user,
    invitationId,
    expiresAt: new Date(now.getTime() + deps.policy.invitationTtlMs).toISOString(),
  };
}

/** Owners and admins invite staff; nobody grants a role carrying permissions they lack (an admin cannot make an owner). */
export async function inviteStaff(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  input: { email: string; roles: string[] },
  client: ClientInfo,
) {
  if (principal.kind !== 'staff') throw new ForbiddenError('not_allowed', 'Only staff invite staff');
  requireWithin(permissionsOfRoles(await deps.roles.all(tenant.id), input.roles), principal.permissions);
  const { invitationId, expiresAt } = await invite(
    deps,
    tenant,
    principal,
    { kind: 'staff', ...input },
    client,
    principal.email,
  );
  return { invitationId, email: input.email, expiresAt };
}

export async function acceptInvitation(
  deps: IdentityDeps,
  tenant: Tenant,
  input: { token: string; name: string; password: string },
  client: ClientInfo,
) {
  const token = await redeemLinkToken(deps, tenant.id, input.token, 'invitation');
  await deps.users.completeInvitation(
    tenant.id,
    token.userId,
    input.name,
    await hashPassword(input.password),
    deps.clock.now(),
  );
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'staff.joined',
      principal: { kind: 'anonymous' },
      target: token.userId,
      ...(client.ip ? { ip: client.ip } : {}),
    },
  );
}
