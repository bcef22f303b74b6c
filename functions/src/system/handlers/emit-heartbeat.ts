import { eventBridge } from '../../aws/clients.ts';
import { eventBusName } from '../../aws/environment.ts';
import { EventBridgePublisher } from '../../events/adapters/event-bridge-publisher.ts';
import { scheduledHandler } from '../../events/scheduled-handler.ts';
import { heartbeatEvent, SYSTEM_EVENT_SOURCE } from '../heartbeat.ts';

const publisher = new EventBridgePublisher(eventBridge(), eventBusName());

export const handler = scheduledHandler(async ({ scheduledTime }) => {
  await publisher.publish(SYSTEM_EVENT_SOURCE, [heartbeatEvent(scheduledTime)]);
});
