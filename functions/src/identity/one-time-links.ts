import { ValidationError } from '#shared/errors.ts';
import type { OneTimeToken } from './adapters/dynamodb-one-time-token-repository.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { OneTimePurpose } from './model.ts';
import { digest, newSecret } from './secrets.ts';

/** Issues the secret of an emailed link; only its digest is stored. */
export async function issueLinkToken(
  deps: Pick<IdentityDeps, 'tokens' | 'clock'>,
  tenantId: string,
  token: OneTimeToken,
  ttlMs: number,
): Promise<string> {
  const secret = newSecret();
  await deps.tokens.create(tenantId, digest(secret), token, new Date(deps.clock.now().getTime() + ttlMs));
  return secret;
}

/** Uses a link's token once; an unknown, used or expired one is a 400 that says to ask again. */
export async function redeemLinkToken(
  deps: Pick<IdentityDeps, 'tokens' | 'clock'>,
  tenantId: string,
  secret: string,
  purpose: OneTimePurpose,
): Promise<OneTimeToken> {
  const token = await deps.tokens.consume(tenantId, digest(secret), purpose, deps.clock.now());
  if (!token) {
    throw new ValidationError(
      'invalid_token',
      'This link is invalid, was used already or has expired: ask for a new one',
    );
  }
  return token;
}
