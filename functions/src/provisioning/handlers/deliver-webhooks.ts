import * as z from 'zod';
import { BusEvent } from '../../events/event-bridge.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { attemptDelivery, DeliveryMessage, enqueueStep } from '../deliveries.ts';
import { tableProvisioning } from '../table-provisioning.ts';

/**
 * The webhook-deliveries queue: subscription events (from the bus) become deliveries, attempted
 * at once; attempt messages (retries, waits, replays) attempt them again.
 */
export const handler = sqsConsumer(z.union([DeliveryMessage, BusEvent]), async (message) => {
  const { deliveries } = tableProvisioning();
  if ('kind' in message) await attemptDelivery(deliveries, message);
  else await enqueueStep(deliveries, message.detail);
});
