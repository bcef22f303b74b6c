import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { CustomerView } from '#shared/identity/admin-api.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { recordAudit } from './audit.ts';
import { formatSessionToken } from './credentials.ts';
import { identityEmails } from './emails.ts';
import type { IdentityDeps } from './identity-deps.ts';
import { sendQuietly } from './registration.ts';
import { type ClientInfo, startSession } from './sessions.ts';
import { customerView } from './views.ts';

/** How long staff may act as a customer with one token. */
export const IMPERSONATION_TTL_MS = 60 * 60_000;

function staffOf(principal: Principal) {
  if (principal.kind !== 'staff') throw new ForbiddenError('not_allowed', 'Only merchant staff do this');
  return principal;
}

export async function listApplications(deps: IdentityDeps, tenant: Tenant): Promise<CustomerView[]> {
  const ids = await deps.customers.pendingApplicationIds(tenant.id);
  const customers = await Promise.all(ids.map((id) => deps.customers.get(tenant.id, id)));
  return customers.filter((customer) => customer !== undefined).map(customerView);
}

/** Approves or rejects a pending application, once; the applicant is told by email. */
export async function decideApplication(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  customerId: string,
  approve: boolean,
  reason: string | undefined,
  client: ClientInfo,
): Promise<CustomerView> {
  staffOf(principal);
  const customer = await deps.customers.get(tenant.id, customerId);
  if (!customer) throw new NotFoundError('customer_not_found', 'There is no such customer');
  try {
    await deps.customers.decide(tenant.id, customerId, approve ? 'active' : 'rejected');
  } catch (error) {
    if (error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException) {
      throw new ConflictError(
        'not_pending',
        `This customer is ${customer.status}, not waiting for a decision`,
        {
          status: customer.status,
        },
      );
    }
    throw error;
  }
  const owner = await deps.users.get(tenant.id, customer.ownerUserId);
  if (owner) await sendQuietly(deps, identityEmails.applicationDecided(tenant, owner.email, approve));
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: approve ? 'customer.approved' : 'customer.rejected',
      principal,
      target: customerId,
      ...(client.ip ? { ip: client.ip } : {}),
      ...(reason ? { details: { reason } } : {}),
    },
  );
  return customerView({ ...customer, status: approve ? 'active' : 'rejected' });
}

/**
 * Staff act as a customer through a short-lived bearer token: a session of the customer's owner
 * that names the staff member. The buyer sees it among their sessions; audit entries carry both.
 */
export async function impersonateCustomer(
  deps: IdentityDeps,
  tenant: Tenant,
  principal: Principal,
  customerId: string,
  reason: string,
  client: ClientInfo,
) {
  const actor = staffOf(principal);
  const customer = await deps.customers.get(tenant.id, customerId);
  if (customer?.status !== 'active')
    throw new NotFoundError('customer_not_found', 'There is no such active customer');
  const { session, secret } = await startSession(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    customer.ownerUserId,
    client,
    {
      ttlMs: IMPERSONATION_TTL_MS,
      impersonator: { userId: actor.userId, email: actor.email },
      userAgent: `staff ${actor.email}`,
    },
  );
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    {
      action: 'impersonation.started',
      principal,
      target: customerId,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { reason, actingAsUserId: customer.ownerUserId },
    },
  );
  return {
    token: formatSessionToken({ scope: tenant.id, userId: customer.ownerUserId, secret }),
    customerId,
    userId: customer.ownerUserId,
    expiresAt: session.expiresAt,
  };
}
