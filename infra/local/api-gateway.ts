/**
 * The API Gateway v2 (HTTP API, payload format 2.0) stand-in: matches a request against the
 * topology's routes, builds the same APIGatewayProxyEventV2 a Lambda integration receives, and
 * turns the handler's result into an HTTP response by the same rules API Gateway applies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDef, Topology } from '../topology/types.ts';
import type { LocalFunctions } from './functions.ts';
import { consoleRuntimeLog, type RuntimeLog } from './runtime-log.ts';

type CompiledRoute = {
  route: RouteDef;
  routeKey: string;
  method: string;
  regex: RegExp;
  paramNames: string[];
  staticSegments: number;
};

/** HTTP APIs reject payloads over 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const TEXT_CONTENT = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|javascript))/i;

function compileRoute(route: RouteDef): CompiledRoute {
  const { method, path } = route.operation;
  const paramNames: string[] = [];
  let staticSegments = 0;
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        paramNames.push(greedy[1] as string);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        paramNames.push(param[1] as string);
        return '([^/]+)';
      }
      staticSegments += 1;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    route,
    routeKey: `${method} ${path}`,
    method,
    regex: new RegExp(`^${source}$`),
    paramNames,
    staticSegments,
  };
}

export class LocalApiGateway {
  readonly #routes: CompiledRoute[];

  constructor(
    topology: Topology,
    private readonly functions: LocalFunctions,
    private readonly log: RuntimeLog = consoleRuntimeLog,
  ) {
    // API Gateway prefers the most specific route: more literal segments first.
    this.#routes = topology.routes.map(compileRoute).sort((a, b) => b.staticSegments - a.staticSegments);
  }

  match(method: string, path: string) {
    for (const compiled of this.#routes) {
      if (compiled.method !== method) continue;
      const found = compiled.regex.exec(path);
      if (!found) continue;
      const pathParameters = Object.fromEntries(
        compiled.paramNames.map((name, index) => [name, safeDecode(found[index + 1] as string)]),
      );
      return { compiled, pathParameters };
    }
    return undefined;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const matched = this.match(method, url.pathname);
    if (!matched) {
      send(response, { statusCode: 404, body: '{"message":"Not Found"}' }, requestId);
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      send(response, { statusCode: 413, body: '{"message":"Request Entity Too Large"}' }, requestId);
      return;
    }
    const event = toEvent(request, url, body, matched.compiled.routeKey, matched.pathParameters, requestId);
    let result: unknown;
    try {
      result = await this.functions.invoke(matched.compiled.route.function, event);
    } catch (error) {
      // API Gateway hides integration failures behind a bare 500 (503 for timeouts).
      this.log(`[api] ${matched.compiled.routeKey} failed:`, error);
      const timedOut = error instanceof Error && error.name === 'FunctionTimeoutError';
      send(
        response,
        timedOut
          ? { statusCode: 503, body: '{"message":"Service Unavailable"}' }
          : { statusCode: 500, body: '{"message":"Internal Server Error"}' },
        requestId,
      );
      return;
    }
    send(response, normaliseResult(result), requestId);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies.push(...String(value).split(/;\s*/).filter(Boolean));
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;

  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_CONTENT.test(contentType);
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] as string,
      http: {
        method: (request.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: !isText,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (Object.keys(pathParameters).length > 0) event.pathParameters = pathParameters;
  if (body.length > 0) event.body = isText ? body.toString('utf8') : body.toString('base64');
  return event;
}

/** Payload format 2.0: a result without `statusCode` is a 200 JSON body. */
export function normaliseResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    return result as APIGatewayProxyStructuredResultV2;
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string): void {
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  headers['content-type'] ??= 'application/json';
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ?? '';
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
