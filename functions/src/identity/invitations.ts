import { ForbiddenError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { recordAudit } from './audit.ts';
import { identityEmails } from './emails.ts';
import type { IdentityDeps } from './identity-deps.ts';
import { issueLinkToken, redeemLinkToken } from './one-time-links.ts';
import { sendQuietly } from './registration.ts';
import { hashPassword } from './secrets.ts';
import type { ClientInfo } from './sessions.ts';

/**
 * Owners and admins invite staff by email. Nobody grants a role carrying permissions they do not
 * hold themselves (an admin cannot make an owner).
 */
export async function inviteStaff(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  input: { email: string; roles: string[] },
  client: ClientInfo,
) {
  if (principal.kind !== 'staff') throw new ForbiddenError('not_allowed', 'Only staff invite staff');
  const roles = await deps.roles.all(tenant.id);
  const unknown = input.roles.filter((role) => !roles.has(role));
  if (unknown.length > 0) {
    throw new ValidationError('unknown_role', `This store has no role ${unknown.join(', ')}`, [
      { path: 'body.roles', message: `unknown: ${unknown.join(', ')}`, code: 'unknown_role' },
    ]);
  }
  const granted = input.roles.flatMap((role) => roles.get(role) ?? []);
  const beyondOwn = [...new Set(granted.filter((permission) => !principal.permissions.includes(permission)))];
  if (beyondOwn.length > 0) {
    throw new ForbiddenError(
      'cannot_grant',
      `You cannot grant permissions you do not have: ${beyondOwn.join(', ')}`,
    );
  }
  const now = deps.clock.now();
  const userId = newId('usr', deps.clock);
  await deps.users.create({
    id: userId,
    tenantId: tenant.id,
    kind: 'staff',
    email: input.email,
    name: input.email,
    status: 'active',
    roles: [...new Set(input.roles)],
    createdAt: now.toISOString(),
  });
  const invitationId = newId('inv', deps.clock);
  const token = await issueLinkToken(
    deps,
    tenant.id,
    { purpose: 'invitation', userId, data: { invitationId } },
    deps.policy.invitationTtlMs,
  );
  await sendQuietly(
    deps,
    identityEmails.staffInvitation(deps.publicUrl, tenant, input.email, token, principal.email),
  );
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'staff.invited',
      principal,
      target: userId,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { email: input.email, roles: input.roles },
    },
  );
  return {
    invitationId,
    email: input.email,
    expiresAt: new Date(now.getTime() + deps.policy.invitationTtlMs).toISOString(),
  };
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
