import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { ErrorBody } from '#shared/http/error-body.ts';
import { defineOperation, PUBLIC } from '#shared/http/operation.ts';
import { apiEvent, lambdaContext } from '../../../test/support/api-event.ts';
import type { RequestAuthenticator } from './authentication.ts';
import { binary, created, httpHandler, ok, REQUEST_ID_HEADER } from './http-handler.ts';

const createWidget = defineOperation({
  operationId: 'createWidget',
  method: 'POST',
  path: '/api/v1/stores/{store}/widgets',
  summary: 'test operation',
  tags: ['test'],
  access: PUBLIC,
  request: {
    params: z.object({ store: z.string().regex(/^[a-z]+$/) }),
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    body: z.object({
      name: z.string().min(1),
      items: z.array(z.object({ quantity: z.number().int().positive() })),
    }),
  },
  responses: { 201: z.object({ name: z.string() }) },
});

/** The identity port, answering as for a public route of an active store. */
const publicStore: RequestAuthenticator = {
  tenantOf: async (slug) => ({
    id: 'ten_test',
    slug,
    name: 'Test',
    status: 'active',
    defaultCurrency: 'EUR',
    defaultLanguage: 'en',
    signupMode: 'open',
    createdAt: '2026-11-23T10:00:00.000Z',
  }),
  principalOf: async () => ({ kind: 'anonymous' }),
};

const handler = httpHandler(
  createWidget,
  async ({ params, body, tenant }) => {
    if (body.name === 'boom') throw new Error('database password is hunter2');
    if (body.name === 'taken') throw new ConflictError('name_taken', 'That name is taken');
    if (params.store === 'nowhere') throw new NotFoundError('store_not_found', 'There is no store');
    return created({ name: body.name, tenant: tenant.id });
  },
  { authenticator: () => publicStore },
);

const call = async (body: string | undefined, init: Parameters<typeof apiEvent>[0] = {}) =>
  (await handler(
    apiEvent({
      method: 'POST',
      path: '/api/v1/stores/demo/widgets',
      pathParameters: { store: 'demo' },
      headers: { 'content-type': 'application/json' },
      body,
      ...init,
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;

const errorOf = (result: APIGatewayProxyStructuredResultV2) =>
  ErrorBody.parse(JSON.parse(result.body ?? '')).error;

describe('httpHandler', () => {
  it('parses the request and returns the implementation response with a request id', async () => {
    const result = await call(JSON.stringify({ name: 'w', items: [{ quantity: 1 }] }));
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body ?? '')).toEqual({ name: 'w', tenant: 'ten_test' });
    expect(result.headers?.[REQUEST_ID_HEADER]).toMatch(/[0-9a-f-]{36}/);
    expect(result.headers?.['content-type']).toMatch(/application\/json/);
  });

  it('answers bad JSON with a 400 that says where the syntax breaks', async () => {
    const result = await call('{"name": "w",');
    expect(result.statusCode).toBe(400);
    const error = errorOf(result);
    expect(error.code).toBe('invalid_json');
    expect(error.message).toMatch(/not valid JSON/);
    expect(result.headers?.[REQUEST_ID_HEADER]).toBeTruthy();
  });

  it('names every wrong field with its path and reason', async () => {
    const result = await call(JSON.stringify({ name: 5, items: [{ quantity: 1 }, { quantity: -2 }] }), {
      query: { dryRun: 'maybe' },
    });
    expect(result.statusCode).toBe(400);
    const error = errorOf(result);
    expect(error.code).toBe('validation_failed');
    const paths = (error.details as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.items[1].quantity', 'query.dryRun']));
    expect(error.message).toContain('body.name');
  });

  it('rejects a missing body and a non-JSON content type', async () => {
    expect(errorOf(await call(undefined)).message).toMatch(/body: a JSON body is required/);
    const wrongType = await call('name=w', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(errorOf(wrongType).code).toBe('unsupported_media_type');
  });

  it('validates path parameters', async () => {
    const result = await call(JSON.stringify({ name: 'w', items: [] }), {
      pathParameters: { store: 'Bad!' },
    });
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ path: 'path.store' })]);
  });

  it('maps domain errors to their status', async () => {
    expect((await call(JSON.stringify({ name: 'taken', items: [] }))).statusCode).toBe(409);
    const missing = await call(JSON.stringify({ name: 'w', items: [] }), {
      pathParameters: { store: 'nowhere' },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toEqual({ code: 'store_not_found', message: 'There is no store' });
  });

  it('hides the internals of unexpected errors behind a 500 with the request id', async () => {
    const result = await call(JSON.stringify({ name: 'boom', items: [] }));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('hunter2');
    const error = errorOf(result);
    expect(error.code).toBe('internal_error');
    expect(error.details).toEqual({ requestId: result.headers?.[REQUEST_ID_HEADER] });
  });

  it('never answers arbitrary input with a 5xx or another error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const result = await call(body);
          expect([201, 400]).toContain(result.statusCode);
          if (result.statusCode === 400) expect(() => errorOf(result)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an idempotent operation without a store to keep the keys in', () => {
    expect(() =>
      httpHandler({ ...createWidget, idempotent: true }, async () => ok({}), {
        authenticator: () => publicStore,
      }),
    ).toThrow(/idempotencyStore/);
    expect(() => httpHandler(createWidget, async () => ok({}))).toThrow(/authenticator/);
  });

  it('offers ok() for plain 200 responses', () => {
    expect(ok({ a: 1 })).toEqual({ status: 200, body: { a: 1 }, headers: undefined });
  });

  it('sends bytes base64-encoded with their content type, as API Gateway expects', async () => {
    const getFile = defineOperation({
      operationId: 'getFile',
      method: 'GET',
      path: '/api/files',
      summary: 'test operation',
      tags: ['test'],
      access: PUBLIC,
      responses: { 200: z.string() },
    });
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    const fileHandler = httpHandler(getFile, async () =>
      binary(bytes, 'application/pdf', { 'content-disposition': 'attachment; filename="f.pdf"' }),
    );
    const result = (await fileHandler(
      apiEvent({ method: 'GET', path: '/api/files' }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect([...Buffer.from(result.body ?? '', 'base64')]).toEqual([...bytes]);
    expect(result.headers?.['content-type']).toBe('application/pdf');
    expect(result.headers?.['content-disposition']).toBe('attachment; filename="f.pdf"');
    expect(result.headers?.[REQUEST_ID_HEADER]).toBeDefined();
  });
});
