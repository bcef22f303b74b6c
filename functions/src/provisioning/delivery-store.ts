import type { DeliveryAttempt, DeliveryStatus, WebhookPayload } from '#shared/provisioning/delivery.ts';

/** One webhook to one platform and what happened to it (docs/provisioning.md, Deliveries). */
export type StoredDelivery = {
  id: string;
  eventId: string;
  type: WebhookPayload['type'];
  subscriptionId: string;
  sequence: number;
  connectorId: string;
  status: DeliveryStatus;
  createdAt: string;
  nextAttemptAt?: string;
  giveUpAt: string;
  deliveredAt?: string;
  failedAt?: string;
  attemptCount: number;
  /** Newest first, the latest MAX_KEPT_ATTEMPTS. */
  attempts: DeliveryAttempt[];
  payload: WebhookPayload;
  /** A worker is attempting it until then; others leave it alone. */
  leaseUntil?: string;
  revision: number;
};

/**
 * How an update treats the service's ordering queue: a pending delivery holds its place (later
 * steps of the service wait for it), a finished one leaves it, a replayed one takes it again.
 */
export type QueuePlace = 'keep' | 'leave' | 'take';

export interface DeliveryStore {
  /** Creates it and its place in the service's queue; false when it exists (a repeated event). */
  create(tenantId: string, delivery: StoredDelivery): Promise<boolean>;
  get(tenantId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  /** Replaces it if its revision is still `expectedRevision`; false otherwise. */
  update(
    tenantId: string,
    delivery: StoredDelivery,
    expectedRevision: number,
    place: QueuePlace,
  ): Promise<boolean>;
  /** A pending delivery of the service with a lower sequence (the one it must wait for). */
  pendingBefore(tenantId: string, subscriptionId: string, sequence: number): Promise<string | undefined>;
  /** The next pending delivery of the service after `sequence` (started when this one is done). */
  pendingAfter(tenantId: string, subscriptionId: string, sequence: number): Promise<string | undefined>;
  list(
    tenantId: string,
    filter: { status?: DeliveryStatus | undefined; subscriptionId?: string | undefined },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredDelivery[]; nextCursor?: string }>;
}
