import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '../observability/logger.ts';

/**
 * What EventBridge Scheduler sends to a target (the CDK app sets this input; the local scheduler
 * sends the same): the schedule's name and the time it was due.
 */
export const ScheduledInvocation = z.object({
  schedule: z.string().min(1),
  scheduledTime: z.iso.datetime({ offset: true }),
});
export type ScheduledInvocation = z.infer<typeof ScheduledInvocation>;

/**
 * The one pattern for scheduled handlers. Work is keyed by the scheduled time, not the clock at
 * run time, so a late or repeated invocation does the same work once.
 *
 * @example
 * export const handler = scheduledHandler(async ({ scheduledTime }) => sweep(scheduledTime));
 */
export function scheduledHandler(work: (input: { schedule: string; scheduledTime: Date }) => Promise<void>) {
  return async (event: unknown, context: Context): Promise<void> => {
    logger.addContext(context);
    const input = ScheduledInvocation.parse(event);
    logger.setCorrelationId(`${input.schedule}@${input.scheduledTime}`);
    await work({ schedule: input.schedule, scheduledTime: new Date(input.scheduledTime) });
  };
}
