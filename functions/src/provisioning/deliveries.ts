/**
 * Outbound webhooks: a service's lifecycle step (a subscription event) becomes one delivery to
 * its product's platform, attempted at once, then with backoff and jitter until 72 hours after
 * the event, then given up (the DLQ, an alert event, a manual replay). A service's deliveries go
 * out in sequence: one waits while an earlier one of the same service is still pending.
 *
 * Messages (the `webhook-deliveries` queue) only say "look at delivery X, attempt n"; the record
 * decides. A repeated or late message finds the attempt done (attempt numbers differ) or the
 * delivery leased by another worker, and drops out, so duplicates never multiply the retries.
 */
import * as z from 'zod';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { EventEnvelope, EventPublisher } from '#shared/events/envelope.ts';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '#shared/provisioning/connector.ts';
import {
  ActivationAnswer,
  type DeliveryAttempt,
  type DeliveryView,
  type WebhookPayload,
  webhookTypeOf,
} from '#shared/provisioning/delivery.ts';
import { SubscriptionView } from '#shared/subscriptions/subscription.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { logger } from '../observability/logger.ts';
import type { ConnectorStore } from './connector-store.ts';
import { type ConnectorDeps, signingSecrets } from './connectors.ts';
import type { DeliveryStore, StoredDelivery } from './delivery-store.ts';
import type { OutboundAnswer } from './outbound-http.ts';
import { nextAttemptAt, queueDelaySeconds, type RetryPolicy } from './retry-policy.ts';
import { signWebhook } from './webhook-signature.ts';

export const PROVISIONING_EVENT_SOURCE = 'nimbus.provisioning';

/** "Attempt delivery X now": what the queue carries between attempts. */
export const DeliveryMessage = z.object({
  kind: z.literal('attempt'),
  tenantId: z.string(),
  deliveryId: z.string(),
  /** The attempts made before this one: a message for an attempt already made is stale. */
  attempt: z.number().int().min(0),
});
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;

export type DeliveryDeps = {
  deliveries: DeliveryStore;
  connectors: Pick<ConnectorStore, 'get' | 'serving'>;
  secrets: ConnectorDeps['secrets'];
  clock: Clock;
  retry: RetryPolicy;
  /** The store's slug, for the payload and the callback URL. */
  storeSlug(tenantId: string): Promise<string | undefined>;
  /** The API's public address (the callback URL is built on it). */
  publicUrl(): string;
  post(url: string, body: string, headers: Record<string, string>): Promise<OutboundAnswer>;
  queue: {
    send(message: DeliveryMessage, delaySeconds: number): Promise<void>;
    /** Keeps a given-up delivery's message in the dead-letter queue. */
    deadLetter(message: DeliveryMessage & { reason: string }): Promise<void>;
  };
  events: EventPublisher;
  /** A platform that answered `service.activate` with a status: the callback's use case applies it. */
  activationAnswered(tenantId: string, delivery: StoredDelivery, answer: ActivationAnswer): Promise<void>;
};

/** How long a worker holds a delivery while it attempts it (longer than the request's timeout). */
export const LEASE_MS = 30_000;
/** A delivery waiting for an earlier one looks again this often (the earlier one also wakes it). */
export const WAIT_FOR_EARLIER_SECONDS = 60;
/** Attempts kept on the record (newest first); `attemptCount` counts them all. */
export const MAX_KEPT_ATTEMPTS = 20;

/** What the provisioning context reads from a subscription event (functions/src/subscriptions). */
const SubscriptionEventData = z.object({
  customerId: z.string(),
  product: SubscriptionView.shape.product,
  state: SubscriptionView.shape.state,
  revision: z.number().int().positive(),
  configuration: SubscriptionView.shape.configuration,
  previousConfiguration: SubscriptionView.shape.configuration.optional(),
  reason: z.string().optional(),
  actor: z.object({ kind: z.string(), id: z.string() }).optional(),
});

const STEP_OF_EVENT: Record<string, LifecycleEvent> = {
  'subscription.started': 'start',
  'subscription.stopped': 'stop',
  'subscription.resized': 'resize',
  'subscription.suspended': 'suspend',
  'subscription.resumed': 'resume',
  'subscription.terminated': 'terminate',
};

/**
 * The lifecycle step a subscription event asks of the platform, if any. A new service waiting in
 * `provisioning` is an activation; what the platform itself reported is not sent back to it.
 */
export function stepOf(envelope: EventEnvelope): LifecycleEvent | undefined {
  const data = SubscriptionEventData.safeParse(envelope.data);
  if (!data.success) return undefined;
  if (data.data.actor?.kind === 'platform') return undefined;
  if (envelope.type === 'subscription.created') {
    return data.data.state === 'provisioning' ? 'activate' : undefined;
  }
  const step = STEP_OF_EVENT[envelope.type];
  return step && LIFECYCLE_EVENTS.includes(step) ? step : undefined;
}

/** Delivery ids follow the event's: one event, one delivery, however often the event arrives. */
const deliveryIdOf = (eventId: string) => `dlv_${eventId.replace(/^evt_/, '')}`;

/**
 * A subscription event (from the bus, through the queue): the delivery of its step to the
 * product's platform, created once, and attempted at once.
 */
export async function enqueueStep(deps: DeliveryDeps, envelope: EventEnvelope): Promise<void> {
  const step = stepOf(envelope);
  if (!step) return;
  const data = SubscriptionEventData.parse(envelope.data);
  const tenantId = envelope.tenant;
  const connector = await deps.connectors.serving(tenantId, data.product.id);
  if (!connector?.enabled || !connector.events.includes(step)) return;
  const slug = await deps.storeSlug(tenantId);
  if (!slug) return;

  const now = deps.clock.now();
  const payload: WebhookPayload = {
    id: envelope.id,
    type: webhookTypeOf(step),
    time: envelope.time,
    store: slug,
    data: {
      subscriptionId: envelope.subject,
      sequence: data.revision,
      state: data.state,
      product: data.product,
      configuration: data.configuration,
      ...(step === 'resize' && data.previousConfiguration
        ? { previousConfiguration: data.previousConfiguration }
        : {}),
      customer: { id: data.customerId },
      reason: data.reason ?? '',
      callbackUrl: `${deps.publicUrl()}/api/v1/stores/${slug}/provisioning/callbacks`,
    },
  };
  const delivery: StoredDelivery = {
    id: deliveryIdOf(envelope.id),
    eventId: envelope.id,
    type: payload.type,
    subscriptionId: envelope.subject,
    sequence: data.revision,
    connectorId: connector.id,
    status: 'pending',
    createdAt: now.toISOString(),
    nextAttemptAt: now.toISOString(),
    giveUpAt: new Date(now.getTime() + deps.retry.giveUpAfterMs).toISOString(),
    attemptCount: 0,
    attempts: [],
    payload,
    revision: 1,
  };
  // A repeated event finds its delivery made: that one's own messages carry it on.
  if (!(await deps.deliveries.create(tenantId, delivery))) return;
  await attemptDelivery(deps, { kind: 'attempt', tenantId, deliveryId: delivery.id, attempt: 0 });
}

/** One attempt of a delivery, if it is due, not leased, and not waiting for an earlier step. */
export async function attemptDelivery(deps: DeliveryDeps, message: DeliveryMessage): Promise<void> {
  const { tenantId } = message;
  const delivery = await deps.deliveries.get(tenantId, message.deliveryId);
  if (delivery?.status !== 'pending' || delivery.attemptCount !== message.attempt) return;
  const now = deps.clock.now();
  if (delivery.nextAttemptAt && Date.parse(delivery.nextAttemptAt) > now.getTime() + 500) {
    // Not due: the wait is longer than one SQS delay, so the message takes another hop.
    await deps.queue.send(message, queueDelaySeconds(delivery.nextAttemptAt, now));
    return;
  }
  if (delivery.leaseUntil && Date.parse(delivery.leaseUntil) > now.getTime()) return;
  if (await deps.deliveries.pendingBefore(tenantId, delivery.subscriptionId, delivery.sequence)) {
    // The earlier step wakes this one when it is done; this is only the safety net.
    await deps.queue.send(message, WAIT_FOR_EARLIER_SECONDS);
    return;
  }
  const leased: StoredDelivery = {
    ...delivery,
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    revision: delivery.revision + 1,
  };
  if (!(await deps.deliveries.update(tenantId, leased, delivery.revision, 'keep'))) return;

  const { attempt, answer } = await send(deps, tenantId, leased, now);
  const { leaseUntil: _lease, nextAttemptAt: _next, ...rest } = leased;
  const done = deps.clock.now();
  const recorded = {
    ...rest,
    attemptCount: leased.attemptCount + 1,
    attempts: [attempt, ...leased.attempts].slice(0, MAX_KEPT_ATTEMPTS),
    revision: leased.revision + 1,
  };
  const delivered = answer !== undefined && answer.statusCode >= 200 && answer.statusCode < 300;

  if (delivered) {
    const next: StoredDelivery = { ...recorded, status: 'delivered', deliveredAt: done.toISOString() };
    if (!(await deps.deliveries.update(tenantId, next, leased.revision, 'leave'))) return;
    await wakeNext(deps, tenantId, next);
    if (next.type === 'service.activate') await readActivationAnswer(deps, tenantId, next, answer);
    return;
  }
  const retryAt = nextAttemptAt(deps.retry, recorded.attemptCount, done, delivery.giveUpAt);
  if (retryAt) {
    const next: StoredDelivery = { ...recorded, nextAttemptAt: retryAt.toISOString() };
    if (!(await deps.deliveries.update(tenantId, next, leased.revision, 'keep'))) return;
    await deps.queue.send(
      { ...message, attempt: next.attemptCount },
      queueDelaySeconds(retryAt, deps.clock.now()),
    );
    return;
  }
  const failed: StoredDelivery = { ...recorded, status: 'failed', failedAt: done.toISOString() };
  if (!(await deps.deliveries.update(tenantId, failed, leased.revision, 'leave'))) return;
  await giveUp(deps, tenantId, failed);
}

async function send(
  deps: DeliveryDeps,
  tenantId: string,
  delivery: StoredDelivery,
  now: Date,
): Promise<{ attempt: DeliveryAttempt; answer?: OutboundAnswer }> {
  const connector = await deps.connectors.get(tenantId, delivery.connectorId);
  const started = performance.now();
  const failedWith = (response: string, url = connector?.url ?? ''): { attempt: DeliveryAttempt } => ({
    attempt: {
      at: now.toISOString(),
      latencyMs: Math.round(performance.now() - started),
      response,
      url,
    },
  });
  if (!connector) return failedWith('not sent: the connector was removed');
  if (!connector.enabled) return failedWith('not sent: the connector is disabled');
  try {
    const body = JSON.stringify(delivery.payload);
    const headers = signWebhook({
      id: delivery.eventId,
      body,
      secrets: await signingSecrets(deps, tenantId, connector),
      now,
    });
    const answer = await deps.post(connector.url, body, headers);
    return {
      attempt: {
        at: now.toISOString(),
        statusCode: answer.statusCode,
        latencyMs: answer.latencyMs,
        response: answer.body,
        url: connector.url,
      },
      answer,
    };
  } catch (error) {
    return failedWith(`no answer: ${(error as Error).message}`.slice(0, 1_024));
  }
}

/** The service's next step, if one waits for this one. */
async function wakeNext(deps: DeliveryDeps, tenantId: string, delivery: StoredDelivery): Promise<void> {
  const nextId = await deps.deliveries.pendingAfter(tenantId, delivery.subscriptionId, delivery.sequence);
  const next = nextId && (await deps.deliveries.get(tenantId, nextId));
  if (next && next.status === 'pending') {
    await deps.queue.send({ kind: 'attempt', tenantId, deliveryId: next.id, attempt: next.attemptCount }, 0);
  }
}

/** `200 { status }` to an activation settles it now; anything else means a callback will. */
async function readActivationAnswer(
  deps: DeliveryDeps,
  tenantId: string,
  delivery: StoredDelivery,
  answer: OutboundAnswer,
): Promise<void> {
  if (answer.statusCode !== 200) return;
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return;
  }
  const parsed = ActivationAnswer.safeParse(json);
  if (parsed.success) await deps.activationAnswered(tenantId, delivery, parsed.data);
}

/** Retrying is over: the DLQ keeps the message, an alert event tells the merchant. */
async function giveUp(deps: DeliveryDeps, tenantId: string, delivery: StoredDelivery): Promise<void> {
  const last = delivery.attempts[0];
  await deps.queue.deadLetter({
    kind: 'attempt',
    tenantId,
    deliveryId: delivery.id,
    attempt: delivery.attemptCount,
    reason: `gave up after ${delivery.attemptCount} attempts: ${last?.statusCode ?? last?.response ?? ''}`,
  });
  try {
    await deps.events.publish(PROVISIONING_EVENT_SOURCE, [
      {
        id: `evt_${delivery.id.slice('dlv_'.length)}f`,
        type: 'provisioning.delivery_failed',
        time: delivery.failedAt as string,
        tenant: tenantId,
        subject: delivery.id,
        schemaVersion: 1,
        data: {
          deliveryId: delivery.id,
          eventId: delivery.eventId,
          type: delivery.type,
          subscriptionId: delivery.subscriptionId,
          connectorId: delivery.connectorId,
          attempts: delivery.attemptCount,
          lastStatusCode: last?.statusCode ?? null,
          lastResponse: last?.response ?? '',
        },
      },
    ]);
  } catch (error) {
    logger.error('delivery_failed alert not published', error as Error);
  }
  await wakeNext(deps, tenantId, delivery);
}

/* ---------- the merchant's view ---------- */

const view = ({ leaseUntil: _lease, revision: _revision, ...delivery }: StoredDelivery): DeliveryView =>
  delivery;

export async function listDeliveries(
  deps: Pick<DeliveryDeps, 'deliveries'>,
  tenant: Tenant,
  query: {
    status?: DeliveryView['status'] | undefined;
    subscriptionId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const page = await deps.deliveries.list(
    tenant.id,
    { status: query.status, subscriptionId: query.subscriptionId },
    { limit: query.limit, cursor: query.cursor },
  );
  return { ...page, items: page.items.map(view) };
}

/** A failed delivery goes out again (same event id), retrying for another 72 hours. */
export async function replayDelivery(
  deps: DeliveryDeps,
  tenant: Tenant,
  deliveryId: string,
): Promise<DeliveryView> {
  const delivery = await deps.deliveries.get(tenant.id, deliveryId);
  if (!delivery) throw new NotFoundError('delivery_not_found', `There is no delivery ${deliveryId}`);
  if (delivery.status !== 'failed') {
    throw new ConflictError(
      'delivery_not_failed',
      `Only a failed delivery can be replayed; ${deliveryId} is ${delivery.status}`,
      { status: delivery.status },
    );
  }
  const now = deps.clock.now();
  const { failedAt: _failed, ...rest } = delivery;
  const replayed: StoredDelivery = {
    ...rest,
    status: 'pending',
    nextAttemptAt: now.toISOString(),
    giveUpAt: new Date(now.getTime() + deps.retry.giveUpAfterMs).toISOString(),
    revision: delivery.revision + 1,
  };
  if (!(await deps.deliveries.update(tenant.id, replayed, delivery.revision, 'take'))) {
    throw new ConflictError('delivery_busy', 'The delivery changed meanwhile; load it and try again');
  }
  await deps.queue.send(
    { kind: 'attempt', tenantId: tenant.id, deliveryId, attempt: replayed.attemptCount },
    0,
  );
  return view(replayed);
}
