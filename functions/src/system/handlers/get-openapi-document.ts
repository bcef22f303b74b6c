import { nimbus } from '#infra/topology/nimbus.ts';
import { PROVISIONING_WEBHOOKS } from '#shared/provisioning/api.ts';
import { getOpenApiDocument } from '#shared/system/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { buildOpenApiDocument } from '../openapi.ts';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = httpHandler(getOpenApiDocument, async () => {
  // Built on first request, not at init: most instances never serve it.
  document ??= buildOpenApiDocument(
    nimbus.routes.map((route) => route.operation),
    process.env.APP_VERSION ?? '0.1.0',
    PROVISIONING_WEBHOOKS,
  );
  return ok(document, { 'cache-control': 'public, max-age=300' });
});
