import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { EventEnvelope } from '#shared/events/envelope.ts';
import { logger } from '../observability/logger.ts';

/** An EventBridge event whose detail is our envelope (what rules deliver to queues and functions). */
export const BusEvent = z.object({
  id: z.string(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string(),
  detail: EventEnvelope,
});
export type BusEvent = z.infer<typeof BusEvent>;

/**
 * The one pattern for functions targeted directly by a rule. Consumers must tolerate duplicates
 * and reordering: use `detail.id` as the idempotency key and `detail.time` to drop stale events.
 */
export function eventHandler(work: (envelope: EventEnvelope, event: BusEvent) => Promise<void>) {
  return async (event: unknown, context: Context): Promise<void> => {
    logger.addContext(context);
    const parsed = BusEvent.parse(event);
    logger.setCorrelationId(parsed.detail.id);
    await work(parsed.detail, parsed);
  };
}
