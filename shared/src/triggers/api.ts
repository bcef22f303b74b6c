import * as z from 'zod';
import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import { SubscriptionId } from '../subscriptions/subscription.ts';
import { storeParams } from '../tenants/api.ts';
import {
  ServiceTriggerList,
  ServiceTriggerView,
  SetServiceTriggerRequest,
  TriggerFiringView,
  TriggerPolicyId,
  TriggerPolicyList,
  TriggerPolicyView,
  UpsertTriggerPolicyRequest,
} from './trigger.ts';

const tags = ['triggers'];

/** Policies belong with the catalog: they are part of what a product offers. */
const READ_POLICIES = [
  { kind: 'staff', permission: 'catalog:read' },
  { kind: 'staff', permission: 'catalog:manage' },
] as const;

/** A buyer's own services (404 for others); staff every customer's. */
const MANAGE_SERVICE = [
  { kind: 'buyer', permission: 'services:manage' },
  { kind: 'apiKey', scope: 'services:manage' },
  { kind: 'staff', permission: 'orders:manage' },
] as const;
const READ_SERVICE = [...MANAGE_SERVICE, { kind: 'staff', permission: 'orders:read' }] as const;

const serviceParams = storeParams.extend({ subscriptionId: SubscriptionId });

export const listTriggerPolicies = defineOperation({
  operationId: 'listTriggerPolicies',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/trigger-policies',
  summary: 'The store’s capacity-trigger policies, per product',
  description:
    'Every policy, enabled or not, oldest first; `productId` narrows the list to one product. ' +
    'Buyers see the enabled policies of a service’s product with `listServiceTriggers`.',
  tags,
  access: [...READ_POLICIES],
  request: { params: storeParams, query: z.object({ productId: z.string().max(64).optional() }).strict() },
  responses: { 200: TriggerPolicyList },
});

export const upsertTriggerPolicy = defineOperation({
  operationId: 'upsertTriggerPolicy',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/trigger-policies',
  summary: 'Create a capacity-trigger policy for a product, or change one (`id`)',
  description:
    'A metric aggregated (avg or max) over a window, compared with a threshold, held for ' +
    '`durationMinutes`, scales a dimension of the product by `step` within [min, max] (or only ' +
    'notifies); `cooldownMinutes` and `hysteresis` stop flapping. Every field that does not fit the ' +
    'product is a 400 with its path (`body.action.dimension`, `body.action.step`). Creating answers ' +
    '201, a change 200; `expectedRevision` turns a lost update into a 409. A policy keeps its product.',
  tags,
  access: [{ kind: 'staff', permission: 'catalog:manage' }],
  request: { params: storeParams, body: UpsertTriggerPolicyRequest },
  responses: { 200: TriggerPolicyView, 201: TriggerPolicyView },
});

export const listServiceTriggers = defineOperation({
  operationId: 'listServiceTriggers',
  method: 'GET',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/triggers',
  summary: 'The capacity triggers a service can use, with its own settings and state',
  description:
    'The enabled policies of the service’s product, each with this service’s tuning (`setting`) ' +
    'when the buyer has set one. Buyers see their own services only (404 for others).',
  tags,
  access: [...READ_SERVICE],
  request: { params: serviceParams },
  responses: { 200: ServiceTriggerList },
});

export const setServiceTrigger = defineOperation({
  operationId: 'setServiceTrigger',
  method: 'PUT',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/triggers/{policyId}',
  summary: 'Turn a capacity trigger on or off for a service, and tune it within the policy’s bounds',
  description:
    'Fields left out take the policy’s value (the PUT replaces the tuning). `min`/`max` must lie ' +
    'within the policy’s and on the dimension’s steps, `cooldownMinutes` may only be longer, ' +
    '`threshold` must be one the metric can reach; `maxHourlySpend` (in the service’s currency, ' +
    'also for credit services) stops scale-ups that would cost more per hour. 400 otherwise. ' +
    'Buyers tune their own services only (404 for others).',
  tags,
  access: [...MANAGE_SERVICE],
  request: {
    params: serviceParams.extend({ policyId: TriggerPolicyId }),
    body: SetServiceTriggerRequest,
  },
  responses: { 200: ServiceTriggerView },
});

export const listTriggerFirings = defineOperation({
  operationId: 'listTriggerFirings',
  method: 'GET',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/trigger-firings',
  summary: 'What a service’s capacity triggers did, newest first',
  description:
    'Each firing: when, the metric’s value against the threshold, the action, the configuration ' +
    'before and after, the hourly price before and after, and the outcome (`resized`, `notified`, ' +
    'or why nothing was changed: `skipped_bound`, `skipped_spend_cap`, `skipped_state`, `failed`). ' +
    'Buyers see their own services only (404 for others).',
  tags,
  access: [...READ_SERVICE],
  request: { params: serviceParams, query: pageQuery },
  responses: { 200: pageOf(TriggerFiringView) },
});
