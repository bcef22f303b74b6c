import * as z from 'zod';

/** Tenant id used for events of the platform itself (heartbeats, operator actions). */
export const PLATFORM_TENANT = 'platform';

/**
 * One envelope for domain events on the bus and for webhooks to provisioning platforms.
 * On EventBridge: `source` = `nimbus.<context>`, `detail-type` = `type`, `detail` = the envelope.
 */
export const EventEnvelope = z
  .object({
    id: z.string().min(1),
    type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, 'dotted lowercase, e.g. subscription.activated'),
    time: z.iso.datetime(),
    tenant: z.string().min(1),
    subject: z.string().min(1),
    schemaVersion: z.number().int().positive(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EventEnvelope' });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** Publishes domain events. Adapter: EventBridge (also used locally against the runtime's bus). */
export interface EventPublisher {
  publish(source: string, events: EventEnvelope[]): Promise<void>;
}
