import { defineOperation } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import {
  ConnectorId,
  ConnectorList,
  ConnectorView,
  ConnectorWithSecret,
  RotateConnectorSecretRequest,
  UpsertConnectorRequest,
} from './connector.ts';

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
