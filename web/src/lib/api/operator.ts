/**
 * The platform operator's API (`/api/v1/operator/...`): sign-in (cookie `nimbus_operator_session`)
 * and the tenants of the platform.
 */
import type * as z from 'zod';
import type { createTenant as createTenantOperation, TenantView } from '#shared/tenants/operator-api.ts';
import { type ApiOptions, type ApiResult, getJson, isRecord, postOnce, requestJson, send } from './http.ts';
import { isDateTime, isOptional, isString, optional, parseItems } from './parse.ts';

export type Tenant = z.output<typeof TenantView>;
export type TenantStatus = Tenant['status'];
export type SignupMode = Tenant['signupMode'];
type CreateTenantBody = z.input<NonNullable<NonNullable<(typeof createTenantOperation)['request']>['body']>>;
export type NewTenant = CreateTenantBody;
export type TenantChanges = {
  status?: TenantStatus;
  slug?: string;
  customDomain?: string | null;
  name?: string;
  signupMode?: SignupMode;
};
export type OperatorSignIn = { operatorId: string; email: string; expiresAt: string };

const OPERATOR = '/api/v1/operator';

export function parseTenant(value: unknown): Tenant | undefined {
  if (!isRecord(value)) return undefined;
  const { id, slug, name, status, defaultCurrency, defaultLanguage, signupMode, customDomain, createdAt } =
    value;
  if (!isString(id) || !isString(slug) || !isString(name)) return undefined;
  if (status !== 'active' && status !== 'suspended') return undefined;
  if (!isString(defaultCurrency) || !isString(defaultLanguage) || !isDateTime(createdAt)) return undefined;
  if (signupMode !== 'open' && signupMode !== 'application' && signupMode !== 'invite_only') return undefined;
  if (!isOptional(customDomain, isString)) return undefined;
  return {
    id,
    slug,
    name,
    status,
    defaultCurrency,
    defaultLanguage,
    signupMode,
    ...optional('customDomain', customDomain),
    createdAt,
  };
}

function parseOperatorSignIn(body: unknown): OperatorSignIn | undefined {
  if (!isRecord(body)) return undefined;
  const { operatorId, email, expiresAt } = body;
  if (!isString(operatorId) || !isString(email) || !isDateTime(expiresAt)) return undefined;
  return { operatorId, email, expiresAt };
}

/** Newest first. */
export function sortTenants(tenants: readonly Tenant[]): Tenant[] {
  return [...tenants].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.slug.localeCompare(b.slug));
}

export function operatorLogin(
  credentials: { email: string; password: string },
  options?: ApiOptions,
): Promise<ApiResult<OperatorSignIn>> {
  return requestJson(`${OPERATOR}/auth/login`, parseOperatorSignIn, {
    ...options,
    method: 'POST',
    body: credentials,
  });
}

export function operatorLogout(options?: ApiOptions): Promise<ApiResult<null>> {
  return send(`${OPERATOR}/auth/logout`, { ...options, method: 'POST', okStatuses: [204] });
}

/** `GET tenants`: every tenant; 401 when no operator is signed in. */
export function fetchTenants(options?: ApiOptions): Promise<ApiResult<Tenant[]>> {
  return getJson(`${OPERATOR}/tenants`, (body) => parseItems(body, parseTenant), options);
}

/** `POST tenants` (201); 409 slug_taken. The owner gets an invitation email. */
export function createTenant(
  input: NewTenant,
  options?: ApiOptions & { idempotencyKey?: string },
): Promise<ApiResult<Tenant>> {
  return postOnce(`${OPERATOR}/tenants`, parseTenant, input, options);
}

/** `PATCH tenants/{id}` (200): suspend, reactivate, rename… */
export function updateTenant(
  tenantId: string,
  changes: TenantChanges,
  options?: ApiOptions,
): Promise<ApiResult<Tenant>> {
  return requestJson(`${OPERATOR}/tenants/${encodeURIComponent(tenantId)}`, parseTenant, {
    ...options,
    method: 'PATCH',
    body: changes,
  });
}
