import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope, EventPublisher } from '#shared/events/envelope.ts';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

/** Publishes envelopes to the bus: `source` = context, `detail-type` = event type, `detail` = envelope. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(source: string, events: EventEnvelope[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES) {
      const batch = events.slice(start, start + MAX_ENTRIES);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: source,
            DetailType: event.type,
            Time: new Date(event.time),
            Detail: JSON.stringify(event),
          })),
        }),
      );
      if (result.FailedEntryCount) {
        const reasons = (result.Entries ?? [])
          .filter((entry) => entry.ErrorCode)
          .map((entry) => entry.ErrorMessage);
        throw new Error(`${result.FailedEntryCount} event(s) were not published: ${reasons.join('; ')}`);
      }
    }
  }
}
