import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import { storeParams } from '../tenants/api.ts';
import { IncidentId, IncidentRequest, IncidentView } from './incident.ts';

const tags = ['incidents'];

export const recordIncident = defineOperation({
  operationId: 'recordIncident',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/incidents',
  summary: 'Record an outage: every affected service gets its product’s SLA credit, once',
  description:
    'Name the affected `products`, a `region`, or both (then: those products in that region), and ' +
    '[`start`, `end`) — `end` not after the store’s time now. Answers 201 with the incident in status ' +
    '`crediting`; the services are credited in the background (poll getIncident until `done`). ' +
    'Recording the same incident again (same scope and times) answers 200 with the first one and ' +
    'resumes it; an incident overlapping another for the same products or region is a 409 ' +
    '`incident_overlaps`, so no outage time is credited twice. Send an `Idempotency-Key`.',
  tags,
  access: [{ kind: 'staff', permission: 'finance:manage' }],
  idempotent: true,
  request: { params: storeParams, body: IncidentRequest },
  responses: { 200: IncidentView, 201: IncidentView },
});

export const listIncidents = defineOperation({
  operationId: 'listIncidents',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/incidents',
  summary: 'Recorded incidents, newest first, with how many services were credited and how much',
  tags,
  access: [{ kind: 'staff', permission: 'finance:read' }],
  request: { params: storeParams, query: pageQuery },
  responses: { 200: pageOf(IncidentView) },
});

export const getIncident = defineOperation({
  operationId: 'getIncident',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/incidents/{incidentId}',
  summary: 'One incident and the progress of its credits',
  tags,
  access: [{ kind: 'staff', permission: 'finance:read' }],
  request: { params: storeParams.extend({ incidentId: IncidentId }) },
  responses: { 200: IncidentView },
});
