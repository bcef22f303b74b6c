import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import {
  cookieValue,
  OPERATOR_SESSION_COOKIE,
  PLATFORM_SCOPE,
  parseApiKey,
  parseSessionToken,
  SESSION_COOKIE,
} from './credentials.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { SessionScope } from './model.ts';
import { digest } from './secrets.ts';
import { principalOf } from './sessions.ts';

/** What of a request the authenticator reads. */
export type Credentials = {
  method: string;
  cookies: string[] | undefined;
  authorization: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The host the request was sent to, for the same-origin check. */
  host: string | undefined;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const invalidCredentials = (why: string) =>
  new UnauthenticatedError('invalid_credentials', `${why}: sign in again or use a valid API key`);

/** The store in the path: active tenants only (a suspended store is not found, as a missing one). */
export async function storeTenant(deps: Pick<IdentityDeps, 'tenants'>, slug: string): Promise<Tenant> {
  const tenant = await deps.tenants.findBySlug(slug);
  if (tenant?.status !== 'active') throw new NotFoundError('store_not_found', `There is no store '${slug}'`);
  return tenant;
}

/**
 * Cookie-authenticated writes must come from our own pages: the browser's Origin (or, failing
 * that, Sec-Fetch-Site) must say so. API keys are not sent by browsers on their own, so they need
 * no such check.
 */
export function checkCsrf(credentials: Credentials, publicUrl: string): void {
  if (SAFE_METHODS.has(credentials.method)) return;
  const allowed = new Set([new URL(publicUrl).origin]);
  if (credentials.host) {
    allowed.add(`https://${credentials.host}`);
    allowed.add(`http://${credentials.host}`);
  }
  if (credentials.origin ? allowed.has(credentials.origin) : credentials.secFetchSite === 'same-origin')
    return;
  throw new ForbiddenError(
    'csrf_rejected',
    'This request did not come from the store’s own pages (Origin check failed); API clients should use an API key',
  );
}

/**
 * Who is asking: from an API key (Authorization: Bearer) or the session cookie. No credentials
 * give the anonymous principal; credentials that do not check out (unknown, expired, revoked)
 * are a 401 — unless `lenient`, for public routes, where they count as anonymous.
 */
export async function resolvePrincipal(
  deps: IdentityDeps,
  credentials: Credentials,
  tenant: Tenant | undefined,
  options: { lenient: boolean },
): Promise<Principal> {
  try {
    return await resolveStrictly(deps, credentials, tenant);
  } catch (error) {
    if (options.lenient && error instanceof UnauthenticatedError) return { kind: 'anonymous' };
    throw error;
  }
}

async function resolveStrictly(deps: IdentityDeps, credentials: Credentials, tenant: Tenant | undefined) {
  const now = deps.clock.now();
  const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
  // A bearer is an API key, or a session token handed out for impersonation.
  if (bearer?.startsWith('nmb_')) return apiKeyPrincipal(deps, bearer, now);

  const cookie = bearer
    ? undefined
    : cookieValue(credentials.cookies, tenant ? SESSION_COOKIE : OPERATOR_SESSION_COOKIE);
  if (!bearer && !cookie) return { kind: 'anonymous' } as const;
  const token = parseSessionToken(bearer ?? (cookie as string));
  if (!token)
    throw invalidCredentials(bearer ? 'The bearer token is not valid' : 'The session cookie is not valid');
  const scope: SessionScope =
    token.scope === PLATFORM_SCOPE ? { kind: 'platform' } : { kind: 'tenant', tenantId: token.scope };
  // The token names its user: read the session and its user (or operator) at once, not one after the other.
  const [session, owner] = await Promise.all([
    deps.sessions.get(scope, token.userId, digest(token.secret), now),
    scope.kind === 'platform'
      ? deps.operators.get(token.userId)
      : deps.users.get(scope.tenantId, token.userId),
  ]);
  if (!session || !owner) throw invalidCredentials('Your session has ended');
  // Browsers send cookies on their own; bearer tokens are sent only by code that holds them.
  if (!bearer) checkCsrf(credentials, deps.publicUrl);
  await deps.sessions.touch(session, now);

  if (!('kind' in owner)) {
    // An operator (platform scope); users carry a kind, staff or buyer.
    return { kind: 'operator', operatorId: owner.id, email: owner.email, sessionId: session.id } as const;
  }
  const user = owner;
  if (user.status !== 'active') throw invalidCredentials('Your account is not active');
  if (user.kind === 'buyer') {
    const customer = await deps.customers.get(user.tenantId, user.customerId as string);
    if (customer?.status !== 'active') throw invalidCredentials('Your customer account is not active');
  }
  return principalOf(deps, user, session);
}

async function apiKeyPrincipal(deps: IdentityDeps, bearer: string, now: Date): Promise<Principal> {
  const token = parseApiKey(bearer);
  if (!token) throw invalidCredentials('The API key is not valid');
  const key = await deps.apiKeys.get(token.tenantId, token.keyId);
  if (!key || key.secretDigest !== digest(token.secret)) throw invalidCredentials('The API key is not valid');
  if (key.revokedAt) throw invalidCredentials('The API key has been revoked');
  if (key.owner.kind === 'customer') {
    const customer = await deps.customers.get(key.tenantId, key.owner.customerId);
    if (customer?.status !== 'active') throw invalidCredentials('The API key belongs to an inactive account');
  }
  await deps.apiKeys.recordUse(key, now);
  return { kind: 'apiKey', tenantId: key.tenantId, keyId: key.id, owner: key.owner, scopes: key.scopes };
}
