import { ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError } from '#shared/errors.ts';
import type { SessionView } from '#shared/identity/api.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { recordAudit } from './audit.ts';
import {
  clearedCookie,
  formatSessionToken,
  parseSessionToken,
  SESSION_COOKIE,
  sessionCookie,
} from './credentials.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { Session, SessionScope, User } from './model.ts';
import { digest, newSecret, spendPasswordCheck, verifyPassword } from './secrets.ts';

export type ClientInfo = { ip?: string; userAgent?: string };

type StorePrincipal = Extract<Principal, { kind: 'staff' | 'buyer' }>;

const tenantScope = (tenant: Tenant): SessionScope => ({ kind: 'tenant', tenantId: tenant.id });

export async function throttleCheck(
  deps: IdentityDeps,
  scope: SessionScope,
  email: string,
  client: ClientInfo,
) {
  const now = deps.clock.now();
  const accountKey = `account:${email}`;
  const ipKey = `ip:${client.ip ?? 'unknown'}`;
  const failures = await deps.throttle.failures(scope, [accountKey, ipKey], now);
  const { maxFailuresPerAccount, maxFailuresPerIp } = deps.policy;
  const overAccount = (failures.get(accountKey) ?? 0) >= maxFailuresPerAccount;
  const overIp = (failures.get(ipKey) ?? 0) >= maxFailuresPerIp;
  if (overAccount || overIp) {
    const retryAfterSeconds = Math.ceil(
      (deps.throttle.windowStart(now) + deps.policy.throttleWindowMs - now.getTime()) / 1000,
    );
    throw new RateLimitedError(
      'too_many_attempts',
      `Too many failed sign-ins ${overAccount ? 'for this account' : 'from your network'}; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
      { retryAfterSeconds },
    );
  }
  return { accountKey, ipKey };
}

/**
 * Checks a password against its hash — spending the same work when there is no account, so timing
 * tells nothing — and on failure counts it, records it and answers 401, the same for either cause.
 */
export async function checkPassword(
  deps: IdentityDeps,
  scope: SessionScope,
  throttleKeys: { accountKey: string; ipKey: string },
  input: { email: string; password: string },
  passwordHash: string | undefined,
  client: ClientInfo,
): Promise<void> {
  if (passwordHash) {
    if (await verifyPassword(input.password, passwordHash)) return;
  } else {
    await spendPasswordCheck(input.password);
  }
  await deps.throttle.recordFailure(scope, [throttleKeys.accountKey, throttleKeys.ipKey], deps.clock.now());
  await recordAudit(deps, scope, {
    action: 'login.failed',
    principal: { kind: 'anonymous' },
    target: input.email,
    ...(client.ip ? { ip: client.ip } : {}),
  });
  throw new UnauthenticatedError('invalid_login', 'The email or the password is wrong');
}

/** A new session with a fresh secret (only its digest is stored); sessions of staff acting as a buyer name them. */
export async function startSession(
  deps: IdentityDeps,
  scope: SessionScope,
  userId: string,
  client: ClientInfo,
  options: { ttlMs?: number; impersonator?: Session['impersonator']; userAgent?: string } = {},
): Promise<{ session: Session; secret: string }> {
  const now = deps.clock.now();
  const secret = newSecret();
  const userAgent = options.userAgent ?? client.userAgent;
  const session: Session = {
    id: digest(secret),
    scope,
    userId,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (options.ttlMs ?? deps.policy.sessionTtlMs)).toISOString(),
    ...(client.ip ? { ip: client.ip } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
    ...(options.impersonator ? { impersonator: options.impersonator } : {}),
  };
  await deps.sessions.create(session);
  return { session, secret };
}

/**
 * Email + password sign-in to a store. Always a new session id (a session cookie sent along is
 * ended, so a planted session cannot be carried over). Failures are throttled per account and
 * per IP; the answer never tells whether the email exists.
 */
export async function login(
  deps: IdentityDeps,
  tenant: Tenant,
  input: { email: string; password: string },
  client: ClientInfo,
  previousCookie: string | undefined,
): Promise<{ view: SessionView; cookie: string }> {
  const scope = tenantScope(tenant);
  const now = deps.clock.now();
  let throttleKeys: { accountKey: string; ipKey: string };
  try {
    throttleKeys = await throttleCheck(deps, scope, input.email, client);
  } catch (error) {
    await recordAudit(deps, scope, {
      action: 'login.throttled',
      principal: { kind: 'anonymous' },
      target: input.email,
      ...(client.ip ? { ip: client.ip } : {}),
    });
    throw error;
  }

  const user = await deps.users.findByEmail(tenant.id, input.email);
  const active = user?.status === 'active' ? user : undefined;
  await checkPassword(deps, scope, throttleKeys, input, active?.passwordHash, client);
  if (!user) throw new Error('unreachable: checkPassword refuses unknown users');
  if (!user.emailVerifiedAt) {
    throw new ForbiddenError(
      'email_not_verified',
      'Confirm your email address first: use the link we sent you',
    );
  }
  if (user.kind === 'buyer') {
    const customer = await deps.customers.get(tenant.id, user.customerId as string);
    if (customer?.status === 'pending_approval') {
      throw new ForbiddenError('account_pending_approval', 'The store has not approved your account yet');
    }
    if (customer?.status !== 'active')
      throw new ForbiddenError('account_not_active', 'This account is not active');
  }
  await deps.throttle.clear(scope, throttleKeys.accountKey, now);

  const previous = previousCookie ? parseSessionToken(previousCookie) : undefined;
  if (previous && previous.scope === tenant.id) {
    await deps.sessions.delete(scope, previous.userId, digest(previous.secret));
  }

  const { session, secret } = await startSession(deps, scope, user.id, client);
  const principal = await principalOf(deps, user, session);
  await recordAudit(deps, scope, {
    action: 'login.succeeded',
    principal,
    ...(client.ip ? { ip: client.ip } : {}),
  });
  return {
    view: sessionView(principal, user, session),
    cookie: sessionCookie(
      SESSION_COOKIE,
      formatSessionToken({ scope: tenant.id, userId: user.id, secret }),
      Math.floor(deps.policy.sessionTtlMs / 1000),
    ),
  };
}

export async function principalOf(deps: IdentityDeps, user: User, session: Session): Promise<StorePrincipal> {
  if (user.kind === 'staff') {
    const roles = user.roles ?? [];
    return {
      kind: 'staff',
      tenantId: user.tenantId,
      userId: user.id,
      email: user.email,
      roles,
      permissions: await deps.roles.permissionsOf(user.tenantId, roles),
      sessionId: session.id,
    };
  }
  return {
    kind: 'buyer',
    tenantId: user.tenantId,
    customerId: user.customerId as string,
    userId: user.id,
    email: user.email,
    permissions: user.permissions ?? [],
    sessionId: session.id,
    ...(session.impersonator ? { impersonator: session.impersonator } : {}),
  };
}

export function sessionView(principal: StorePrincipal, user: User, session: Session): SessionView {
  return {
    principal: principal.kind,
    tenantId: principal.tenantId,
    userId: user.id,
    email: user.email,
    name: user.name,
    ...(principal.kind === 'buyer' ? { customerId: principal.customerId } : { roles: principal.roles }),
    permissions: principal.permissions,
    ...(principal.kind === 'buyer' && principal.impersonator
      ? { impersonatedBy: principal.impersonator }
      : {}),
    expiresAt: session.expiresAt,
  };
}

function storePrincipal(principal: Principal): StorePrincipal {
  if (principal.kind !== 'staff' && principal.kind !== 'buyer') {
    throw new ForbiddenError('session_required', 'This needs a signed-in session, not an API key');
  }
  return principal;
}

export async function currentSession(deps: IdentityDeps, principal: Principal): Promise<SessionView> {
  const signedIn = storePrincipal(principal);
  const scope: SessionScope = { kind: 'tenant', tenantId: signedIn.tenantId };
  const [user, session] = await Promise.all([
    deps.users.get(signedIn.tenantId, signedIn.userId),
    deps.sessions.get(scope, signedIn.userId, signedIn.sessionId, deps.clock.now()),
  ]);
  if (!user || !session) throw new UnauthenticatedError('invalid_credentials', 'Your session has ended');
  return sessionView(signedIn, user, session);
}

export async function logout(deps: IdentityDeps, principal: Principal, client: ClientInfo): Promise<string> {
  const signedIn = storePrincipal(principal);
  const scope: SessionScope = { kind: 'tenant', tenantId: signedIn.tenantId };
  await deps.sessions.delete(scope, signedIn.userId, signedIn.sessionId);
  await recordAudit(deps, scope, { action: 'logout', principal, ...(client.ip ? { ip: client.ip } : {}) });
  return clearedCookie(SESSION_COOKIE);
}

export async function listSessions(deps: IdentityDeps, principal: Principal) {
  const signedIn = storePrincipal(principal);
  const sessions = await deps.sessions.listForUser(
    { kind: 'tenant', tenantId: signedIn.tenantId },
    signedIn.userId,
    deps.clock.now(),
  );
  return sessions
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((session) => ({
      id: session.id,
      current: session.id === signedIn.sessionId,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
      ...(session.userAgent ? { userAgent: session.userAgent } : {}),
      ...(session.ip ? { ip: session.ip } : {}),
      ...(session.impersonator ? { impersonatedBy: session.impersonator } : {}),
    }));
}

/** Ends one of the caller's own sessions; another user's session id is simply not found. */
export async function revokeSession(
  deps: IdentityDeps,
  principal: Principal,
  sessionId: string,
  client: ClientInfo,
) {
  const signedIn = storePrincipal(principal);
  const scope: SessionScope = { kind: 'tenant', tenantId: signedIn.tenantId };
  const removed = await deps.sessions.delete(scope, signedIn.userId, sessionId);
  if (!removed) throw new NotFoundError('session_not_found', 'You have no such session');
  await recordAudit(deps, scope, {
    action: 'session.revoked',
    principal,
    target: sessionId,
    ...(client.ip ? { ip: client.ip } : {}),
  });
  return { endedCurrent: sessionId === signedIn.sessionId };
}
