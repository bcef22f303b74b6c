/**
 * The EventBridge stand-in. It speaks the EventBridge API (AWS JSON 1.1: PutEvents,
 * DescribeEventBus) on its own port, so handlers use the real @aws-sdk/client-eventbridge with
 * AWS_ENDPOINT_URL_EVENTBRIDGE pointing here; matching rules (same patterns as on AWS) deliver the
 * event, in EventBridge's envelope, to their targets: a queue (SendMessage) or a function.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RuleDef, Topology } from '../topology/types.ts';
import { matchesPattern } from './event-pattern.ts';
import type { LocalFunctions } from './functions.ts';
import { consoleRuntimeLog, type RuntimeLog } from './runtime-log.ts';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type BusEventEnvelope = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
};

type PutEventsEntry = {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
};

/** EventBridge retries function targets; locally a few quick attempts, then the failure is logged. */
const FUNCTION_TARGET_ATTEMPTS = 3;

export class LocalEventBus {
  #server: Server | undefined;
  readonly #pending = new Set<Promise<void>>();
  /** Every event accepted, newest last: the runtime's log, useful in tests and demos. */
  readonly published: BusEventEnvelope[] = [];

  constructor(
    private readonly topology: Topology,
    private readonly busName: string,
    private readonly functions: LocalFunctions,
    private readonly sqs: SQSClient,
    private readonly queueUrls: Map<string, string>,
    private readonly log: RuntimeLog = consoleRuntimeLog,
  ) {}

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      this.#serve(request, response).catch((error: unknown) => {
        respond(response, 500, { __type: 'InternalException', message: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Waits until every delivery started so far has finished (tests use this to avoid sleeping). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async stop(): Promise<void> {
    await this.settle();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Accepts one event as PutEvents would and delivers it to the targets of every matching rule. */
  put(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const busName = entry.EventBusName ?? 'default';
    if (busName !== this.busName && !busName.endsWith(`:event-bus/${this.busName}`)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    if (!entry.Source || !entry.DetailType || !entry.Detail) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON.' };
    }
    const time =
      entry.Time === undefined
        ? new Date()
        : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    const event: BusEventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail,
    };
    this.published.push(event);
    for (const rule of this.topology.rules) {
      if (matchesPattern(rule.pattern, event)) this.#track(this.#deliver(rule, event));
    }
    return { EventId: event.id };
  }

  #track(delivery: Promise<void>): void {
    this.#pending.add(delivery);
    void delivery.finally(() => this.#pending.delete(delivery));
  }

  async #deliver(rule: RuleDef, event: BusEventEnvelope): Promise<void> {
    await Promise.all(
      rule.targets.map(async (target) => {
        if (target.kind === 'queue') {
          const queueUrl = this.queueUrls.get(target.queue);
          if (!queueUrl) throw new Error(`rule ${rule.name}: no queue '${target.queue}'`);
          await this.sqs.send(
            new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }),
          );
          return;
        }
        for (let attempt = 1; attempt <= FUNCTION_TARGET_ATTEMPTS; attempt += 1) {
          try {
            await this.functions.invoke(target.function, event);
            return;
          } catch (error) {
            if (attempt === FUNCTION_TARGET_ATTEMPTS) {
              this.log(`[bus] rule ${rule.name} → ${target.function} failed ${attempt} times:`, error);
            }
          }
        }
      }),
    ).catch((error: unknown) => this.log(`[bus] rule ${rule.name}: delivery failed:`, error));
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;

    if (target === 'AWSEvents.PutEvents') {
      const entries = (input.Entries as PutEventsEntry[] | undefined) ?? [];
      if (entries.length === 0 || entries.length > 10) {
        respond(response, 400, {
          __type: 'ValidationException',
          message: 'Entries must hold 1 to 10 events.',
        });
        return;
      }
      const results = entries.map((entry) => this.put(entry));
      respond(response, 200, {
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      });
      return;
    }
    if (target === 'AWSEvents.DescribeEventBus') {
      const name = String(input.Name ?? 'default');
      if (name !== this.busName) {
        respond(response, 400, {
          __type: 'ResourceNotFoundException',
          message: `Event bus ${name} does not exist.`,
        });
        return;
      }
      respond(response, 200, {
        Name: name,
        Arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${name}`,
      });
      return;
    }
    respond(response, 400, {
      __type: 'UnknownOperationException',
      message: `${target} is not emulated locally.`,
    });
  }
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
