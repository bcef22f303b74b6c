import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from '../observability/logger.ts';

/** A message that can never succeed (bad JSON, wrong shape): it fails, is retried and lands in the DLQ. */
export class UnreadableMessageError extends Error {
  override name = 'UnreadableMessageError';
}

export function parseMessageBody<S extends z.ZodType>(schema: S, record: SQSRecord): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new UnreadableMessageError(`message ${record.messageId} is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UnreadableMessageError(`message ${record.messageId} has the wrong shape: ${where.join('; ')}`);
  }
  return result.data;
}

/**
 * The one pattern for SQS consumers: each record is parsed with the schema and processed on its
 * own; failures are reported as partial batch failures (the mapping has ReportBatchItemFailures),
 * so only failed messages come back, and after maxReceiveCount go to the DLQ. Processing must be
 * idempotent: SQS delivers at least once and in any order.
 *
 * @example
 * export const handler = sqsConsumer(HeartbeatMessage, async (message) => repository.record(message));
 */
export function sqsConsumer<S extends z.ZodType>(
  schema: S,
  processMessage: (message: z.output<S>, record: SQSRecord) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    logger.setCorrelationId(record.messageId);
    try {
      await processMessage(parseMessageBody(schema, record), record);
    } catch (error) {
      logger.warn('message failed', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    }
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    return processPartialResponse(event, processRecord, processor, { context });
  };
}
