/**
 * Provisioning in the merchant console: connectors (`admin/connectors`: list, create or change,
 * rotate the signing secret) and the log of webhook deliveries (`admin/deliveries`: list, replay a
 * failed one). A signing secret comes only in the answer that makes it (201 create, rotate): the
 * page shows it once. Answers are checked with the shared schemas.
 */
import { pageOf } from '#shared/http/paging.ts';
import {
  ConnectorList,
  ConnectorView,
  ConnectorWithSecret,
  LIFECYCLE_EVENTS,
  type LifecycleEvent,
  type UpsertConnectorRequest,
} from '#shared/provisioning/connector.ts';
import {
  DELIVERY_STATUSES,
  type DeliveryAttempt,
  type DeliveryStatus,
  DeliveryView,
  type WebhookType,
} from '#shared/provisioning/delivery.ts';
import { type ApiOptions, type ApiResult, getJson, requestJson } from './http.ts';
import { adminPath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type {
  ConnectorView,
  ConnectorWithSecret,
  DeliveryAttempt,
  DeliveryStatus,
  DeliveryView,
  LifecycleEvent,
  UpsertConnectorRequest,
  WebhookType,
};
export { DELIVERY_STATUSES, LIFECYCLE_EVENTS };

/** A connector as saved, with its signing secret when this answer made one (shown once). */
export type SavedConnector = { connector: ConnectorView; secret?: string };

const parseConnectorList = schemaParser(ConnectorList);
const parseConnectorView = schemaParser(ConnectorView);
const parseWithSecret = schemaParser(ConnectorWithSecret);
export const parseDelivery = schemaParser(DeliveryView);
export const parseDeliveryPage = schemaParser(pageOf(DeliveryView)) as (
  body: unknown,
) => CursorPage<DeliveryView> | undefined;

/** The 201 of a create carries the secret; the 200 of a change does not. */
export function parseSavedConnector(body: unknown): SavedConnector | undefined {
  const created = parseWithSecret(body);
  if (created) {
    const { secret, ...connector } = created;
    return { connector, secret };
  }
  const changed = parseConnectorView(body);
  return changed && { connector: changed };
}

/** `GET admin/connectors` (catalog:read or catalog:manage): the default one and those of products. */
export async function fetchConnectors(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<ConnectorView[]>> {
  const result = await getJson(adminPath(store, '/connectors'), parseConnectorList, options);
  return result.ok ? { ...result, data: result.data.items } : result;
}

/**
 * `PUT admin/connectors` (catalog:manage): 201 with the secret when it creates the connector of
 * that scope (`productId`, or none for the store default), 200 when it changes it. 400 names the
 * field (`body.url`, `body.events[0]`, `unknown_product`); `expectedRevision` turns a lost update
 * into a 409.
 */
export function saveConnector(
  store: string,
  request: UpsertConnectorRequest,
  options?: ApiOptions,
): Promise<ApiResult<SavedConnector>> {
  return requestJson(adminPath(store, '/connectors'), parseSavedConnector, {
    ...options,
    method: 'PUT',
    body: request,
    okStatuses: [200, 201],
  });
}

/** `POST admin/connectors/{id}/rotate-secret`: the new secret (shown once); the old one signs too for a while. */
export async function rotateConnectorSecret(
  store: string,
  connectorId: string,
  keepPreviousHours: number,
  options?: ApiOptions,
): Promise<ApiResult<SavedConnector>> {
  return requestJson(
    adminPath(store, `/connectors/${encodeURIComponent(connectorId)}/rotate-secret`),
    parseSavedConnector,
    { ...options, method: 'POST', body: { keepPreviousHours } },
  );
}

export type DeliveryQuery = {
  status?: DeliveryStatus | undefined;
  subscriptionId?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
};

/** `GET admin/deliveries`, newest first, each with its latest attempts and the payload. */
export function fetchDeliveries(
  store: string,
  query: DeliveryQuery = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<DeliveryView>>> {
  const search = new URLSearchParams({ limit: String(query.limit ?? 20) });
  if (query.status) search.set('status', query.status);
  if (query.subscriptionId) search.set('subscriptionId', query.subscriptionId);
  if (query.cursor) search.set('cursor', query.cursor);
  return getJson(adminPath(store, `/deliveries?${search}`), parseDeliveryPage, options);
}

/** `POST admin/deliveries/{id}/replay` (catalog:manage): 202 with the delivery pending again; 409 unless failed. */
export function replayDelivery(
  store: string,
  deliveryId: string,
  options?: ApiOptions,
): Promise<ApiResult<DeliveryView>> {
  return requestJson(
    adminPath(store, `/deliveries/${encodeURIComponent(deliveryId)}/replay`),
    parseDelivery,
    { ...options, method: 'POST', okStatuses: [202] },
  );
}
