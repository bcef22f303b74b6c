/**
 * The Lambda event-source mapping for SQS: polls a queue, hands the consumer batches of up to
 * `batchSize` records shaped as Lambda delivers them, deletes what succeeded and leaves failures
 * (the whole batch on an error, or the `batchItemFailures` it reports) to reappear after the
 * visibility timeout. The queue's redrive policy (fauxqs) moves a message to its DLQ after
 * maxReceiveCount receives, exactly as SQS does.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueDef } from '../topology/types.ts';
import { LOCAL_REGION } from './event-bus.ts';
import type { LocalFunctions } from './functions.ts';
import { consoleRuntimeLog, type RuntimeLog } from './runtime-log.ts';

/** SQS returns at most 10 messages per receive. */
const MAX_PER_RECEIVE = 10;
/** Long-poll wait: short, so stopping the runtime is quick. */
const WAIT_SECONDS = 1;

export class SqsPoller {
  #running = false;
  #loops: Promise<void>[] = [];
  #inFlight = 0;

  constructor(
    private readonly queue: QueueDef,
    private readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly sqs: SQSClient,
    private readonly functions: LocalFunctions,
    private readonly log: RuntimeLog = consoleRuntimeLog,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // One poll loop per batch the mapping may work on at once, as Lambda scales its pollers.
    this.#loops = Array.from({ length: this.queue.consumer.maxConcurrency ?? 1 }, () => this.#pollForever());
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  /** True while a batch is being processed (tests wait for idle). */
  get busy(): boolean {
    return this.#inFlight > 0;
  }

  async #pollForever(): Promise<void> {
    while (this.#running) {
      try {
        const messages = await this.#receiveBatch();
        if (messages.length > 0) await this.#process(messages);
      } catch (error) {
        if (!this.#running) return;
        this.log(`[sqs] ${this.queue.name}: polling failed:`, error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Gathers up to batchSize messages, waiting at most the batching window for more. */
  async #receiveBatch(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds = 0 } = this.queue.consumer;
    const windowEnds = Date.now() + maxBatchingWindowSeconds * 1000;
    const messages: Message[] = [];
    do {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_PER_RECEIVE, batchSize - messages.length),
          WaitTimeSeconds: messages.length === 0 ? WAIT_SECONDS : 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      messages.push(...Messages);
      if (Messages.length === 0 && messages.length > 0) break;
    } while (this.#running && messages.length > 0 && messages.length < batchSize && Date.now() < windowEnds);
    return messages;
  }

  async #process(messages: Message[]): Promise<void> {
    this.#inFlight += 1;
    try {
      const event: SQSEvent = { Records: messages.map((message) => this.#toRecord(message)) };
      let failedIds: Set<string>;
      try {
        const result = (await this.functions.invoke(this.queue.consumer.function, event)) as
          | SQSBatchResponse
          | undefined;
        failedIds = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch (error) {
        this.log(`[sqs] ${this.queue.name} → ${this.queue.consumer.function}: batch failed:`, error);
        return; // nothing deleted: every message returns after the visibility timeout
      }
      const succeeded = messages.filter((message) => !failedIds.has(message.MessageId as string));
      if (succeeded.length === 0) return;
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: succeeded.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle as string,
          })),
        }),
      );
    } finally {
      this.#inFlight -= 1;
    }
  }

  #toRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            dataType: value.DataType ?? 'String',
            ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queueArn,
      awsRegion: LOCAL_REGION,
    };
  }
}
