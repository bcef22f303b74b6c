import { defineOperation } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import { AdvanceClockRequest, BillingSettings, TestClockView } from './settings.ts';

const tags = ['billing admin'];

export const getBillingSettings = defineOperation({
  operationId: 'getBillingSettings',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/billing-settings',
  summary: 'Credit prices, minimum runway, low-balance threshold, grace and retention',
  tags,
  access: [{ kind: 'staff', permission: 'finance:read' }],
  request: { params: storeParams },
  responses: { 200: BillingSettings },
});

export const updateBillingSettings = defineOperation({
  operationId: 'updateBillingSettings',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/billing-settings',
  summary: 'Change how the store bills (applies from now on)',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  request: { params: storeParams, body: BillingSettings },
  responses: { 200: BillingSettings },
});

export const getTestClock = defineOperation({
  operationId: 'getTestClock',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/test-clock',
  summary: 'The store’s clock (sandbox stores can move theirs forward)',
  tags,
  access: [{ kind: 'staff' }],
  request: { params: storeParams },
  responses: { 200: TestClockView },
});

export const advanceTestClock = defineOperation({
  operationId: 'advanceTestClock',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/test-clock/advance',
  summary: 'Move a sandbox store’s clock forward, to a time or by a duration',
  description:
    'Every schedule that would have fired in between runs, in order (hourly billing, grace, ' +
    'suspension, termination, reminders), so a month of billing takes seconds. Answers 202 at ' +
    'once with `status: advancing`; poll getTestClock until `ready`. 409 `not_sandbox` for a ' +
    'production store, `clock_advancing` while an advance runs; 400 for a time in the past.',
  tags,
  access: [{ kind: 'staff', permission: 'store:manage' }],
  request: { params: storeParams, body: AdvanceClockRequest },
  responses: { 202: TestClockView },
});
