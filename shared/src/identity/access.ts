import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { ApiKeyScope, BuyerPermission, StaffPermission } from './permissions.ts';
import type { AuthenticatedPrincipal, Principal } from './principal.ts';

/**
 * Who may call an operation: every operation declares a list of grants, any one of which admits
 * the caller. Checked by the HTTP stack before the handler runs; resource ownership (this
 * customer's order) is checked again in the use case.
 */
export type Grant =
  | { kind: 'anonymous' }
  | { kind: 'operator' }
  /** Merchant staff of the store's tenant, with the permission when one is named. */
  | { kind: 'staff'; permission?: StaffPermission }
  /** A user of a buyer account of the store's tenant, with the permission when one is named. */
  | { kind: 'buyer'; permission?: BuyerPermission }
  /** An API key of the store's tenant carrying the scope. */
  | { kind: 'apiKey'; scope: ApiKeyScope };

export const isPublic = (access: readonly Grant[]): boolean =>
  access.some((grant) => grant.kind === 'anonymous');

function holds(grant: Grant, principal: AuthenticatedPrincipal): boolean {
  switch (grant.kind) {
    case 'anonymous':
      return true;
    case 'operator':
      return principal.kind === 'operator';
    case 'staff':
    case 'buyer':
      return (
        principal.kind === grant.kind &&
        (!grant.permission || principal.permissions.includes(grant.permission))
      );
    case 'apiKey':
      return principal.kind === 'apiKey' && principal.scopes.includes(grant.scope);
  }
}

function missing(grants: readonly Grant[], principal: AuthenticatedPrincipal): string[] {
  return grants.flatMap((grant) => {
    if (grant.kind !== principal.kind) return [];
    if (grant.kind === 'staff' || grant.kind === 'buyer') return grant.permission ? [grant.permission] : [];
    if (grant.kind === 'apiKey') return [grant.scope];
    return [];
  });
}

/**
 * Admits the principal or throws: 401 without credentials, 403 for another tenant's principal or
 * a missing permission. `storeTenantId` is the tenant of the store in the path (undefined for
 * platform routes).
 *
 * @example authorize([{ kind: 'staff', permission: 'catalog:manage' }], principal, 'ten_1')
 */
export function authorize(
  access: readonly Grant[],
  principal: Principal,
  storeTenantId: string | undefined,
): void {
  if (isPublic(access)) return;
  if (principal.kind === 'anonymous') {
    throw new UnauthenticatedError('authentication_required', 'Sign in or send an API key to use this');
  }
  if (principal.kind !== 'operator' && principal.tenantId !== storeTenantId) {
    throw new ForbiddenError('wrong_store', 'Your sign-in or key belongs to another store');
  }
  if (access.some((grant) => holds(grant, principal))) return;
  const needed = missing(access, principal);
  if (needed.length > 0) {
    throw new ForbiddenError('permission_required', `This needs the permission ${needed.join(' or ')}`, {
      required: needed,
    });
  }
  throw new ForbiddenError('not_allowed', `This is not available to ${describe(principal)}`);
}

function describe(principal: AuthenticatedPrincipal): string {
  switch (principal.kind) {
    case 'operator':
      return 'platform operators';
    case 'staff':
      return 'merchant staff';
    case 'buyer':
      return 'buyer accounts';
    case 'apiKey':
      return 'API keys';
  }
}
