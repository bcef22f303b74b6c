/**
 * The system described as data. Both the CDK app (infra/aws) and the one-machine runtime
 * (infra/local) read this description, so what runs locally is what deploys.
 */
import type { Operation } from '#shared/http/operation.ts';

export type TableAccess = 'read' | 'readWrite';

/** What a function may touch; IAM policies (AWS) are derived from it, nothing more is granted. */
export type FunctionAccess = {
  table?: TableAccess;
  /** Queues the function sends to (by queue name). Consumers get receive/delete from their mapping. */
  sendTo?: string[];
  /** Queues whose attributes the function reads (health checks). */
  inspect?: string[];
  /** Publishes domain events to the bus. */
  publish?: boolean;
  /** Reads the bus description (health checks). */
  describeBus?: boolean;
  /** Sends email (SES on AWS, the outbox locally); the function also gets EMAIL_FROM. */
  sendEmail?: boolean;
  /**
   * Reads the data keys that seal merchants' payment keys (Stripe): on AWS the stack's Secrets
   * Manager secret (PAYMENTS_DATA_KEYS_SECRET_ARN), locally PAYMENTS_DATA_KEYS.
   */
  paymentKeys?: boolean;
};

export type FunctionDef = {
  /** Logical name, camelCase; also the Lambda function's name suffix. */
  name: string;
  /** Bounded context the handler belongs to (functions/src/<context>/). */
  context: string;
  /** Handler module, relative to the repository root. */
  entry: string;
  /** Exported handler name. */
  handler?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  access: FunctionAccess;
};

export type RouteDef = {
  operation: Operation;
  /** Function (by name) that serves the route. */
  function: string;
};

export type IndexDef = {
  /** Named after the query it serves. */
  name: string;
  partitionKey: string;
  sortKey: string;
};

export type TableDef = {
  name: string;
  partitionKey: 'pk';
  sortKey: 'sk';
  ttlAttribute: string;
  indexes: IndexDef[];
};

export type QueueDef = {
  name: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue (`<name>-dlq`). */
  maxReceiveCount: number;
  consumer: {
    function: string;
    batchSize: number;
    maxBatchingWindowSeconds?: number;
    /**
     * Batches worked on at once (the event-source mapping's maximum concurrency; 2–1000 on AWS).
     * Default: one locally, as many as Lambda scales to on AWS.
     */
    maxConcurrency?: number;
  };
};

/** An EventBridge event pattern (the subset of the pattern language our rules use is in infra/local/event-pattern.ts). */
export type EventPattern = Record<string, unknown>;

export type RuleTarget = { kind: 'queue'; queue: string } | { kind: 'function'; function: string };

export type RuleDef = {
  name: string;
  description: string;
  pattern: EventPattern;
  targets: RuleTarget[];
};

export type ScheduleDef = {
  name: string;
  description: string;
  /** AWS schedule expression: `rate(5 minutes)` or `cron(0 * * * ? *)`, always UTC. */
  expression: string;
  function: string;
};

export type Topology = {
  app: string;
  table: TableDef;
  bus: { name: string };
  functions: FunctionDef[];
  routes: RouteDef[];
  queues: QueueDef[];
  rules: RuleDef[];
  schedules: ScheduleDef[];
};

/** Environment variable that carries a queue's URL to the functions that use it. */
export function queueUrlEnvName(queue: string): string {
  return `QUEUE_URL_${queue.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function deadLetterQueueName(queue: string): string {
  return `${queue}-dlq`;
}
