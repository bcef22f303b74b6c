import { getStorefront } from '#shared/tenants/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { storefrontOf } from '../storefronts.ts';

export const handler = httpHandler(getStorefront, async ({ tenant }) => ok(storefrontOf(tenant)), {
  authenticator: tableAuthenticator,
});
