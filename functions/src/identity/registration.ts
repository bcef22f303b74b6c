import type * as z from 'zod';
import { ForbiddenError } from '#shared/errors.ts';
import type { CustomerRegistration } from '#shared/identity/api.ts';
import { BUYER_OWNER_PERMISSIONS } from '#shared/identity/permissions.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { logger } from '../observability/logger.ts';
import { recordAudit } from './audit.ts';
import { identityEmails } from './emails.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { Customer, User } from './model.ts';
import { issueLinkToken, redeemLinkToken } from './one-time-links.ts';
import { hashPassword } from './secrets.ts';
import type { ClientInfo } from './sessions.ts';

type Registration = z.output<typeof CustomerRegistration>;

/**
 * A buyer signs up as the store allows: open → active account, email to verify; application →
 * pending until the merchant decides (no access before), merchant notified; invite-only → 403.
 */
export async function registerCustomer(
  deps: IdentityDeps,
  storeTenant: Tenant,
  input: Registration,
  client: ClientInfo,
) {
  // Read fresh: the signup mode may have changed since this instance cached the store.
  const tenant = (await deps.tenants.get(storeTenant.id)) ?? storeTenant;
  if (tenant.signupMode === 'invite_only') {
    throw new ForbiddenError('signup_closed', `${tenant.name} takes new customers by invitation only`);
  }
  const now = deps.clock.now().toISOString();
  const customerId = newId('cus', deps.clock);
  const owner: User = {
    id: newId('usr', deps.clock),
    tenantId: tenant.id,
    kind: 'buyer',
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    status: 'active',
    customerId,
    permissions: [...BUYER_OWNER_PERMISSIONS],
    createdAt: now,
  };
  const customer: Customer = {
    id: customerId,
    tenantId: tenant.id,
    type: input.type,
    name: input.type === 'company' ? input.companyName : input.name,
    country: input.country,
    ...(input.type === 'company' && input.vatId ? { vatId: input.vatId } : {}),
    ...(input.type === 'company' && input.message ? { applicationMessage: input.message } : {}),
    status: tenant.signupMode === 'application' ? 'pending_approval' : 'active',
    ownerUserId: owner.id,
    createdAt: now,
  };
  await deps.customers.createWithOwner(customer, owner);
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'customer.registered',
      principal: { kind: 'anonymous' },
      target: customer.id,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { type: customer.type, status: customer.status },
    },
  );

  // The account exists now; a mail that fails is logged, and the person can ask for a new link.
  const token = await issueLinkToken(
    deps,
    tenant.id,
    { purpose: 'verify_email', userId: owner.id },
    deps.policy.verificationTtlMs,
  );
  await sendQuietly(deps, identityEmails.verifyEmail(deps.publicUrl, tenant, owner.email, token));
  if (customer.status === 'pending_approval') await notifyReviewers(deps, tenant, customer.name);

  return {
    customerId,
    status: customer.status === 'pending_approval' ? ('pending_approval' as const) : ('active' as const),
    next: customer.status === 'pending_approval' ? ('await_approval' as const) : ('verify_email' as const),
  };
}

export async function verifyEmail(deps: IdentityDeps, tenant: Tenant, secret: string, client: ClientInfo) {
  const token = await redeemLinkToken(deps, tenant.id, secret, 'verify_email');
  await deps.users.markEmailVerified(tenant.id, token.userId, deps.clock.now());
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'email.verified',
      principal: { kind: 'anonymous' },
      target: token.userId,
      ...(client.ip ? { ip: client.ip } : {}),
    },
  );
}

async function notifyReviewers(deps: IdentityDeps, tenant: Tenant, company: string) {
  const reviewers = await staffWithPermission(deps, tenant.id, 'customers:manage');
  await Promise.all(
    reviewers.map((email) =>
      sendQuietly(deps, identityEmails.applicationReceived(deps.publicUrl, tenant, email, company)),
    ),
  );
}

/** Emails of active staff whose roles grant the permission. */
export async function staffWithPermission(
  deps: IdentityDeps,
  tenantId: string,
  permission: string,
): Promise<string[]> {
  const [staff, roles] = await Promise.all([deps.users.staffMembers(tenantId), deps.roles.all(tenantId)]);
  return staff
    .filter((user) => user.status === 'active' && user.passwordHash)
    .filter((user) => (user.roles ?? []).some((role) => roles.get(role)?.includes(permission)))
    .map((user) => user.email);
}

export async function sendQuietly(
  deps: Pick<IdentityDeps, 'email'>,
  message: Parameters<IdentityDeps['email']['send']>[0],
) {
  try {
    await deps.email.send(message);
  } catch (error) {
    logger.error('email not sent', { to: message.to, subject: message.subject, error: error as Error });
  }
}
