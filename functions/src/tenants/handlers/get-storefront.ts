import { NotFoundError } from '#shared/errors.ts';
import { getStorefront, getStorefrontByDomain } from '#shared/tenants/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator, tableIdentity } from '../../identity/table-identity.ts';
import { storefrontOf } from '../storefronts.ts';

export const handler = routes(
  [
    getStorefront,
    httpHandler(getStorefront, async ({ tenant }) => ok(storefrontOf(tenant)), {
      authenticator: tableAuthenticator,
    }),
  ],
  [
    getStorefrontByDomain,
    httpHandler(getStorefrontByDomain, async ({ params }) => {
      const tenant = await tableIdentity().tenants.findByDomain(params.host);
      if (tenant?.status !== 'active')
        throw new NotFoundError('store_not_found', `No store is served at ${params.host}`);
      return ok(storefrontOf(tenant), { 'cache-control': 'public, max-age=60' });
    }),
  ],
);
