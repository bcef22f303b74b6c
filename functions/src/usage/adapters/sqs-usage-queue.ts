import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { UnavailableError } from '#shared/errors.ts';
import { logger } from '../../observability/logger.ts';
import type { UsageBatch, UsageQueue } from '../usage-batch.ts';

/** The `usage-records` queue. Its URL is looked up on first use (only the API function sends). */
export class SqsUsageQueue implements UsageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: () => string,
  ) {}

  async send(batch: UsageBatch): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({ QueueUrl: this.queueUrl(), MessageBody: JSON.stringify(batch) }),
      );
    } catch (error) {
      logger.error('usage batch not queued', error as Error);
      // Nothing was accepted: the platform sends the same batch again (it is idempotent).
      throw new UnavailableError(
        'usage_busy',
        'The usage could not be accepted right now; send the batch again',
      );
    }
  }
}
