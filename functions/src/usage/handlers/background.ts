/**
 * The `usage-records` consumer: up to 10 accepted batches at once, recorded together (a
 * service's samples of all of them in one write per bucket). An unreadable message is reported
 * failed alone (it ends in the DLQ); a failed write fails the whole delivery, which is safe to
 * repeat: samples are keyed by their record's identity.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseMessageBody } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { tableUsage } from '../table-usage.ts';
import { UsageBatch } from '../usage-batch.ts';
import { recordUsage as record } from '../usage-service.ts';

export const recordUsage = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batches: UsageBatch[] = [];
  const unreadable: string[] = [];
  for (const message of event.Records) {
    try {
      batches.push(parseMessageBody(UsageBatch, message));
    } catch (error) {
      logger.error('unreadable usage batch', { messageId: message.messageId, error: error as Error });
      unreadable.push(message.messageId);
    }
  }
  try {
    if (batches.length > 0) await record(tableUsage(), batches);
  } catch (error) {
    logger.warn('usage batches not recorded; they come back', { error: error as Error });
    return { batchItemFailures: event.Records.map((message) => ({ itemIdentifier: message.messageId })) };
  }
  return { batchItemFailures: unreadable.map((itemIdentifier) => ({ itemIdentifier })) };
};
