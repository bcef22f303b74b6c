import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoOperation, seen, slowOperation } from '../../test/fixtures/handlers.ts';
import { readJson } from '../../test/support/http.ts';
import { serviceEndpoints, uniqueName } from '../../test/support/services.ts';
import { nimbus } from '../topology/nimbus.ts';
import type { Topology } from '../topology/types.ts';
import { LOCAL_CREDENTIALS } from './backing-services.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';

const fixtures = 'test/fixtures/handlers.ts';
const fixture = (name: string, timeoutSeconds?: number) => ({
  name,
  context: 'test',
  entry: fixtures,
  handler: name,
  access: {},
  ...(timeoutSeconds ? { timeoutSeconds } : {}),
});

/** A small topology exercising every kind of wiring the runtime offers. */
const topology: Topology = {
  app: 'runtime-test',
  table: nimbus.table,
  bus: { name: 'test-bus' },
  functions: [
    fixture('echo'),
    fixture('slow', 1),
    fixture('recordMessages'),
    fixture('failEverything'),
    fixture('holdMessages'),
    fixture('recordEvent'),
    fixture('recordSchedule'),
  ],
  routes: [
    { operation: echoOperation, function: 'echo' },
    { operation: slowOperation, function: 'slow' },
  ],
  queues: [
    {
      name: 'work',
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 3,
      consumer: { function: 'recordMessages', batchSize: 5 },
    },
    {
      name: 'poison',
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
      consumer: { function: 'failEverything', batchSize: 1 },
    },
    {
      name: 'parallel',
      visibilityTimeoutSeconds: 5,
      maxReceiveCount: 3,
      consumer: { function: 'holdMessages', batchSize: 1, maxConcurrency: 3 },
    },
  ],
  rules: [
    {
      name: 'ordersToQueue',
      description: 'every order event to the work queue',
      pattern: { source: ['test.orders'], 'detail-type': [{ prefix: 'order.' }] },
      targets: [{ kind: 'queue', queue: 'work' }],
    },
    {
      name: 'paidToFunction',
      description: 'paid orders to a function',
      pattern: {
        source: ['test.orders'],
        'detail-type': ['order.paid'],
        detail: { total: [{ numeric: ['>', 0] }] },
      },
      targets: [{ kind: 'function', function: 'recordEvent' }],
    },
  ],
  schedules: [
    { name: 'tick', description: 'every minute', expression: 'rate(1 minute)', function: 'recordSchedule' },
  ],
};

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    topology,
    services: serviceEndpoints(),
    namePrefix: uniqueName('rt'),
    webRoot: null,
    runSchedules: false,
    quiet: true,
  });
});
afterAll(() => runtime?.stop());

async function dlqBodies(queue: string): Promise<string[]> {
  const { Messages = [] } = await runtime.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: runtime.queues.get(`${queue}-dlq`)?.url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return Messages.map((message) => message.Body ?? '');
}

describe('local API Gateway', () => {
  const post = (path: string, body: string) =>
    fetch(`${runtime.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('routes to the handler with path parameters and a JSON body', async () => {
    const response = await post('/api/echo/widget', '{"quantity":2}');
    expect(response.status).toBe(201);
    expect(await readJson(response)).toEqual({ name: 'widget', quantity: 2 });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers a bad JSON body with a 400 that names the problem', async () => {
    const response = await post('/api/echo/widget', '{"quantity": 2');
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.code).toBe('invalid_json');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('answers a wrong field with a 400 that gives its path', async () => {
    const response = await post('/api/echo/widget', '{"quantity": "two"}');
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.details[0].path).toBe('body.quantity');
  });

  it('behaves like API Gateway for unknown routes and timed-out functions', async () => {
    expect((await fetch(`${runtime.url}/api/nowhere`)).status).toBe(404);
    expect((await fetch(`${runtime.url}/api/echo/widget`)).status).toBe(404); // wrong method
    expect((await fetch(`${runtime.url}/api/slow`)).status).toBe(503);
  });
});

describe('local event bus', () => {
  it('delivers an event to the targets of every matching rule, and only those', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    const busName = process.env.EVENT_BUS_NAME;
    const put = (detailType: string, detail: object, source = 'test.orders') =>
      client.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
          ],
        }),
      );
    const paid = await put('order.paid', { orderId: 'ord_1', total: 10 });
    expect(paid.FailedEntryCount).toBe(0);
    await put('order.placed', { orderId: 'ord_2', total: 10 });
    await put('order.paid', { orderId: 'ord_3', total: 0 });
    await put('invoice.paid', { orderId: 'ord_4', total: 5 }, 'test.billing');
    await runtime.bus.settle();

    expect(seen().events).toEqual([
      expect.objectContaining({
        source: 'test.orders',
        'detail-type': 'order.paid',
        detail: { orderId: 'ord_1', total: 10 },
      }),
    ]);
    await expect
      .poll(() =>
        seen()
          .messages.filter((m) => m.body.includes('"orderId"'))
          .map((m) => JSON.parse(m.body).detail.orderId)
          .sort(),
      )
      .toEqual(['ord_1', 'ord_2', 'ord_3']);
  });

  it('rejects events for a bus that does not exist', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'nope', Source: 's', DetailType: 'd', Detail: '{}' }],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
  });
});

describe('SQS event-source mapping', () => {
  it('moves a message that keeps failing to the DLQ after maxReceiveCount receives', async () => {
    const body = JSON.stringify({ poison: uniqueName('pill') });
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.queues.get('poison')?.url, MessageBody: body }),
    );
    await expect.poll(() => dlqBodies('poison'), { timeout: 15_000, interval: 250 }).toContain(body);
    const attempts = seen().messages.filter((message) => message.body === body);
    expect(attempts.map((attempt) => attempt.receiveCount)).toEqual([1, 2]);
  });

  it('retries only the records a batch reports as failed', async () => {
    const tag = uniqueName('batch');
    const bodies = ['a', 'b', 'c'].map((name) => JSON.stringify({ tag, name, fail: name === 'b' }));
    for (const body of bodies) {
      await runtime.sqs.send(
        new SendMessageCommand({ QueueUrl: runtime.queues.get('work')?.url, MessageBody: body }),
      );
    }
    await expect.poll(() => dlqBodies('work'), { timeout: 15_000, interval: 250 }).toContain(bodies[1]);
    const deliveries = (name: string) =>
      seen().messages.filter((m) => m.body === bodies[['a', 'b', 'c'].indexOf(name)]);
    expect(deliveries('a')).toHaveLength(1);
    expect(deliveries('c')).toHaveLength(1);
    expect(deliveries('b').map((d) => d.receiveCount)).toEqual([1, 2, 3]);
  });
});

describe('local event-source mapping concurrency', () => {
  it('works on up to maxConcurrency batches at once, as Lambda scales its pollers', async () => {
    const tag = uniqueName('parallel');
    const bodies = Array.from({ length: 6 }, (_, index) => JSON.stringify({ tag, index }));
    for (const body of bodies) {
      await runtime.sqs.send(
        new SendMessageCommand({ QueueUrl: runtime.queues.get('parallel')?.url, MessageBody: body }),
      );
    }
    await expect
      .poll(() => seen().messages.filter((message) => message.body.includes(tag)).length, { timeout: 15_000 })
      .toBe(6);
    expect(seen().holding.most).toBeGreaterThanOrEqual(2);
    expect(seen().holding.most).toBeLessThanOrEqual(3);
  });
});

describe('local scheduler', () => {
  it('fires a schedule when it is due with the schedule input EventBridge Scheduler sends', async () => {
    // Pretend the schedule started almost a minute ago, so its first run is due in a moment.
    runtime.scheduler.start(new Date(Date.now() - 60_000 + 300));
    await expect.poll(() => seen().schedules, { timeout: 5_000 }).toHaveLength(1);
    expect(seen().schedules[0]).toEqual({ schedule: 'tick', scheduledTime: expect.any(String) });
    runtime.scheduler.stop();
  });
});
