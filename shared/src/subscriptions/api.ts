import * as z from 'zod';
import { Configuration } from '../catalog/product.ts';
import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import type { Grant } from '../identity/access.ts';
import { storeParams } from '../tenants/api.ts';
import { ResizePreview, SubscriptionId, SubscriptionState, SubscriptionView } from './subscription.ts';

const tags = ['services'];
const subscriptionParams = storeParams.extend({ subscriptionId: SubscriptionId });

/** Buyers see their account's services; staff and merchant keys every customer's. */
export const READ_SERVICES: Grant[] = [
  { kind: 'buyer' },
  { kind: 'staff', permission: 'orders:read' },
  { kind: 'apiKey', scope: 'services:manage' },
  { kind: 'apiKey', scope: 'orders:read' },
];
/** Start, stop, resize, cancel: the buyer's own services, or any as staff. */
export const MANAGE_SERVICES: Grant[] = [
  { kind: 'buyer', permission: 'services:manage' },
  { kind: 'staff', permission: 'orders:manage' },
  { kind: 'apiKey', scope: 'services:manage' },
];
const MERCHANT_ONLY: Grant[] = [{ kind: 'staff', permission: 'orders:manage' }];

const reasonBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

export const listSubscriptions = defineOperation({
  operationId: 'listSubscriptions',
  method: 'GET',
  path: '/api/v1/stores/{store}/subscriptions',
  summary: 'Services, newest first: the buyer’s own, or (staff) any customer’s',
  tags,
  access: READ_SERVICES,
  request: {
    params: storeParams,
    query: pageQuery.extend({
      state: SubscriptionState.optional(),
      /** Staff only: one customer's services. */
      customerId: z.string().max(64).optional(),
    }),
  },
  responses: { 200: pageOf(SubscriptionView) },
});

export const getSubscription = defineOperation({
  operationId: 'getSubscription',
  method: 'GET',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}',
  summary: 'A service with its history of transitions',
  tags,
  access: READ_SERVICES,
  request: { params: subscriptionParams },
  responses: { 200: SubscriptionView },
});

const action = (
  operationId: string,
  verb: string,
  summary: string,
  access: Grant[] = MANAGE_SERVICES,
  description?: string,
) =>
  defineOperation({
    operationId,
    method: 'POST',
    path: `/api/v1/stores/{store}/subscriptions/{subscriptionId}/${verb}`,
    summary,
    ...(description ? { description } : {}),
    tags,
    access,
    request: { params: subscriptionParams, body: reasonBody.optional() },
    responses: { 200: SubscriptionView },
  });

export const startSubscription = action(
  'startSubscription',
  'start',
  'Start a stopped service (409 with the current state otherwise)',
);
export const stopSubscription = action(
  'stopSubscription',
  'stop',
  'Stop a running service; it is billed at its stopped rate (often storage only) until started',
);
export const suspendSubscription = action(
  'suspendSubscription',
  'suspend',
  'Suspend a service (merchant): it stops and is not billed until resumed',
  MERCHANT_ONLY,
);
export const resumeSubscription = action(
  'resumeSubscription',
  'resume',
  'Resume a suspended service (merchant) in the state it was suspended from',
  MERCHANT_ONLY,
);

export const ResizeRequest = z
  .object({ configuration: Configuration })
  .strict()
  .meta({ id: 'ResizeRequest' });

export const previewResize = defineOperation({
  operationId: 'previewResize',
  method: 'POST',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/resize/preview',
  summary: 'What a capacity change would cost: the new hourly rate and the prorated difference',
  description:
    'Nothing changes. The configuration is checked as the product allows (400 naming each problem).',
  tags,
  access: READ_SERVICES,
  request: { params: subscriptionParams, body: ResizeRequest },
  responses: { 200: ResizePreview },
});

export const resizeSubscription = defineOperation({
  operationId: 'resizeSubscription',
  method: 'POST',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/resize',
  summary: 'Change the capacity of an active or stopped service; billing splits the hour at the change',
  tags,
  access: MANAGE_SERVICES,
  request: {
    params: subscriptionParams,
    body: ResizeRequest.extend({
      /** The hourly rate the buyer saw in the preview: a 409 when the price has changed since. */
      expectedHourly: z.string().max(40).optional(),
    }),
  },
  responses: { 200: SubscriptionView },
});

export const cancelSubscription = defineOperation({
  operationId: 'cancelSubscription',
  method: 'POST',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/cancel',
  summary: 'Cancel a service now, or at the end of its committed term',
  description:
    '`now` terminates at once (the started hour is billed to the millisecond); `end_of_term` keeps ' +
    'the service until its committed term ends (at once when it has none).',
  tags,
  access: MANAGE_SERVICES,
  request: {
    params: subscriptionParams,
    body: z
      .object({
        when: z.enum(['now', 'end_of_term']).default('now'),
        reason: z.string().trim().min(1).max(500).optional(),
      })
      .strict()
      .optional(),
  },
  responses: { 200: SubscriptionView },
});
