import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineOperation, PUBLIC } from '#shared/http/operation.ts';
import { apiEvent, lambdaContext } from '../../../test/support/api-event.ts';
import { freshTable } from '../../../test/support/services.ts';
import { DynamoDbIdempotencyStore } from './adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler } from './http-handler.ts';
import { REPLAYED_HEADER } from './idempotency.ts';

const createThing = defineOperation({
  operationId: 'createThing',
  method: 'POST',
  path: '/api/things',
  summary: 'test',
  tags: ['test'],
  access: PUBLIC,
  idempotent: true,
  request: { body: z.object({ name: z.string() }) },
  responses: { 201: z.object({ id: z.number(), name: z.string() }) },
});

let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoDbIdempotencyStore;
let executions = 0;
let release: (() => void) | undefined;

beforeAll(async () => {
  table = await freshTable();
  store = new DynamoDbIdempotencyStore(table.documentClient, table.tableName);
});
afterAll(() => table.drop());

const handler = httpHandler(
  createThing,
  async ({ body }) => {
    executions += 1;
    if (body.name === 'slow') await new Promise<void>((resolve) => (release = resolve));
    if (body.name === 'crash') throw new Error('downstream timeout');
    return created({ id: executions, name: body.name });
  },
  { idempotencyStore: () => store, idempotencyScope: () => 'T#ten_test' },
);

const post = async (name: string, key?: string) =>
  (await handler(
    apiEvent({
      method: 'POST',
      path: '/api/things',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ name }),
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;

describe('Idempotency-Key on DynamoDB', () => {
  it('runs a retried request once and returns the first response again', async () => {
    const before = executions;
    const first = await post('a', 'key-1');
    const retry = await post('a', 'key-1');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(retry.headers?.[REPLAYED_HEADER]).toBe('true');
    expect(executions - before).toBe(1);
  });

  it('refuses the same key for a different request with a 409', async () => {
    await post('b', 'key-2');
    const reuse = await post('other', 'key-2');
    expect(reuse.statusCode).toBe(409);
    expect(JSON.parse(reuse.body ?? '').error.code).toBe('idempotency_key_reused');
  });

  it('answers a retry while the first request still runs with a 409 to retry later', async () => {
    const first = post('slow', 'key-3');
    await expect.poll(() => release, { timeout: 5_000 }).toBeDefined();
    const concurrent = await post('slow', 'key-3');
    expect(concurrent.statusCode).toBe(409);
    expect(JSON.parse(concurrent.body ?? '').error.code).toBe('request_in_progress');
    release?.();
    expect((await first).statusCode).toBe(201);
  });

  it('lets a retry run again after the first attempt failed with a 500', async () => {
    const failed = await post('crash', 'key-4');
    expect(failed.statusCode).toBe(500);
    const before = executions;
    const retried = await post('crash', 'key-4');
    expect(retried.statusCode).toBe(500);
    expect(executions - before).toBe(1);
  });

  it('keeps keys apart per scope and runs requests without a key every time', async () => {
    const before = executions;
    await post('c');
    await post('c');
    expect(executions - before).toBe(2);
    expect(await store.claim('T#ten_other', 'key-1', 'hash', new Date())).toBeUndefined();
  });

  it('rejects a malformed key with a 400', async () => {
    const result = await post('d', 'has spaces in it');
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '').error.code).toBe('invalid_idempotency_key');
  });
});
