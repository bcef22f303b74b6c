import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import { storeParams } from '../tenants/api.ts';
import {
  ConnectorId,
  ConnectorList,
  ConnectorView,
  ConnectorWithSecret,
  RotateConnectorSecretRequest,
  UpsertConnectorRequest,
} from './connector.ts';
import {
  ActivationAnswer,
  CallbackReceipt,
  DeliveryId,
  DeliveryView,
  ListDeliveriesQuery,
  ProvisioningCallback,
  WEBHOOK_TYPES,
  WebhookPayload,
  type WebhookType,
} from './delivery.ts';

const tags = ['provisioning'];

/** Connectors belong with the catalog: they say where each product is provisioned. */
const READ = [
  { kind: 'staff', permission: 'catalog:read' },
  { kind: 'staff', permission: 'catalog:manage' },
] as const;
const MANAGE = [{ kind: 'staff', permission: 'catalog:manage' }] as const;

export const listConnectors = defineOperation({
  operationId: 'listConnectors',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/connectors',
  summary: 'The store’s provisioning connectors: the default one and those of single products',
  description: 'Secrets are never shown: `secretLast4` tells them apart.',
  tags,
  access: [...READ],
  request: { params: storeParams },
  responses: { 200: ConnectorList },
});

export const upsertConnector = defineOperation({
  operationId: 'upsertConnector',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/connectors',
  summary: 'Create or change the connector of a product (`productId`) or the store’s default one',
  description:
    'One connector per product and one default (no `productId`). Creating one answers 201 with its ' +
    'signing secret (`whsec_…`, Standard Webhooks) — the only time it is shown; a change answers 200 ' +
    'and keeps the secret. The URL must be https (plain http only for localhost / 127.0.0.1). Send ' +
    '`expectedRevision` to get a 409 instead of overwriting someone else’s change.',
  tags,
  access: [...MANAGE],
  request: { params: storeParams, body: UpsertConnectorRequest },
  responses: { 200: ConnectorView, 201: ConnectorWithSecret },
});

export const rotateConnectorSecret = defineOperation({
  operationId: 'rotateConnectorSecret',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/connectors/{connectorId}/rotate-secret',
  summary: 'Make a new signing secret (shown once); the previous one stays valid for a while',
  description:
    'During the rotation window (`keepPreviousHours`, default 24, at most 168) every webhook carries ' +
    'two signatures, one per secret, so the platform can switch secrets at its own pace. A rotation ' +
    'during a window replaces the previous secret with the current one.',
  tags,
  access: [...MANAGE],
  request: {
    params: storeParams.extend({ connectorId: ConnectorId }),
    // No body: the default rotation window.
    body: RotateConnectorSecretRequest.optional(),
  },
  responses: { 200: ConnectorWithSecret },
});

export const listDeliveries = defineOperation({
  operationId: 'listDeliveries',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/deliveries',
  summary: 'Webhook deliveries to provisioning platforms, newest first, with every attempt',
  description:
    'Each lifecycle step sent to a platform is one delivery; its attempts show when, the HTTP ' +
    'status, the latency and the first bytes of the answer. Filter by `status` (a `failed` one gave ' +
    'up after 72 hours and can be replayed) or by `subscriptionId`.',
  tags,
  access: [...READ],
  request: { params: storeParams, query: pageQuery.extend(ListDeliveriesQuery.shape) },
  responses: { 200: pageOf(DeliveryView) },
});

export const replayDelivery = defineOperation({
  operationId: 'replayDelivery',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/deliveries/{deliveryId}/replay',
  summary: 'Send a failed delivery again (the same event id), retrying for another 72 hours',
  description:
    'Only a delivery that gave up (`failed`) can be replayed: 409 otherwise. Its attempts go on in ' +
    'the same log. The event keeps its `sequence`: a platform that applied a later step ignores it.',
  tags,
  access: [...MANAGE],
  request: { params: storeParams.extend({ deliveryId: DeliveryId }) },
  responses: { 202: DeliveryView },
});

export const provisioningCallback = defineOperation({
  operationId: 'provisioningCallback',
  method: 'POST',
  path: '/api/v1/stores/{store}/provisioning/callbacks',
  summary: 'A provisioning platform confirms an activation, reports a failure or a state change',
  description:
    'Authenticated by the connector’s Standard Webhooks signature (`webhook-id`, ' +
    '`webhook-timestamp`, `webhook-signature` computed with the current or previous secret) or by ' +
    'an API key with the `provisioning` scope. A repeated callback `id` answers `duplicate`, one ' +
    'older than the service’s current state `stale`: both are acknowledged and not applied. ' +
    '`activated` carries the buyer’s access details; the password is stored encrypted and shown to ' +
    'the buyer only.',
  tags,
  // Open to the signature as well as to keys: the handler checks one or the other (401 otherwise).
  access: [{ kind: 'anonymous' }, { kind: 'apiKey', scope: 'provisioning' }],
  request: { params: storeParams, body: ProvisioningCallback },
  responses: { 200: CallbackReceipt },
});

/** A webhook Nimbus sends (the OpenAPI document's `webhooks` section). */
export type WebhookDefinition = {
  name: string;
  summary: string;
  description: string;
  payload: typeof WebhookPayload;
  /** What the platform may answer with a 200 (beside an empty 2xx). */
  answer?: typeof ActivationAnswer;
};

const STEP_SUMMARIES: Record<WebhookType, string> = {
  'service.activate': 'Provision a new service (answer 200 with its status, or 202 and call back)',
  'service.start': 'Start a stopped service',
  'service.stop': 'Stop a running service (its storage stays)',
  'service.resize': 'Change a service’s configuration (`previousConfiguration` is what it was)',
  'service.suspend': 'Suspend a service (unpaid, or by the merchant); it may be resumed',
  'service.resume': 'Resume a suspended service',
  'service.terminate': 'End a service for good and free its resources',
};

/** The lifecycle webhooks a provisioning platform implements (docs/provisioning.md). */
export const PROVISIONING_WEBHOOKS: WebhookDefinition[] = WEBHOOK_TYPES.map((name) => ({
  name,
  summary: STEP_SUMMARIES[name],
  description:
    'Signed by the Standard Webhooks specification: verify `webhook-signature` (HMAC-SHA256 of ' +
    '`{webhook-id}.{webhook-timestamp}.{raw body}` with the connector’s `whsec_` secret; one ' +
    '`v1,` signature per valid secret during a rotation). Any 2xx within 10 s is delivered; ' +
    'anything else is retried with exponential backoff and jitter for 72 hours. `webhook-id` is ' +
    'the same on every retry: drop repeats. Steps of one service arrive in `data.sequence` order.',
  payload: WebhookPayload,
  ...(name === 'service.activate' ? { answer: ActivationAnswer } : {}),
}));
