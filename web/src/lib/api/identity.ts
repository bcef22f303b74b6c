/**
 * Store identity: sign-in, the session, sign-up and the emailed links
 * (`/api/v1/stores/{store}/auth/...`, `/api/v1/stores/{store}/customers`). The session is an
 * httpOnly cookie the browser keeps and sends; this code never sees it.
 */
import type * as z from 'zod';
import type {
  CustomerRegistration,
  RegistrationResult as RegistrationResultSchema,
  SessionSummary as SessionSummarySchema,
  SessionView,
} from '#shared/identity/api.ts';
import {
  type ApiOptions,
  type ApiProblem,
  type ApiResult,
  getJson,
  isRecord,
  postOnce,
  requestJson,
  send,
} from './http.ts';
import { isDateTime, isOptional, isString, isStringArray, optional, parseItems } from './parse.ts';

export type { SessionView };
export type SessionSummary = z.output<typeof SessionSummarySchema>;
export type Registration = z.input<typeof CustomerRegistration>;
export type RegistrationResult = z.output<typeof RegistrationResultSchema>;
export type Principal = SessionView['principal'];
export type ActingUser = { userId: string; email: string };

export const storePath = (store: string, rest = '') => `/api/v1/stores/${encodeURIComponent(store)}${rest}`;
/** The merchant console's part of a store's API: `/api/v1/stores/{store}/admin{rest}`. */
export const adminPath = (store: string, rest: string) => storePath(store, `/admin${rest}`);

const PRINCIPALS: readonly string[] = ['staff', 'buyer', 'operator'] satisfies Principal[];

function parseActingUser(value: unknown): ActingUser | undefined {
  if (!isRecord(value) || !isString(value.userId) || !isString(value.email)) return undefined;
  return { userId: value.userId, email: value.email };
}

export function parseSessionView(body: unknown): SessionView | undefined {
  if (!isRecord(body)) return undefined;
  const {
    principal,
    tenantId,
    userId,
    email,
    name,
    customerId,
    roles,
    permissions,
    impersonatedBy,
    expiresAt,
  } = body;
  if (!isString(principal) || !PRINCIPALS.includes(principal)) return undefined;
  if (!isString(userId) || !isString(email) || !isString(name) || !isDateTime(expiresAt)) return undefined;
  if (!isStringArray(permissions) || !isOptional(roles, isStringArray)) return undefined;
  if (!isOptional(tenantId, isString) || !isOptional(customerId, isString)) return undefined;
  const acting = impersonatedBy === undefined ? undefined : parseActingUser(impersonatedBy);
  if (impersonatedBy !== undefined && !acting) return undefined;
  return {
    principal: principal as Principal,
    ...optional('tenantId', tenantId),
    userId,
    email,
    name,
    ...optional('customerId', customerId),
    ...optional('roles', roles),
    permissions,
    ...(acting ? { impersonatedBy: acting } : {}),
    expiresAt,
  };
}

function parseSessionSummary(value: unknown): SessionSummary | undefined {
  if (!isRecord(value)) return undefined;
  const { id, current, createdAt, lastSeenAt, expiresAt, userAgent, ip, impersonatedBy } = value;
  if (!isString(id) || typeof current !== 'boolean') return undefined;
  if (!isDateTime(createdAt) || !isDateTime(lastSeenAt) || !isDateTime(expiresAt)) return undefined;
  if (!isOptional(userAgent, isString) || !isOptional(ip, isString)) return undefined;
  const acting = impersonatedBy === undefined ? undefined : parseActingUser(impersonatedBy);
  if (impersonatedBy !== undefined && !acting) return undefined;
  return {
    id,
    current,
    createdAt,
    lastSeenAt,
    expiresAt,
    ...optional('userAgent', userAgent),
    ...optional('ip', ip),
    ...(acting ? { impersonatedBy: acting } : {}),
  };
}

export function parseRegistrationResult(body: unknown): RegistrationResult | undefined {
  if (!isRecord(body)) return undefined;
  const { customerId, status, next } = body;
  if (!isString(customerId)) return undefined;
  if (status !== 'active' && status !== 'pending_approval') return undefined;
  if (next !== 'verify_email' && next !== 'await_approval') return undefined;
  return { customerId, status, next };
}

/** `POST auth/login`: 200 with the session (and the cookie), 401 invalid_login, 429 too_many_attempts. */
export function login(
  store: string,
  credentials: { email: string; password: string },
  options?: ApiOptions,
): Promise<ApiResult<SessionView>> {
  return requestJson(storePath(store, '/auth/login'), parseSessionView, {
    ...options,
    method: 'POST',
    body: credentials,
  });
}

/** `GET auth/session`: who is signed in; 401 when nobody is. */
export function fetchSession(store: string, options?: ApiOptions): Promise<ApiResult<SessionView>> {
  return getJson(storePath(store, '/auth/session'), parseSessionView, options);
}

/** `POST auth/logout`: ends this session (204). */
export function logout(store: string, options?: ApiOptions): Promise<ApiResult<null>> {
  return send(storePath(store, '/auth/logout'), { ...options, method: 'POST', okStatuses: [204] });
}

/** `GET auth/sessions`: the signed-in user's sessions, newest first. */
export function fetchSessions(store: string, options?: ApiOptions): Promise<ApiResult<SessionSummary[]>> {
  return getJson(
    storePath(store, '/auth/sessions'),
    (body) => parseItems(body, parseSessionSummary),
    options,
  );
}

/** `DELETE auth/sessions/{id}`: signs out one session (the current one too). */
export function revokeSession(
  store: string,
  sessionId: string,
  options?: ApiOptions,
): Promise<ApiResult<null>> {
  return send(storePath(store, `/auth/sessions/${encodeURIComponent(sessionId)}`), {
    ...options,
    method: 'DELETE',
    okStatuses: [204],
  });
}

/**
 * `POST customers`: sign up. 201 `next: verify_email`, 202 `next: await_approval`; 403 signup_closed
 * (invite-only store), 409 email_taken. A fresh Idempotency-Key per submit.
 */
export function register(
  store: string,
  registration: Registration,
  options?: ApiOptions & { idempotencyKey?: string },
): Promise<ApiResult<RegistrationResult>> {
  return postOnce(storePath(store, '/customers'), parseRegistrationResult, registration, options, [201, 202]);
}

/** `POST auth/password-reset`: always 202, whether the account exists or not. */
export function requestPasswordReset(
  store: string,
  email: string,
  options?: ApiOptions,
): Promise<ApiResult<null>> {
  return send(storePath(store, '/auth/password-reset'), {
    ...options,
    method: 'POST',
    body: { email },
    okStatuses: [202],
  });
}

/** `POST auth/password-reset/confirm`: 204; 400 invalid_token for a used or expired link. */
export function resetPassword(
  store: string,
  input: { token: string; password: string },
  options?: ApiOptions,
): Promise<ApiResult<null>> {
  return send(storePath(store, '/auth/password-reset/confirm'), {
    ...options,
    method: 'POST',
    body: input,
    okStatuses: [204],
  });
}

/** `POST auth/email-verification`: 204; 400 invalid_token. */
export function verifyEmail(store: string, token: string, options?: ApiOptions): Promise<ApiResult<null>> {
  return send(storePath(store, '/auth/email-verification'), {
    ...options,
    method: 'POST',
    body: { token },
    okStatuses: [204],
  });
}

/** `POST auth/invitations/accept`: 204; 400 invalid_token. */
export function acceptInvitation(
  store: string,
  input: { token: string; name: string; password: string },
  options?: ApiOptions,
): Promise<ApiResult<null>> {
  return send(storePath(store, '/auth/invitations/accept'), {
    ...options,
    method: 'POST',
    body: input,
    okStatuses: [204],
  });
}

/** True when the problem means "nobody is signed in" (no, an expired or a revoked session). */
export function isUnauthenticated(problem: ApiProblem): boolean {
  return problem.kind === 'http' && problem.status === 401;
}

/**
 * True when an emailed link's token is no good: used, expired or unknown (400 invalid_token), or
 * not even shaped like a token (a validation error on `body.token`).
 */
export function isInvalidToken(problem: ApiProblem): boolean {
  if (problem.kind !== 'http') return false;
  if (problem.code === 'invalid_token') return true;
  return (
    problem.code === 'validation_failed' &&
    Array.isArray(problem.details) &&
    problem.details.some((issue) => isRecord(issue) && issue.path === 'body.token')
  );
}
