import type { AuditEntry } from '#shared/identity/api.ts';
import { actorOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import { logger } from '../observability/logger.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { SessionScope } from './model.ts';

export type AuditAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'logout'
  | 'session.revoked'
  | 'password.reset_requested'
  | 'password.reset'
  | 'email.verified'
  | 'customer.registered'
  | 'customer.approved'
  | 'customer.rejected'
  | 'apikey.created'
  | 'apikey.revoked'
  | 'staff.invited'
  | 'staff.joined'
  | 'staff.roles_changed'
  | 'role.changed'
  | 'user.invited'
  | 'user.permissions_changed'
  | 'impersonation.started'
  | 'tenant.created'
  | 'tenant.updated'
  | 'product.created'
  | 'product.updated'
  | 'product.published'
  | 'product.retired'
  | 'category.changed'
  | 'catalog_settings.changed'
  | 'basket_rule.changed';

/**
 * Records a security-relevant action. Who did it is always the principal; when staff act as a
 * buyer, the buyer is recorded as `onBehalfOf` beside the staff member.
 */
export async function recordAudit(
  deps: Pick<IdentityDeps, 'audit' | 'clock'>,
  scope: SessionScope,
  entry: {
    action: AuditAction;
    principal: Principal;
    target?: string;
    ip?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const { principal } = entry;
  const impersonated = principal.kind === 'buyer' && principal.impersonator;
  const record: AuditEntry = {
    id: newId('aud', deps.clock),
    at: deps.clock.now().toISOString(),
    action: entry.action,
    actor: impersonated
      ? { kind: 'staff', id: principal.impersonator?.userId as string, email: principal.impersonator?.email }
      : actorOf(principal),
    ...(impersonated ? { onBehalfOf: actorOf(principal) } : {}),
    ...(entry.target ? { target: entry.target } : {}),
    ...(entry.ip ? { ip: entry.ip } : {}),
    ...(entry.details ? { details: entry.details } : {}),
  };
  try {
    await deps.audit.append(scope, record);
  } catch (error) {
    // The action happened; losing its audit line must be loud, not a failed request.
    logger.error('audit entry not written', { entry: record, error: error as Error });
  }
}
