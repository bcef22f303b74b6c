import { ForbiddenError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import { recordAudit } from './audit.ts';
import {
  clearedCookie,
  formatSessionToken,
  OPERATOR_SESSION_COOKIE,
  PLATFORM_SCOPE,
  sessionCookie,
} from './credentials.ts';
import type { IdentityDeps } from './identity-deps.ts';
import type { Operator, SessionScope } from './model.ts';
import { hashPassword } from './secrets.ts';
import { type ClientInfo, checkPassword, startSession, throttleCheck } from './sessions.ts';

const platform: SessionScope = { kind: 'platform' };

/** Operators are created from the command line (`npm run operator -- create`) and by the demo seed. */
export async function createOperator(
  deps: Pick<IdentityDeps, 'operators' | 'clock'>,
  input: { email: string; name: string; password: string },
): Promise<Operator> {
  const operator: Operator = {
    id: newId('opr', deps.clock),
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.operators.create(operator);
  return operator;
}

/** Operator sign-in: the same rules as store sign-in (throttled, fresh session id), platform-wide. */
export async function operatorLogin(
  deps: IdentityDeps,
  input: { email: string; password: string },
  client: ClientInfo,
) {
  const now = deps.clock.now();
  const keys = await throttleCheck(deps, platform, input.email, client);
  const operator = await deps.operators.findByEmail(input.email);
  await checkPassword(deps, platform, keys, input, operator?.passwordHash, client);
  if (!operator) throw new Error('unreachable: checkPassword refuses unknown operators');
  await deps.throttle.clear(platform, keys.accountKey, now);
  const { session, secret } = await startSession(deps, platform, operator.id, client);
  await recordAudit(deps, platform, {
    action: 'login.succeeded',
    principal: { kind: 'operator', operatorId: operator.id, email: operator.email, sessionId: session.id },
    ...(client.ip ? { ip: client.ip } : {}),
  });
  return {
    view: { operatorId: operator.id, email: operator.email, expiresAt: session.expiresAt },
    cookie: sessionCookie(
      OPERATOR_SESSION_COOKIE,
      formatSessionToken({ scope: PLATFORM_SCOPE, userId: operator.id, secret }),
      Math.floor(deps.policy.sessionTtlMs / 1000),
    ),
  };
}

export async function operatorLogout(deps: IdentityDeps, principal: Principal): Promise<string> {
  if (principal.kind !== 'operator') throw new ForbiddenError('not_allowed', 'Only operators sign out here');
  await deps.sessions.delete(platform, principal.operatorId, principal.sessionId);
  return clearedCookie(OPERATOR_SESSION_COOKIE);
}
