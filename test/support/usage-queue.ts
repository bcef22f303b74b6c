/**
 * A test's own `usage-records` queue on fauxqs: what ingestUsage accepts waits there as it does on
 * the runtime; `drain` records it (recordUsage) the way the queue's consumer does.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { IngestUsageRequest, type UsageEvent } from '#shared/usage/api.ts';
import { SqsUsageQueue } from '../../functions/src/usage/adapters/sqs-usage-queue.ts';
import { UsageBatch } from '../../functions/src/usage/usage-batch.ts';
import { recordUsage, type UsageDeps } from '../../functions/src/usage/usage-service.ts';
import { sqsClient, uniqueName } from './services.ts';

export async function freshUsageQueue() {
  const client = sqsClient();
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: uniqueName('usage') }));
  const url = QueueUrl as string;
  return {
    queue: new SqsUsageQueue(client, () => url),
    /** Records everything waiting, 10 messages at a time: how many batches and samples already stored. */
    async drain(deps: Parameters<typeof recordUsage>[0]): Promise<{ batches: number; duplicates: number }> {
      let batches = 0;
      let duplicates = 0;
      for (;;) {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return { batches, duplicates };
        const recorded = await recordUsage(
          deps,
          Messages.map((message) => UsageBatch.parse(JSON.parse(message.Body ?? ''))),
        );
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle as string,
            })),
          }),
        );
        batches += Messages.length;
        duplicates += recorded.duplicates;
      }
    },
    drop: async () => {
      await client.send(new DeleteQueueCommand({ QueueUrl: url }));
      client.destroy();
    },
  };
}

export type FreshUsageQueue = Awaited<ReturnType<typeof freshUsageQueue>>;
export type { UsageDeps };

/** One usage record as a platform sends it, through the request schema (as the handler parses it). */
export function usageRecord(
  subject: string,
  metric: string,
  value: number,
  time: string,
  id: string,
): UsageEvent {
  return IngestUsageRequest.parse({
    events: [
      {
        specversion: '1.0',
        id,
        source: 'platform.test',
        type: 'nimbus.usage.v1',
        subject,
        time,
        data: { metric, value },
      },
    ],
  }).events[0] as UsageEvent;
}
