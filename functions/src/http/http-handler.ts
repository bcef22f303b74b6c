import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from '#shared/http/operation.ts';
import { authorize, isPublic } from '#shared/identity/access.ts';
import { actorOf, type Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { systemClock } from '#shared/time/clock.ts';
import { PLATFORM_PK, tenantPk } from '../data/keys.ts';
import { logger } from '../observability/logger.ts';
import type { RequestAuthenticator, RequestIdentity } from './authentication.ts';
import { toErrorResponse } from './error-mapping.ts';
import { type IdempotencyStore, idempotency } from './idempotency.ts';
import { type ParsedRequest, parseRequest } from './request-parsing.ts';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export type HttpResponse = {
  status: number;
  /** Sent as JSON; bytes (a Uint8Array) are sent as they are, with the content type in `headers`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Set-Cookie values. */
  cookies?: string[];
};

export const ok = (body: unknown, headers?: Record<string, string>): HttpResponse => ({
  status: 200,
  body,
  headers,
});
/** Taken; the work goes on in the background (a replayed webhook, say). */
export const accepted = (body: unknown): HttpResponse => ({ status: 202, body });
export const created = (body: unknown, location?: string): HttpResponse => ({
  status: 201,
  body,
  headers: location ? { location } : undefined,
});

/**
 * A binary body (a PDF, an image): API Gateway takes it base64-encoded with `isBase64Encoded`.
 *
 * @example binary(pdfBytes, 'application/pdf', { 'content-disposition': 'attachment; filename="a.pdf"' })
 */
export const binary = (
  bytes: Uint8Array,
  contentType: string,
  headers?: Record<string, string>,
): HttpResponse => ({ status: 200, body: bytes, headers: { ...headers, 'content-type': contentType } });

/**
 * The body exactly as the caller sent it, for signature checks (Stripe's, a platform's): a
 * signature covers those bytes, not the body parsed and serialised again.
 */
export function rawBody(event: APIGatewayProxyEventV2): string | Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
}

export const REQUEST_ID_HEADER = 'x-request-id';
const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_CORRELATION_ID = /^[\w.:-]{1,128}$/;

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function toResult(response: HttpResponse): Result {
  if (response.body instanceof Uint8Array) {
    return {
      statusCode: response.status,
      headers: { 'cache-control': 'no-store', ...response.headers },
      body: Buffer.from(response.body).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: response.status,
    headers: { ...jsonHeaders, ...response.headers },
    ...(response.cookies?.length ? { cookies: response.cookies } : {}),
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

/** Correlation id for the logs (caller's `X-Correlation-Id` when sane) and a request id on every response. */
function requestIds(): MiddlewareObj<Event, Result> {
  const addRequestIdHeader = (request: middy.Request<Event, Result>) => {
    if (!request.response) return;
    request.response.headers = {
      ...request.response.headers,
      [REQUEST_ID_HEADER]: request.event.requestContext.requestId,
    };
  };
  return {
    before: (request) => {
      const fromCaller = request.event.headers?.[CORRELATION_HEADER];
      const correlationId =
        fromCaller && SAFE_CORRELATION_ID.test(fromCaller)
          ? fromCaller
          : request.event.requestContext.requestId;
      logger.setCorrelationId(correlationId);
      logger.appendKeys({
        requestId: request.event.requestContext.requestId,
        route: request.event.routeKey,
      });
    },
    after: addRequestIdHeader,
    onError: addRequestIdHeader,
  };
}

/** Turns any error into the one error shape; internals of unexpected errors stay in the log. */
function errorResponses(): MiddlewareObj<Event, Result> {
  return {
    onError: (request) => {
      const { status, body, exposed, headers } = toErrorResponse(
        request.error,
        request.event.requestContext.requestId,
      );
      if (exposed) logger.info('request rejected', { status, code: body.error.code });
      else logger.error('request failed', request.error as Error);
      request.response = toResult({ status, body, ...(headers ? { headers } : {}) });
    },
  };
}

/** Identity of each request in flight, set by the authentication middleware. */
const identities = new WeakMap<Event, RequestIdentity>();

const needsAuthenticator = (operation: Operation) =>
  operation.path.includes('{store}') || !isPublic(operation.access);

/**
 * Resolves the store's tenant (from `{store}`) and the principal, then checks the operation's
 * grants — before the body is parsed, so an anonymous caller learns nothing but "401".
 */
function authentication(
  operation: Operation,
  authenticator: () => RequestAuthenticator,
): MiddlewareObj<Event, Result> {
  const storeParam = operation.request?.params?.shape.store;
  return {
    before: async (request) => {
      const auth = authenticator();
      let tenant: RequestIdentity['tenant'];
      if (storeParam) {
        const slug = storeParam.safeParse(request.event.pathParameters?.store);
        if (slug.success) tenant = await auth.tenantOf(slug.data as string);
        // An invalid slug is reported by the request parser with the other field problems.
        else if (!isPublic(operation.access)) return;
      }
      const principal = await auth.principalOf(request.event, tenant, isPublic(operation.access));
      authorize(operation.access, principal, tenant?.id);
      identities.set(request.event, { tenant, principal });
      logger.appendKeys({ tenantId: tenant?.id, actor: actorOf(principal).id });
    },
  };
}

/** Idempotency keys belong to the tenant's partition and to the caller within it. */
function identityScopedKeys(event: Event): string {
  const identity = identities.get(event);
  if (!identity) return PLATFORM_PK;
  const partition = identity.tenant ? tenantPk(identity.tenant.id) : PLATFORM_PK;
  return `${partition}#${actorOf(identity.principal).id}`;
}

/** On a store's route (`{store}` in the path) the tenant is always known by the time the handler runs. */
export type IdentityOf<O extends Operation> = {
  tenant: O['path'] extends `${string}{store}${string}` ? Tenant : Tenant | undefined;
  principal: Principal;
};

export type HttpHandlerOptions = {
  /**
   * Resolves tenant and principal; required for operations on a store (`{store}` in the path)
   * and for every operation that is not public. Usually `tableAuthenticator` from the identity
   * context.
   */
  authenticator?: () => RequestAuthenticator;
  /**
   * Store for Idempotency-Key records, required when the operation is idempotent (usually
   * `tableIdempotencyStore` from ./adapters/dynamodb-idempotency-store.ts). Passed in rather than
   * imported here, so handlers that never need it do not load the DynamoDB client.
   */
  idempotencyStore?: () => IdempotencyStore;
  /** Whose idempotency keys these are; default: the caller within their tenant. */
  idempotencyScope?: (event: Event) => string;
};

/**
 * The one middy stack for HTTP handlers: Powertools logging with a correlation id, zod parsing of
 * path, query and body from the operation (400 with field paths), Idempotency-Key support where the
 * operation declares it, and one error shape with statuses mapped in error-mapping.ts.
 *
 * @example
 * export const handler = httpHandler(getStorefront, async ({ params }) => ok(await service.get(params.store)));
 */
export function httpHandler<O extends Operation>(
  operation: O,
  implementation: (request: ParsedRequest<O> & IdentityOf<O>, context: Context) => Promise<HttpResponse>,
  options: HttpHandlerOptions = {},
) {
  const stack = middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestIds())
    .use(errorResponses());
  if (needsAuthenticator(operation)) {
    if (!options.authenticator) {
      throw new Error(
        `${operation.operationId} is on a store or not public: pass an authenticator to httpHandler`,
      );
    }
    stack.use(authentication(operation, options.authenticator));
  }
  if (operation.idempotent) {
    if (!options.idempotencyStore) {
      throw new Error(
        `${operation.operationId} accepts Idempotency-Key: pass an idempotencyStore to httpHandler`,
      );
    }
    stack.use(
      idempotency({
        store: options.idempotencyStore,
        scope: options.idempotencyScope ?? identityScopedKeys,
        clock: systemClock,
      }),
    );
  }
  return stack.handler(async (event, context) => {
    const identity: RequestIdentity = identities.get(event) ?? {
      tenant: undefined,
      principal: { kind: 'anonymous' },
    };
    const request = { ...parseRequest(operation, event), ...identity } as ParsedRequest<O> & IdentityOf<O>;
    return toResult(await implementation(request, context));
  });
}
