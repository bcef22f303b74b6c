import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';

/**
 * What the HTTP stack needs from the identity context: the tenant of the store in the path and
 * the principal behind the request. Implemented by functions/src/identity/request-authenticator.ts.
 */
export interface RequestAuthenticator {
  /** The active store with this slug, or a 404. */
  tenantOf(slug: string): Promise<Tenant>;
  /** The principal; invalid credentials are a 401 unless `lenient` (public routes: anonymous). */
  principalOf(
    event: APIGatewayProxyEventV2,
    tenant: Tenant | undefined,
    lenient: boolean,
  ): Promise<Principal>;
}

export type RequestIdentity = { tenant: Tenant | undefined; principal: Principal };
