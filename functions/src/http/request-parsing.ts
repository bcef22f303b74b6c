import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { ValidationError } from '#shared/errors.ts';
import type { FieldIssue } from '#shared/http/error-body.ts';
import type { Operation } from '#shared/http/operation.ts';

type RequestPart<O extends Operation, K extends 'params' | 'query' | 'body'> = NonNullable<
  O['request']
>[K] extends z.ZodType
  ? z.output<NonNullable<NonNullable<O['request']>[K]>>
  : undefined;

/** A request after parsing: every part is what the operation's schemas say, or parsing failed with a 400. */
export type ParsedRequest<O extends Operation> = {
  params: RequestPart<O, 'params'>;
  query: RequestPart<O, 'query'>;
  body: RequestPart<O, 'body'>;
  /** Lower-cased header names, as API Gateway v2 delivers them. */
  headers: Record<string, string | undefined>;
  requestId: string;
  event: APIGatewayProxyEventV2;
};

/** `['items', 0, 'qty']` → `items[0].qty` */
export function formatPath(location: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    location,
  );
}

function issuesOf(location: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(location, issue.path),
    message: issue.message,
    code: issue.code,
  }));
}

function validationFailed(issues: FieldIssue[]): ValidationError {
  const summary = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return new ValidationError('validation_failed', `Invalid request: ${summary}${more}`, issues);
}

function decodeBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = decodeBody(event);
  if (text === undefined) return undefined;
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ValidationError(
      'unsupported_media_type',
      `The body must be JSON with Content-Type: application/json (got ${contentType ? `'${contentType}'` : 'none'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    throw new ValidationError('invalid_json', `The body is not valid JSON: ${reason}`, [
      { path: 'body', message: reason, code: 'invalid_json' },
    ]);
  }
}

/**
 * Parses path parameters, query string and JSON body with the operation's zod schemas. Every
 * problem is reported at once with its field path, e.g. `body.items[0].quantity`.
 */
export function parseRequest<O extends Operation>(
  operation: O,
  event: APIGatewayProxyEventV2,
): ParsedRequest<O> {
  const schemas = operation.request ?? {};
  const issues: FieldIssue[] = [];
  const parsePart = (location: string, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    issues.push(...issuesOf(location, result.error));
    return undefined;
  };

  const rawBody = schemas.body ? parseJsonBody(event) : undefined;
  const params = parsePart('path', schemas.params, event.pathParameters ?? {});
  const query = parsePart('query', schemas.query, event.queryStringParameters ?? {});
  // A body schema that accepts undefined (`.optional()`) makes the body optional.
  const bodyOptional = schemas.body?.safeParse(undefined).success ?? true;
  if (schemas.body && rawBody === undefined && !bodyOptional) {
    issues.push({ path: 'body', message: 'a JSON body is required', code: 'required' });
  }
  const body = rawBody === undefined ? undefined : parsePart('body', schemas.body, rawBody);
  if (issues.length > 0) throw validationFailed(issues);

  return {
    params,
    query,
    body,
    headers: event.headers ?? {},
    requestId: event.requestContext.requestId,
    event,
  } as ParsedRequest<O>;
}
