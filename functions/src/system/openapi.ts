import type * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ErrorBody } from '#shared/http/error-body.ts';
import type { Operation } from '#shared/http/operation.ts';
import { isPublic } from '#shared/identity/access.ts';
import type { WebhookDefinition } from '#shared/provisioning/api.ts';

const errorResponses = {
  '400': 'The request is malformed or breaks a rule; `error.details` lists each field path and reason',
  '401':
    'No credentials, or unknown, expired or revoked ones (session cookie or `Authorization: Bearer` API key)',
  '403':
    'Signed in, but not allowed: another store, a missing permission (`details.required`), or a failed Origin check',
  '404': 'Not found, or not visible to the caller',
  '409': 'Conflicts with the current state, or an Idempotency-Key reused with another request',
  '429': 'Too many attempts; `Retry-After` says when to try again',
  '500': 'Our fault; the response carries only a request id',
} as const;

const describeStatus: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
};

function toOpenApiOperation(operation: Operation): ZodOpenApiOperationObject {
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, schema] of Object.entries(operation.responses)) {
    responses[status as `2${string}`] = {
      description: describeStatus[Number(status)] ?? status,
      ...(schema
        ? {
            content: {
              [operation.responseContentType ?? 'application/json']: { schema: schema as z.ZodType },
            },
          }
        : {}),
    };
  }
  for (const [status, description] of Object.entries(errorResponses)) {
    if ((status === '401' || status === '403') && isPublic(operation.access)) continue;
    responses[status as `4${string}`] ??= {
      description,
      content: { 'application/json': { schema: ErrorBody } },
    };
  }
  const { params, query, body } = operation.request ?? {};
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: operation.tags,
    ...(params || query
      ? { requestParams: { ...(params ? { path: params } : {}), ...(query ? { query } : {}) } }
      : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

const WEBHOOK_HEADERS = [
  ['webhook-id', 'The event id: the same on every retry and replay'],
  ['webhook-timestamp', 'Seconds since the epoch when this attempt was signed (reject if off by > 5 min)'],
  ['webhook-signature', 'Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per valid secret'],
] as const;

/** The `webhooks` section: what Nimbus sends to provisioning platforms, as they must accept it. */
function toOpenApiWebhooks(webhooks: WebhookDefinition[]): ZodOpenApiPathsObject {
  return Object.fromEntries(
    webhooks.map((webhook) => [
      webhook.name,
      {
        post: {
          operationId: `webhook.${webhook.name}`,
          summary: webhook.summary,
          description: webhook.description,
          tags: ['provisioning webhooks'],
          parameters: WEBHOOK_HEADERS.map(([name, description]) => ({
            name,
            in: 'header' as const,
            required: true,
            description,
            schema: { type: 'string' as const },
          })),
          requestBody: { required: true, content: { 'application/json': { schema: webhook.payload } } },
          responses: {
            '200': {
              description: 'Delivered',
              ...(webhook.answer ? { content: { 'application/json': { schema: webhook.answer } } } : {}),
            },
            '202': { description: 'Delivered; the platform calls back (`provisioningCallback`) when done' },
            default: { description: 'Not delivered: retried with backoff for 72 hours' },
          },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 document of the API, generated from the operations' zod schemas. */
export function buildOpenApiDocument(
  operations: Operation[],
  version: string,
  webhooks: WebhookDefinition[] = [],
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    const method = operation.method.toLowerCase() as 'get';
    paths[operation.path] = { ...paths[operation.path], [method]: toOpenApiOperation(operation) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Nimbus API',
      version,
      description:
        'Multi-tenant store for cloud services. Errors share one shape: `{ "error": { "code", "message", "details" } }`; ' +
        'every response carries an `X-Request-Id` header.',
    },
    paths,
    ...(webhooks.length > 0 ? { webhooks: toOpenApiWebhooks(webhooks) } : {}),
  });
}
