import { ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { ApiKeyView } from '#shared/identity/api.ts';
import { CUSTOMER_KEY_SCOPES, MERCHANT_KEY_SCOPES } from '#shared/identity/permissions.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import { recordAudit } from './audit.ts';
import { apiKeyPrefix, formatApiKey } from './credentials.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { ApiKey, ApiKeyOwner } from './model.ts';
import { digest, newSecret } from './secrets.ts';
import type { ClientInfo } from './sessions.ts';

type KeyManager = Extract<Principal, { kind: 'staff' | 'buyer' }>;

function manager(principal: Principal): KeyManager {
  if (principal.kind !== 'staff' && principal.kind !== 'buyer') {
    throw new ForbiddenError('session_required', 'API keys are managed by signed-in users');
  }
  return principal;
}

const ownerOf = (principal: KeyManager): ApiKeyOwner =>
  principal.kind === 'staff' ? { kind: 'merchant' } : { kind: 'customer', customerId: principal.customerId };

export function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    prefix: apiKeyPrefix(key.tenantId, key.id),
    name: key.name,
    owner: key.owner,
    scopes: key.scopes,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
    ...(key.revokedAt ? { revokedAt: key.revokedAt } : {}),
  };
}

/**
 * Merchant keys take integration scopes; a buyer's key takes ordering scopes, and never more than
 * the buyer may do. The secret is returned here once and stored only as its digest.
 */
export async function createApiKey(
  deps: IdentityDeps,
  principal: Principal,
  input: { name: string; scopes: string[] },
  client: ClientInfo,
): Promise<{ key: ApiKeyView; secret: string }> {
  const creator = manager(principal);
  const allowed: readonly string[] = creator.kind === 'staff' ? MERCHANT_KEY_SCOPES : CUSTOMER_KEY_SCOPES;
  const notAllowed = input.scopes.filter(
    (scope) => !allowed.includes(scope) || (creator.kind === 'buyer' && !creator.permissions.includes(scope)),
  );
  if (notAllowed.length > 0) {
    throw new ValidationError(
      'scope_not_allowed',
      `${creator.kind === 'staff' ? 'Merchant' : 'Your'} keys cannot carry: ${notAllowed.join(', ')}`,
      notAllowed.map((scope) => ({
        path: 'body.scopes',
        message: `${scope} is not allowed`,
        code: 'scope_not_allowed',
      })),
    );
  }
  const now = deps.clock.now();
  const secret = newSecret();
  const key: ApiKey = {
    id: newId('key', deps.clock),
    tenantId: creator.tenantId,
    name: input.name,
    owner: ownerOf(creator),
    scopes: [...new Set(input.scopes)].sort(),
    secretDigest: digest(secret),
    createdAt: now.toISOString(),
    createdBy: creator.userId,
  };
  await deps.apiKeys.create(key);
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: creator.tenantId },
    {
      action: 'apikey.created',
      principal,
      target: key.id,
      ...(client.ip ? { ip: client.ip } : {}),
      details: { name: key.name, scopes: key.scopes, owner: key.owner },
    },
  );
  return { key: toView(key), secret: formatApiKey({ tenantId: key.tenantId, keyId: key.id, secret }) };
}

export async function listApiKeys(deps: IdentityDeps, principal: Principal): Promise<ApiKeyView[]> {
  const lister = manager(principal);
  const keys = await deps.apiKeys.listByOwner(lister.tenantId, ownerOf(lister));
  return keys.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(toView);
}

/** Another owner's key is not found, whether it exists or not. */
export async function revokeApiKey(
  deps: IdentityDeps,
  principal: Principal,
  keyId: string,
  client: ClientInfo,
) {
  const revoker = manager(principal);
  const key = await deps.apiKeys.get(revoker.tenantId, keyId);
  const owner = ownerOf(revoker);
  const sameOwner =
    key?.owner.kind === owner.kind &&
    (owner.kind === 'merchant' ||
      (key.owner.kind === 'customer' && key.owner.customerId === owner.customerId));
  if (!key || !sameOwner) throw new NotFoundError('api_key_not_found', 'There is no such API key');
  await deps.apiKeys.revoke(revoker.tenantId, keyId, deps.clock.now());
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: revoker.tenantId },
    {
      action: 'apikey.revoked',
      principal,
      target: keyId,
      ...(client.ip ? { ip: client.ip } : {}),
    },
  );
}
