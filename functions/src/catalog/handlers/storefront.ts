import { getProduct, listCategories, quoteConfiguration, searchCatalog } from '#shared/catalog/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as storefront from '../storefront-catalog.ts';
import { tableCatalog } from '../table-catalog.ts';

const options = { authenticator: tableAuthenticator };

/** What buyers read of the catalog: categories, product pages, quotes, search. */
export const handler = routes(
  [
    listCategories,
    httpHandler(
      listCategories,
      async ({ tenant }) => ok(await storefront.listCategories(tableCatalog(), tenant)),
      options,
    ),
  ],
  [
    searchCatalog,
    httpHandler(
      searchCatalog,
      async ({ tenant, query }) => ok(await storefront.searchCatalog(tableCatalog(), tenant, query)),
      options,
    ),
  ],
  [
    getProduct,
    httpHandler(
      getProduct,
      async ({ tenant, principal, params, query }) =>
        ok(await storefront.getProductPage(tableCatalog(), tenant, principal, params.product, query.locale)),
      options,
    ),
  ],
  [
    quoteConfiguration,
    httpHandler(
      quoteConfiguration,
      async ({ tenant, principal, params, body }) =>
        ok(await storefront.quoteConfiguration(tableCatalog(), tenant, principal, params.product, body)),
      options,
    ),
  ],
);
