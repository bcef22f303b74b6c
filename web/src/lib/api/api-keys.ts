/**
 * API keys of a store (`/api/v1/stores/{store}/api-keys`): merchant staff create keys for
 * integrations and provisioning platforms, buyers for ordering through the API. The secret is in
 * the create answer only; lists never carry it.
 */
import type { ApiKeyView } from '#shared/identity/api.ts';
import type { ApiKeyScope, CUSTOMER_KEY_SCOPES, MERCHANT_KEY_SCOPES } from '#shared/identity/permissions.ts';
import { type ApiOptions, type ApiResult, getJson, isRecord, postOnce, send } from './http.ts';
import { type SessionView, storePath } from './identity.ts';
import { isDateTime, isOptional, isString, isStringArray, optional, parseItems } from './parse.ts';

export type { ApiKeyScope, ApiKeyView };
export type CreatedApiKey = { key: ApiKeyView; secret: string };
type MerchantScope = (typeof MERCHANT_KEY_SCOPES)[number];
type CustomerScope = (typeof CUSTOMER_KEY_SCOPES)[number];

export type ScopeInfo = { scope: ApiKeyScope; label: string; description: string };

// Records keyed by the shared scope unions: a scope added in shared/ is a type error here until it
// has a label. (Types only from #shared: the lists are repeated, the compiler keeps them in step.)
const MERCHANT_SCOPES: Record<MerchantScope, Omit<ScopeInfo, 'scope'>> = {
  provisioning: {
    label: 'Provisioning',
    description: 'Receive provisioning webhooks and answer them for your platform.',
  },
  'usage:write': { label: 'Report usage', description: 'Send usage metrics for running services.' },
  'catalog:read': { label: 'Read the catalog', description: 'Products, prices and options.' },
  'orders:read': { label: 'Read orders', description: 'Orders and their payment state.' },
  'customers:read': { label: 'Read customers', description: 'Customer accounts and their users.' },
};

const CUSTOMER_SCOPES: Record<CustomerScope, Omit<ScopeInfo, 'scope'>> = {
  'orders:create': { label: 'Place orders', description: 'Order services through the API.' },
  'services:manage': {
    label: 'Manage services',
    description: 'Start, stop, resize and cancel your services.',
  },
  'finance:view': { label: 'See finances', description: 'Prices, invoices and credit balances.' },
};

const entries = <S extends ApiKeyScope>(record: Record<S, Omit<ScopeInfo, 'scope'>>): ScopeInfo[] =>
  (Object.keys(record) as S[]).map((scope) => ({ scope, ...record[scope] }));

/** A readable name for a scope; an unknown one is shown as it is. */
export function scopeLabel(scope: string): string {
  const info: Omit<ScopeInfo, 'scope'> | undefined =
    (MERCHANT_SCOPES as Record<string, Omit<ScopeInfo, 'scope'>>)[scope] ??
    (CUSTOMER_SCOPES as Record<string, Omit<ScopeInfo, 'scope'>>)[scope];
  return info?.label ?? scope;
}

/** Whether the signed-in user may list, create and revoke API keys. */
type KeyManager = { principal: SessionView['principal']; permissions: readonly string[] };

export function canManageApiKeys(session: KeyManager): boolean {
  return (
    (session.principal === 'staff' || session.principal === 'buyer') &&
    session.permissions.includes('apikeys:manage')
  );
}

/**
 * The scopes a new key of this user may carry: staff get the merchant's integration scopes; a
 * buyer gets the ordering scopes they hold themselves (a key never does more than its creator).
 */
export function allowedScopes(session: KeyManager): ScopeInfo[] {
  if (!canManageApiKeys(session)) return [];
  if (session.principal === 'staff') return entries(MERCHANT_SCOPES);
  return entries(CUSTOMER_SCOPES).filter((info) => session.permissions.includes(info.scope));
}

export function parseApiKey(value: unknown): ApiKeyView | undefined {
  if (!isRecord(value)) return undefined;
  const { id, prefix, name, owner, scopes, createdAt, createdBy, lastUsedAt, revokedAt } = value;
  if (!isString(id) || !isString(prefix) || !isString(name) || !isString(createdBy)) return undefined;
  if (!isStringArray(scopes) || !isDateTime(createdAt)) return undefined;
  if (!isOptional(lastUsedAt, isDateTime) || !isOptional(revokedAt, isDateTime)) return undefined;
  if (!isRecord(owner)) return undefined;
  let parsedOwner: ApiKeyView['owner'];
  if (owner.kind === 'merchant') parsedOwner = { kind: 'merchant' };
  else if (owner.kind === 'customer' && isString(owner.customerId))
    parsedOwner = { kind: 'customer', customerId: owner.customerId };
  else return undefined;
  return {
    id,
    prefix,
    name,
    owner: parsedOwner,
    scopes,
    createdAt,
    createdBy,
    ...optional('lastUsedAt', lastUsedAt),
    ...optional('revokedAt', revokedAt),
  };
}

export function parseCreatedApiKey(body: unknown): CreatedApiKey | undefined {
  if (!isRecord(body) || !isString(body.secret) || body.secret === '') return undefined;
  const key = parseApiKey(body.key);
  return key ? { key, secret: body.secret } : undefined;
}

/** Active keys first (newest first), then revoked ones. */
export function sortApiKeys(keys: readonly ApiKeyView[]): ApiKeyView[] {
  return [...keys].sort(
    (a, b) =>
      Number(a.revokedAt !== undefined) - Number(b.revokedAt !== undefined) ||
      b.createdAt.localeCompare(a.createdAt),
  );
}

export function fetchApiKeys(store: string, options?: ApiOptions): Promise<ApiResult<ApiKeyView[]>> {
  return getJson(storePath(store, '/api-keys'), (body) => parseItems(body, parseApiKey), options);
}

/** `POST api-keys` (201): the answer carries the secret, once. */
export function createApiKey(
  store: string,
  input: { name: string; scopes: string[] },
  options?: ApiOptions & { idempotencyKey?: string },
): Promise<ApiResult<CreatedApiKey>> {
  return postOnce(storePath(store, '/api-keys'), parseCreatedApiKey, input, options);
}

/** `DELETE api-keys/{id}` (204): the key stops working at once. */
export function revokeApiKey(store: string, keyId: string, options?: ApiOptions): Promise<ApiResult<null>> {
  return send(storePath(store, `/api-keys/${encodeURIComponent(keyId)}`), {
    ...options,
    method: 'DELETE',
    okStatuses: [204],
  });
}
