import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthReport } from '#shared/system/api.ts';
import { readJson } from '../../test/support/http.ts';
import { serviceEndpoints, uniqueName } from '../../test/support/services.ts';
import { nimbus } from '../topology/nimbus.ts';
import { deadLetterQueueName } from '../topology/types.ts';
import { LOCAL_CREDENTIALS } from './backing-services.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';

describe('the Nimbus topology on the local runtime', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      port: 0,
      services: serviceEndpoints(),
      namePrefix: uniqueName('nimbus'),
      webRoot: null,
      seed: true,
      runSchedules: false,
      quiet: true,
    });
  });
  afterAll(() => runtime?.stop());

  it('creates the table and every queue with its DLQ from the topology', async () => {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      endpoint: serviceEndpoints().dynamoDbEndpoint,
    });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: runtime.tableName }));
    expect(Table?.KeySchema?.map((key) => key.AttributeName)).toEqual(['pk', 'sk']);
    for (const queue of nimbus.queues) {
      expect(runtime.queues.get(queue.name)?.url).toBeTruthy();
      expect(runtime.queues.get(deadLetterQueueName(queue.name))?.url).toBeTruthy();
    }
  });

  it('serves the seeded demo store and a 404 in the error shape for an unknown one', async () => {
    const demo = await fetch(`${runtime.url}/api/v1/stores/demo`);
    expect(demo.status).toBe(200);
    expect(await readJson(demo)).toMatchObject({ slug: 'demo', name: 'Demo Cloud' });
    const missing = await fetch(`${runtime.url}/api/v1/stores/no-such-store`);
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).error.code).toBe('store_not_found');
  });

  it('reports every dependency and sees a heartbeat travel schedule → bus → queue → consumer', async () => {
    const before = HealthReport.parse(await readJson(await fetch(`${runtime.url}/api/health`)));
    expect(before.dependencies.map((d) => d.name).sort()).toEqual([
      'dynamodb',
      'eventbus',
      'pipeline',
      'sqs',
    ]);
    expect(before.dependencies.find((d) => d.name === 'dynamodb')?.status).toBe('ok');
    expect(before.dependencies.find((d) => d.name === 'pipeline')?.status).toBe('degraded');

    await runtime.scheduler.fire('heartbeat');
    await expect
      .poll(
        async () => {
          const response = await fetch(`${runtime.url}/api/health`);
          return { status: response.status, body: HealthReport.parse(await readJson(response)).status };
        },
        { timeout: 10_000, interval: 500 },
      )
      .toEqual({ status: 200, body: 'ok' });
  });

  it('serves an OpenAPI 3.1 document that lists every route with its operationId', async () => {
    const document = await readJson(await fetch(`${runtime.url}/api/openapi.json`));
    expect(document.openapi).toBe('3.1.0');
    for (const { operation } of nimbus.routes) {
      expect(document.paths[operation.path][operation.method.toLowerCase()].operationId).toBe(
        operation.operationId,
      );
    }
  });
});

describe('npm start data', () => {
  it('keeps data across restarts in the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-data-'));
    try {
      const first = await startLocalRuntime({
        port: 0,
        dataDir,
        webRoot: null,
        seed: true,
        runSchedules: false,
        quiet: true,
      });
      expect(first.seeded).toBe('created');
      await first.stop();
      const second = await startLocalRuntime({
        port: 0,
        dataDir,
        webRoot: null,
        seed: true,
        runSchedules: false,
        quiet: true,
      });
      expect(second.seeded).toBe('existing');
      expect((await fetch(`${second.url}/api/v1/stores/demo`)).status).toBe(200);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
