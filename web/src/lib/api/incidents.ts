/**
 * SLA incidents (`/api/v1/stores/{store}/admin/incidents`): record an outage (finance:manage; its
 * services are credited in the background) and follow its progress (finance:read). Answers are
 * checked with the shared schemas.
 */
import { pageOf } from '#shared/http/paging.ts';
import { type IncidentRequest, IncidentView } from '#shared/incidents/incident.ts';
import { type ApiOptions, type ApiResult, getJson, postOnce } from './http.ts';
import { adminPath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type { IncidentRequest, IncidentView };
export type IncidentStatus = IncidentView['status'];

export const parseIncident = schemaParser(IncidentView);
export const parseIncidentPage = schemaParser(pageOf(IncidentView)) as (
  body: unknown,
) => CursorPage<IncidentView> | undefined;

/**
 * `POST admin/incidents`: 201 `crediting` (or 200 with the same incident recorded before). 409
 * `incident_overlaps`; 400 `incident_not_over`, `invalid_period`, `unknown_product`,
 * `unknown_region`, `scope_required`. Keep one `idempotencyKey` per attempt.
 */
export function recordIncident(
  store: string,
  request: IncidentRequest,
  options: ApiOptions & { idempotencyKey?: string } = {},
): Promise<ApiResult<IncidentView>> {
  return postOnce(adminPath(store, '/incidents'), parseIncident, request, options, [200, 201]);
}

/** `GET admin/incidents`, newest first. */
export function fetchIncidents(
  store: string,
  page: { limit?: number; cursor?: string | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<IncidentView>>> {
  const search = new URLSearchParams({ limit: String(page.limit ?? 20) });
  if (page.cursor) search.set('cursor', page.cursor);
  return getJson(adminPath(store, `/incidents?${search}`), parseIncidentPage, options);
}

/** `GET admin/incidents/{id}`: the progress of its credits. */
export function fetchIncident(
  store: string,
  incidentId: string,
  options?: ApiOptions,
): Promise<ApiResult<IncidentView>> {
  return getJson(adminPath(store, `/incidents/${encodeURIComponent(incidentId)}`), parseIncident, options);
}
