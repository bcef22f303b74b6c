/**
 * The one-machine runtime: everything the topology describes, on one URL.
 *   DynamoDB Local ─ table from the topology
 *   fauxqs ─ queues + DLQs from the topology, SQS pollers (event-source mappings)
 *   local EventBridge ─ rules from the topology; local scheduler ─ schedules from the topology
 *   outbox ─ SES v2 SendEmail; mail kept in memory (+ <dataDir>/outbox.jsonl)
 *   HTTP server ─ /api/* through the API Gateway v2 adapter, /_outbox (mailbox), /_registrar
 *   (reference domain registrar), /_platform (reference provisioning platform), everything else
 *   from web/build
 * Handlers run in this process with the environment the CDK app gives them on AWS.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTenantRepository } from '#functions/tenants/adapters/dynamodb-tenant-repository.ts';
import { nimbus } from '../topology/nimbus.ts';
import { queueUrlEnvName, type Topology } from '../topology/types.ts';
import { LocalApiGateway } from './api-gateway.ts';
import {
  ensureQueues,
  ensureTable,
  LOCAL_CREDENTIALS,
  type QueueAddress,
  type RunningService,
  startDynamoDbLocal,
  startQueueService,
} from './backing-services.ts';
import { LocalEmailOutbox } from './email-outbox.ts';
import { LOCAL_REGION, LocalEventBus } from './event-bus.ts';
import { LocalFunctions } from './functions.ts';
import { localPaymentDataKeys } from './payment-keys.ts';
import { ReferencePlatform } from './reference-platform.ts';
import { REGISTRAR_PATH, ReferenceRegistrar } from './reference-registrar.ts';
import { consoleRuntimeLog, silentRuntimeLog } from './runtime-log.ts';
import { LocalScheduler } from './scheduler.ts';
import { DEMO_STORE, seedDemoData } from './seed.ts';
import { seedReferencePlatform } from './seed-platform.ts';
import { seedDemoTriggerPolicies } from './seed-triggers.ts';
import { SqsPoller } from './sqs-poller.ts';
import { serveStatic } from './static-site.ts';

/** Written into the data folder while a runtime runs on it. */
export const RUNTIME_STATE_FILE = 'runtime.json';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The sender of local mail (EMAIL_FROM); on AWS it comes from the CDK context `emailFrom`. */
export const LOCAL_EMAIL_FROM = 'Nimbus <no-reply@nimbus.test>';

export type LocalRuntimeOptions = {
  /** HTTP port; 0 picks a free one. */
  port: number;
  host?: string;
  /**
   * Where DynamoDB Local, fauxqs and the outbox (outbox.jsonl) keep data across restarts; undefined
   * keeps everything in memory. With `services`, only the outbox uses it.
   */
  dataDir?: string | undefined;
  topology?: Topology;
  /** Seed the demo store (npm start does). */
  seed?: boolean;
  /** Built web app to serve; null serves only the API. */
  webRoot?: string | null;
  /** Use emulators that are already running (the test suite's) instead of starting new ones. */
  services?: { dynamoDbEndpoint: string; sqsEndpoint: string };
  /** Prefix of table and queue names, to isolate runtimes sharing emulators. */
  namePrefix?: string;
  /** Run schedules on their timers (default true; tests fire them by hand). */
  runSchedules?: boolean;
  /** Handler log level (Powertools); default WARN. */
  logLevel?: string;
  /** No failure reports and only handler errors in the log (tests that provoke failures). */
  quiet?: boolean;
  /**
   * Point the demo store's default connector at the reference platform and give the platform a
   * usage key (needs `seed`). Default: on for npm start, off on shared emulators (tests opt in),
   * so store tests that make the default connector themselves find none.
   */
  connectPlatform?: boolean;
};

export type LocalRuntime = {
  url: string;
  tableName: string;
  queues: Map<string, QueueAddress>;
  functions: LocalFunctions;
  bus: LocalEventBus;
  /** Every mail handlers sent (SES stand-in); also at <url>/_outbox and <url>/_outbox.json. */
  outbox: LocalEmailOutbox;
  scheduler: LocalScheduler;
  /** The reference provisioning platform at <url>/_platform (configured when connected). */
  platform: ReferencePlatform;
  documentClient: DynamoDBDocumentClient;
  sqs: SQSClient;
  seeded: 'created' | 'existing' | 'skipped';
  stop: () => Promise<void>;
};

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const topology = options.topology ?? nimbus;
  const log = options.quiet ? silentRuntimeLog : consoleRuntimeLog;
  const prefix = options.namePrefix ?? `${topology.app}-local`;
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    let dynamoDbEndpoint: string;
    let sqsEndpoint: string;
    if (options.services) {
      ({ dynamoDbEndpoint, sqsEndpoint } = options.services);
    } else {
      const dataDir = options.dataDir;
      const started = await Promise.allSettled([
        startDynamoDbLocal(dataDir && join(dataDir, 'dynamodb')),
        startQueueService(dataDir && join(dataDir, 'fauxqs')),
      ]);
      for (const service of started) if (service.status === 'fulfilled') cleanups.push(service.value.stop);
      const [dynamo, queueService] = started.map((service) => {
        if (service.status === 'rejected') throw service.reason;
        return service.value;
      }) as [RunningService, RunningService];
      dynamoDbEndpoint = dynamo.endpoint;
      sqsEndpoint = queueService.endpoint;
    }

    const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const dynamoDb = new DynamoDBClient({ ...clientConfig, endpoint: dynamoDbEndpoint });
    const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const sqs = new SQSClient({ ...clientConfig, endpoint: sqsEndpoint });
    cleanups.push(
      () => dynamoDb.destroy(),
      () => sqs.destroy(),
    );

    const tableName = `${prefix}-${topology.table.name}`;
    const busName = `${prefix}-${topology.bus.name}`;
    const [, queues] = await Promise.all([
      ensureTable(dynamoDb, topology, tableName),
      ensureQueues(sqs, sqsEndpoint, topology, (name) => `${prefix}-${name}`),
    ]);

    const functions = new LocalFunctions(topology, REPO_ROOT);
    const bus = new LocalEventBus(
      topology,
      busName,
      functions,
      sqs,
      new Map([...queues].map(([name, address]) => [name, address.url])),
      log,
    );
    const busEndpoint = await bus.start();
    cleanups.push(() => bus.stop());
    const outbox = new LocalEmailOutbox({
      file: options.dataDir && join(options.dataDir, 'outbox.jsonl'),
      log,
    });
    const outboxEndpoint = await outbox.start();
    cleanups.push(() => outbox.stop());

    // The environment every function gets on AWS, pointed at the local services.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: busEndpoint,
      AWS_ENDPOINT_URL_SESV2: outboxEndpoint,
      EMAIL_FROM: LOCAL_EMAIL_FROM,
      // Every store on this machine is a sandbox: its test clock can be moved (advanceTestClock).
      NIMBUS_SANDBOX_STORES: 'all',
      // Webhooks may reach the reference platform on this machine (private addresses stay refused).
      NIMBUS_LOOPBACK_WEBHOOKS: 'allow',
      // Seal merchants' Stripe keys (the stack's Secrets Manager secret on AWS); kept per data folder.
      PAYMENTS_DATA_KEYS: process.env.PAYMENTS_DATA_KEYS ?? localPaymentDataKeys(options.dataDir),
      TABLE_NAME: tableName,
      EVENT_BUS_NAME: busName,
      POWERTOOLS_SERVICE_NAME: 'nimbus',
      POWERTOOLS_LOG_LEVEL:
        options.logLevel ?? (options.quiet ? 'ERROR' : (process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN')),
      ...Object.fromEntries([...queues].map(([name, address]) => [queueUrlEnvName(name), address.url])),
    });

    const seeded = options.seed ? await seedDemoData(documentClient, tableName, dynamoDbEndpoint) : 'skipped';

    for (const queue of topology.queues) {
      const address = queues.get(queue.name) as QueueAddress;
      const poller = new SqsPoller(queue, address.url, address.arn, sqs, functions, log);
      poller.start();
      cleanups.push(() => poller.stop());
    }
    const scheduler = new LocalScheduler(topology, functions, log);
    if (options.runSchedules ?? true) scheduler.start();
    cleanups.push(() => scheduler.stop());

    const api = new LocalApiGateway(topology, functions, log);
    const registrar = new ReferenceRegistrar();
    const platform = new ReferencePlatform({ dataDir: options.dataDir, log });
    cleanups.push(() => platform.stop());
    const webRoot = options.webRoot === undefined ? join(REPO_ROOT, 'web', 'build') : options.webRoot;
    const server: Server = createServer((request, response) => {
      const path = request.url ?? '/';
      if (path === '/api' || path.startsWith('/api/')) {
        api.handle(request, response).catch((error: unknown) => {
          log('[api] adapter failed:', error);
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
          response.end('{"message":"Internal Server Error"}');
        });
      } else if (outbox.serve(request, response)) {
        // the mailbox: /_outbox, /_outbox.json
      } else if (registrar.serve(request, response)) {
        // the reference registrar: /_registrar/v1/domains/check
      } else if (platform.serve(request, response)) {
        // the reference provisioning platform: /_platform/webhooks, /_platform/services
      } else if (webRoot) {
        serveStatic(webRoot, request, response);
      } else {
        response.writeHead(404).end();
      }
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        }),
    );
    const address = server.address() as AddressInfo;
    const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
    const url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}`;
    // Links in emails and the CSRF origin check use the web app's address (on AWS: the site URL).
    process.env.PUBLIC_URL = url;
    process.env.REGISTRAR_URL = `${url}${REGISTRAR_PATH}`;
    if (options.seed && (options.connectPlatform ?? !options.services)) {
      // Only now: the connector's URL is the runtime's, known after listen.
      const { secret, apiKey } = await seedReferencePlatform(documentClient, tableName, url, options.dataDir);
      platform.configure({ nimbusUrl: url, store: DEMO_STORE.slug, secrets: [secret], apiKey });
      const demo = await new DynamoDbTenantRepository(documentClient, tableName).findBySlug(DEMO_STORE.slug);
      if (demo) await seedDemoTriggerPolicies(documentClient, tableName, demo);
    }
    if (options.dataDir && !options.services) {
      // Lets `npm run operator` use this runtime's database instead of starting a second one on it.
      const stateFile = join(options.dataDir, RUNTIME_STATE_FILE);
      writeFileSync(stateFile, JSON.stringify({ pid: process.pid, url, dynamoDbEndpoint, tableName }));
      cleanups.push(() => rmSync(stateFile, { force: true }));
    }
    return {
      url,
      tableName,
      queues,
      functions,
      bus,
      outbox,
      scheduler,
      platform,
      documentClient,
      sqs,
      seeded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
