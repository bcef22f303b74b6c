import type { Tenant } from '#shared/tenants/tenant.ts';
import { recordAudit } from './audit.ts';
import { identityEmails } from './emails.ts';
import type { IdentityDeps } from './identity-deps.ts';
import { issueLinkToken, redeemLinkToken } from './one-time-links.ts';
import { sendQuietly } from './registration.ts';
import { hashPassword } from './secrets.ts';
import type { ClientInfo } from './sessions.ts';

/** Emails a reset link if the account exists; the caller learns nothing either way. */
export async function requestPasswordReset(
  deps: IdentityDeps,
  tenant: Tenant,
  email: string,
  client: ClientInfo,
) {
  // A few reset mails per address per window: nobody floods a mailbox through this form.
  const scope = { kind: 'tenant' as const, tenantId: tenant.id };
  const key = `reset:${email}`;
  const now = deps.clock.now();
  const sentAlready = (await deps.throttle.failures(scope, [key], now)).get(key) ?? 0;
  if (sentAlready >= deps.policy.maxResetMailsPerWindow) return;
  const user = await deps.users.findByEmail(tenant.id, email);
  if (user?.status !== 'active' || !user.passwordHash) return;
  await deps.throttle.recordFailure(scope, [key], now);
  const token = await issueLinkToken(
    deps,
    tenant.id,
    { purpose: 'reset_password', userId: user.id },
    deps.policy.resetTtlMs,
  );
  await sendQuietly(deps, identityEmails.resetPassword(deps.publicUrl, tenant, user.email, token));
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'password.reset_requested',
      principal: { kind: 'anonymous' },
      target: user.id,
      ...(client.ip ? { ip: client.ip } : {}),
    },
  );
}

/**
 * Sets the new password and ends every session of the account (whoever had the old password is
 * out). Following the emailed link also proves the email address.
 */
export async function resetPassword(
  deps: IdentityDeps,
  tenant: Tenant,
  input: { token: string; password: string },
  client: ClientInfo,
) {
  const token = await redeemLinkToken(deps, tenant.id, input.token, 'reset_password');
  const scope = { kind: 'tenant' as const, tenantId: tenant.id };
  await deps.users.setPassword(tenant.id, token.userId, await hashPassword(input.password));
  await deps.users.markEmailVerified(tenant.id, token.userId, deps.clock.now());
  await deps.sessions.deleteAllForUser(scope, token.userId);
  await recordAudit(deps, scope, {
    action: 'password.reset',
    principal: { kind: 'anonymous' },
    target: token.userId,
    ...(client.ip ? { ip: client.ip } : {}),
  });
}
