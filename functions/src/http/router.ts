import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from '#shared/http/operation.ts';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * One Lambda function serving several operations of a context: API Gateway names the matched
 * route in `routeKey` ("POST /api/v1/stores/{store}/auth/login"), which picks the handler.
 *
 * @example export const handler = routes([login, loginHandler], [logout, logoutHandler]);
 */
export function routes(...entries: ReadonlyArray<readonly [Operation, Handler]>): Handler {
  const byRouteKey = new Map(
    entries.map(([operation, handler]) => [`${operation.method} ${operation.path}`, handler]),
  );
  return async (event, context) => {
    const handler = byRouteKey.get(event.routeKey);
    if (!handler) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          error: { code: 'route_not_found', message: `No handler for ${event.routeKey}` },
        }),
      };
    }
    return handler(event, context);
  };
}

/** The caller's address and browser, as API Gateway saw them. */
export function clientOf(event: APIGatewayProxyEventV2): { ip?: string; userAgent?: string } {
  const ip = event.requestContext.http.sourceIp;
  const userAgent = event.headers?.['user-agent'];
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}
