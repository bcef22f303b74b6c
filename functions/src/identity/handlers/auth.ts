import {
  acceptInvitation as acceptInvitationOperation,
  getSession,
  listSessions as listSessionsOperation,
  login as loginOperation,
  logout as logoutOperation,
  requestPasswordReset as requestPasswordResetOperation,
  resetPassword as resetPasswordOperation,
  revokeSession as revokeSessionOperation,
  verifyEmail as verifyEmailOperation,
} from '#shared/identity/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { clearedCookie, cookieValue, SESSION_COOKIE } from '../credentials.ts';
import { acceptInvitation } from '../invitations.ts';
import { requestPasswordReset, resetPassword } from '../passwords.ts';
import { verifyEmail } from '../registration.ts';
import { currentSession, listSessions, login, logout, revokeSession } from '../sessions.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';

const options = { authenticator: tableAuthenticator };
const noContent = (cookies?: string[]) => ({ status: 204, ...(cookies ? { cookies } : {}) });

export const handler = routes(
  [
    loginOperation,
    httpHandler(
      loginOperation,
      async ({ tenant, body, event }) => {
        const previous = cookieValue(event.cookies, SESSION_COOKIE);
        const { view, cookie } = await login(tableIdentity(), tenant, body, clientOf(event), previous);
        return { status: 200, body: view, cookies: [cookie] };
      },
      options,
    ),
  ],
  [
    logoutOperation,
    httpHandler(
      logoutOperation,
      async ({ principal, event }) => noContent([await logout(tableIdentity(), principal, clientOf(event))]),
      options,
    ),
  ],
  [
    getSession,
    httpHandler(
      getSession,
      async ({ principal }) => ok(await currentSession(tableIdentity(), principal)),
      options,
    ),
  ],
  [
    listSessionsOperation,
    httpHandler(
      listSessionsOperation,
      async ({ principal }) => ok({ items: await listSessions(tableIdentity(), principal) }),
      options,
    ),
  ],
  [
    revokeSessionOperation,
    httpHandler(
      revokeSessionOperation,
      async ({ principal, params, event }) => {
        const { endedCurrent } = await revokeSession(
          tableIdentity(),
          principal,
          params.sessionId,
          clientOf(event),
        );
        return noContent(endedCurrent ? [clearedCookie(SESSION_COOKIE)] : undefined);
      },
      options,
    ),
  ],
  [
    requestPasswordResetOperation,
    httpHandler(
      requestPasswordResetOperation,
      async ({ tenant, body, event }) => {
        await requestPasswordReset(tableIdentity(), tenant, body.email, clientOf(event));
        return { status: 202 };
      },
      options,
    ),
  ],
  [
    resetPasswordOperation,
    httpHandler(
      resetPasswordOperation,
      async ({ tenant, body, event }) => {
        await resetPassword(tableIdentity(), tenant, body, clientOf(event));
        return noContent([clearedCookie(SESSION_COOKIE)]);
      },
      options,
    ),
  ],
  [
    verifyEmailOperation,
    httpHandler(
      verifyEmailOperation,
      async ({ tenant, body, event }) => {
        await verifyEmail(tableIdentity(), tenant, body.token, clientOf(event));
        return noContent();
      },
      options,
    ),
  ],
  [
    acceptInvitationOperation,
    httpHandler(
      acceptInvitationOperation,
      async ({ tenant, body, event }) => {
        await acceptInvitation(tableIdentity(), tenant, body, clientOf(event));
        return noContent();
      },
      options,
    ),
  ],
);
