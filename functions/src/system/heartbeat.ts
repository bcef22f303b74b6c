import type { EventEnvelope } from '#shared/events/envelope.ts';
import { PLATFORM_TENANT } from '#shared/events/envelope.ts';

export const SYSTEM_EVENT_SOURCE = 'nimbus.system';
export const HEARTBEAT_EVENT = 'system.heartbeat';

/** The heartbeat for one scheduled minute; its id is derived from the time, so a repeated run publishes the same event. */
export function heartbeatEvent(scheduledTime: Date): EventEnvelope {
  const time = scheduledTime.toISOString();
  return {
    id: `evt_heartbeat_${scheduledTime.getTime()}`,
    type: HEARTBEAT_EVENT,
    time,
    tenant: PLATFORM_TENANT,
    subject: 'platform',
    schemaVersion: 1,
    data: {},
  };
}
