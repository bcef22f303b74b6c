/**
 * An accepted batch of usage on its way from `ingestUsage` to `recordUsage`: the `usage-records`
 * queue buffers it, so the bucket writes of several calls are merged (a service's moments of
 * several calls become one write), and a burst of calls waits in the queue instead of failing.
 */
import * as z from 'zod';
import { MetricName } from '#shared/usage/metrics.ts';

export const USAGE_RECORDS_QUEUE = 'usage-records';

export const UsageSample = z.object({
  subscriptionId: z.string().min(1),
  metric: MetricName,
  /** The record's identity (recordKey of source and id): a record counts once per metric and bucket. */
  key: z.string().min(1),
  /** When it was measured, epoch ms. */
  at: z.number().int(),
  value: z.number(),
});
export type UsageSample = z.infer<typeof UsageSample>;

export const UsageBatch = z.object({
  tenantId: z.string().min(1),
  acceptedAt: z.iso.datetime(),
  samples: z.array(UsageSample).min(1).max(500),
});
export type UsageBatch = z.infer<typeof UsageBatch>;

/** Where accepted batches wait (SQS; a test's own queue on fauxqs). */
export interface UsageQueue {
  send(batch: UsageBatch): Promise<void>;
}
