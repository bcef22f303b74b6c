/**
 * Webhooks Nimbus sends to provisioning platforms, the log of their deliveries, and the callbacks
 * platforms send back. The payload schemas are the contract a platform implements: they are
 * published in the OpenAPI document's `webhooks` section (docs/provisioning.md explains them).
 */
import * as z from 'zod';
import { Configuration, ProductKind } from '../catalog/product.ts';
import { SubscriptionState } from '../subscriptions/subscription.ts';
import { ConnectorId, type LifecycleEvent } from './connector.ts';

/** Webhook types, one per lifecycle step: `service.<step>`. */
export const WEBHOOK_TYPES = [
  'service.activate',
  'service.start',
  'service.stop',
  'service.resize',
  'service.suspend',
  'service.resume',
  'service.terminate',
] as const;
export const WebhookType = z.enum(WEBHOOK_TYPES).meta({ id: 'WebhookType' });
export type WebhookType = z.infer<typeof WebhookType>;

export const webhookTypeOf = (step: LifecycleEvent): WebhookType => `service.${step}`;

export const WebhookPayload = z
  .object({
    /** The event id, also the `webhook-id` header: the same on every retry and replay. */
    id: z.string(),
    type: WebhookType,
    time: z.iso.datetime(),
    /** The store's slug: the `{store}` of the callback and usage paths. */
    store: z.string(),
    data: z
      .object({
        subscriptionId: z.string(),
        /** Grows with every change of the service: a platform ignores a step older than one it applied. */
        sequence: z.number().int().positive(),
        /** The service's state in Nimbus after the step. */
        state: SubscriptionState,
        product: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: ProductKind }).strict(),
        configuration: Configuration,
        /** service.resize only: the configuration before. */
        previousConfiguration: Configuration.optional(),
        customer: z.object({ id: z.string() }).strict(),
        reason: z.string(),
        /** Where to send `provisioningCallback` for this service. */
        callbackUrl: z.string(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'ProvisioningWebhook' });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const DeliveryId = z
  .string()
  .regex(/^dlv_[0-9a-z]{1,60}$/, 'must be a dlv_… id')
  .meta({ example: 'dlv_01jd2x8k3m4n5p6q7r8s9t0v1w' });

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES).meta({ id: 'DeliveryStatus' });
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = z
  .object({
    at: z.iso.datetime(),
    /** The platform's HTTP status; absent when there was no answer (timeout, refused, blocked). */
    statusCode: z.number().int().optional(),
    latencyMs: z.number().int(),
    /** The first bytes of the answer (or what went wrong), for the merchant to see. */
    response: z.string(),
    /** Set on every attempt, as the request carried it: the platform's logs can be matched. */
    url: z.string(),
  })
  .strict()
  .meta({ id: 'DeliveryAttempt' });
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DeliveryView = z
  .object({
    id: DeliveryId,
    eventId: z.string(),
    type: WebhookType,
    subscriptionId: z.string(),
    sequence: z.number().int(),
    connectorId: ConnectorId,
    status: DeliveryStatus,
    createdAt: z.iso.datetime(),
    /** While pending: when the next attempt is due. */
    nextAttemptAt: z.iso.datetime().optional(),
    /** While pending: when retrying stops (72 hours after the event, or after a replay). */
    giveUpAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().optional(),
    failedAt: z.iso.datetime().optional(),
    attemptCount: z.number().int(),
    /** The latest attempts, newest first (at most 20; `attemptCount` counts them all). */
    attempts: z.array(DeliveryAttempt),
    /** The webhook as sent (its body; each attempt is signed anew). */
    payload: WebhookPayload,
  })
  .strict()
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof DeliveryView>;

export const ListDeliveriesQuery = z
  .object({
    status: DeliveryStatus.optional(),
    subscriptionId: z.string().max(64).optional(),
  })
  .strict();

/* ---------- callbacks ---------- */

/** What the buyer needs to use a service; the password is sealed at rest and shown to the buyer only. */
export const AccessDetails = z
  .object({
    url: z.string().max(2_048).optional(),
    username: z.string().max(200).optional(),
    password: z.string().max(500).optional(),
    /** Anything else the buyer should know (a port, a region); shown as text. */
    notes: z.string().max(1_000).optional(),
  })
  .strict()
  .meta({ id: 'ServiceAccess' });
export type AccessDetails = z.infer<typeof AccessDetails>;

/** What a platform may answer to `service.activate` (any other 2xx body: it will call back). */
export const ActivationAnswer = z.union([
  z.object({ status: z.literal('active'), access: AccessDetails.optional() }),
  z.object({ status: z.literal('failed'), reason: z.string().max(500).optional() }),
]);
export type ActivationAnswer = z.infer<typeof ActivationAnswer>;

/** States a platform may report a service in (state_changed). */
export const PlatformState = z.enum(['active', 'stopped', 'suspended', 'terminated']);
export type PlatformState = z.infer<typeof PlatformState>;

const callbackBase = {
  /** Unique per callback: a repeat is acknowledged and not applied again. */
  id: z.string().trim().min(1).max(200),
  subscriptionId: z.string().regex(/^sub_[0-9a-z]{1,60}$/, 'must be a sub_… id'),
  /** When it happened on the platform: older than the service's current state is stale. */
  occurredAt: z.iso.datetime(),
};

export const ProvisioningCallback = z
  .discriminatedUnion('type', [
    z.object({ ...callbackBase, type: z.literal('activated'), access: AccessDetails.optional() }).strict(),
    z
      .object({ ...callbackBase, type: z.literal('failed'), reason: z.string().trim().min(1).max(500) })
      .strict(),
    z
      .object({
        ...callbackBase,
        type: z.literal('state_changed'),
        state: PlatformState,
        reason: z.string().trim().min(1).max(500).optional(),
      })
      .strict(),
  ])
  .meta({ id: 'ProvisioningCallback' });
export type ProvisioningCallback = z.infer<typeof ProvisioningCallback>;

export const CallbackReceipt = z
  .object({
    result: z.enum(['applied', 'duplicate', 'stale']),
    /** The service's state after the callback. */
    state: SubscriptionState,
  })
  .strict()
  .meta({ id: 'ProvisioningCallbackReceipt' });
export type CallbackReceipt = z.infer<typeof CallbackReceipt>;
