import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lambdaContext } from '../../../test/support/api-event.ts';
import { eventHandler } from './event-bridge.ts';
import { scheduledHandler } from './scheduled-handler.ts';
import { sqsConsumer } from './sqs-consumer.ts';

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
  awsRegion: 'us-east-1',
});

describe('sqsConsumer', () => {
  const Order = z.object({ orderId: z.string(), fail: z.boolean().optional() });

  it('processes each record on its own and reports only the failed ones', async () => {
    const processed: string[] = [];
    const handler = sqsConsumer(Order, async (order) => {
      if (order.fail) throw new Error('downstream refused');
      processed.push(order.orderId);
    });
    const event: SQSEvent = {
      Records: [
        record('m1', '{"orderId":"o1"}'),
        record('m2', '{"orderId":"o2","fail":true}'),
        record('m3', 'not json'),
        record('m4', '{"order":"wrong shape"}'),
        record('m5', '{"orderId":"o5"}'),
      ],
    };
    const result = await handler(event, lambdaContext());
    expect(processed.sort()).toEqual(['o1', 'o5']);
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'm2',
      'm3',
      'm4',
    ]);
  });

  it('fails the whole batch when every record fails, so the batch is retried', async () => {
    const handler = sqsConsumer(Order, async () => {
      throw new Error('down');
    });
    await expect(handler({ Records: [record('m1', '{"orderId":"o1"}')] }, lambdaContext())).rejects.toThrow(
      /All records failed/,
    );
  });
});

describe('scheduledHandler', () => {
  it('passes the schedule name and the time it was due', async () => {
    const calls: Array<{ schedule: string; scheduledTime: Date }> = [];
    const handler = scheduledHandler(async (input) => {
      calls.push(input);
    });
    await handler({ schedule: 'billing', scheduledTime: '2026-11-23T10:00:00Z' }, lambdaContext());
    expect(calls).toEqual([{ schedule: 'billing', scheduledTime: new Date('2026-11-23T10:00:00Z') }]);
    await expect(handler({ schedule: 'billing' }, lambdaContext())).rejects.toThrow();
  });
});

describe('eventHandler', () => {
  it('hands over the envelope of an EventBridge event and rejects anything else', async () => {
    const seen: string[] = [];
    const handler = eventHandler(async (envelope) => {
      seen.push(envelope.id);
    });
    const envelope = {
      id: 'evt_1',
      type: 'order.paid',
      time: '2026-11-23T10:00:00Z',
      tenant: 'ten_1',
      subject: 'ord_1',
      schemaVersion: 1,
      data: {},
    };
    await handler(
      {
        id: 'x',
        source: 'nimbus.orders',
        'detail-type': 'order.paid',
        time: envelope.time,
        detail: envelope,
      },
      lambdaContext(),
    );
    expect(seen).toEqual(['evt_1']);
    await expect(handler({ detail: { id: 'evt_2' } }, lambdaContext())).rejects.toThrow();
  });
});
