/**
 * The formats of what clients hold. Each names its tenant and owner, so a lookup is one GetItem
 * in the right partition, and a credential of another store is recognised as such (403, not 401).
 *   session cookie   <tenantId>.<userId>.<secret>          (operators: platform.<operatorId>.<secret>)
 *   API key          nmb_<tenant ulid>_<key ulid>_<secret>  (prefix nmb_<tenant ulid>_<key ulid> identifies it)
 */
export const SESSION_COOKIE = 'nimbus_session';
export const OPERATOR_SESSION_COOKIE = 'nimbus_operator_session';
export const PLATFORM_SCOPE = 'platform';

export type SessionToken = { scope: string; userId: string; secret: string };
export type ApiKeyToken = { tenantId: string; keyId: string; secret: string };

const ID = /^[a-z]{3}_[0-9a-z]{26}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function formatSessionToken(token: SessionToken): string {
  return `${token.scope}.${token.userId}.${token.secret}`;
}

export function parseSessionToken(value: string): SessionToken | undefined {
  const [scope, userId, secret, ...rest] = value.split('.');
  if (rest.length > 0 || !scope || !userId || !secret) return undefined;
  if ((scope !== PLATFORM_SCOPE && !ID.test(scope)) || !ID.test(userId) || !SECRET.test(secret))
    return undefined;
  return { scope, userId, secret };
}

export function formatApiKey(token: ApiKeyToken): string {
  return `${apiKeyPrefix(token.tenantId, token.keyId)}_${token.secret}`;
}

export function apiKeyPrefix(tenantId: string, keyId: string): string {
  return `nmb_${tenantId.slice(4)}_${keyId.slice(4)}`;
}

export function parseApiKey(value: string): ApiKeyToken | undefined {
  const match = /^nmb_([0-9a-z]{26})_([0-9a-z]{26})_([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return undefined;
  return { tenantId: `ten_${match[1]}`, keyId: `key_${match[2]}`, secret: match[3] as string };
}

/** Reads one cookie from API Gateway v2's `cookies` array (`name=value` strings). */
export function cookieValue(cookies: string[] | undefined, name: string): string | undefined {
  for (const cookie of cookies ?? []) {
    const separator = cookie.indexOf('=');
    if (separator > 0 && cookie.slice(0, separator).trim() === name)
      return cookie.slice(separator + 1).trim();
  }
  return undefined;
}

/** httpOnly, Secure (localhost counts as secure in browsers), SameSite=Lax, whole site. */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export function clearedCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}
