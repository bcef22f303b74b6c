/**
 * Provisioning connectors: the merchant says where each product (or, by default, every product)
 * is provisioned. Signing secrets are made here, shown once, sealed at rest with the payments
 * context's data keys, and rotated with a window in which the previous secret still signs.
 */
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '#shared/errors.ts';
import { newId } from '#shared/ids/ids.ts';
import {
  type ConnectorView,
  type ConnectorWithSecret,
  DEFAULT_KEEP_PREVIOUS_HOURS,
  type RotateConnectorSecretRequest,
  type UpsertConnectorRequest,
} from '#shared/provisioning/connector.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { SecretBox } from '../payments/secret-box.ts';
import type { ConnectorStore, StoredConnector } from './connector-store.ts';
import { newWebhookSecret } from './webhook-signature.ts';

export type ConnectorDeps = {
  connectors: ConnectorStore;
  /** The deployment's data keys (payments' key ring); undefined when none are configured. */
  secrets(): Promise<SecretBox | undefined>;
  productExists(tenantId: string, productId: string): Promise<boolean>;
  clock: Clock;
};

/** Current and previous secret share the context: a rotation moves the sealed value as it is. */
const sealContext = (tenantId: string, connectorId: string) => `${tenantId}/connector.${connectorId}.secret`;
const last4 = (secret: string) => secret.slice(-4);

/** The previous secret only while its window is open. */
const previousValid = (connector: StoredConnector, now: Date) =>
  connector.previousSecret !== undefined &&
  connector.previousSecretExpiresAt !== undefined &&
  Date.parse(connector.previousSecretExpiresAt) > now.getTime();

function view(connector: StoredConnector, now: Date): ConnectorView {
  return {
    id: connector.id,
    ...(connector.productId ? { productId: connector.productId } : {}),
    url: connector.url,
    events: connector.events,
    timeoutSeconds: connector.timeoutSeconds,
    enabled: connector.enabled,
    secretLast4: connector.secretLast4,
    ...(previousValid(connector, now) ? { previousSecretExpiresAt: connector.previousSecretExpiresAt } : {}),
    revision: connector.revision,
    createdAt: connector.createdAt,
    updatedAt: connector.updatedAt,
  };
}

async function dataKeys(deps: Pick<ConnectorDeps, 'secrets'>): Promise<SecretBox> {
  const box = await deps.secrets();
  if (!box) {
    throw new UnavailableError(
      'data_keys_unconfigured',
      'This deployment has no data key to encrypt signing secrets with (PAYMENTS_DATA_KEYS or its secret)',
    );
  }
  return box;
}

/** The default connector first, then the products' in the order they were made. */
export async function listConnectors(
  deps: ConnectorDeps,
  tenant: Tenant,
): Promise<{ items: ConnectorView[] }> {
  const now = deps.clock.now();
  const connectors = await deps.connectors.list(tenant.id);
  connectors.sort(
    (a, b) =>
      Number(a.productId !== undefined) - Number(b.productId !== undefined) || a.id.localeCompare(b.id),
  );
  return { items: connectors.map((connector) => view(connector, now)) };
}

export type UpsertOutcome =
  | { created: true; connector: ConnectorWithSecret }
  | { created: false; connector: ConnectorView };

export async function upsertConnector(
  deps: ConnectorDeps,
  tenant: Tenant,
  request: UpsertConnectorRequest,
): Promise<UpsertOutcome> {
  const { productId, expectedRevision, ...settings } = request;
  if (productId && !(await deps.productExists(tenant.id, productId))) {
    throw new ValidationError('unknown_product', `This store has no product ${productId}`, [
      { path: 'body.productId', message: 'no such product in this store', code: 'unknown_product' },
    ]);
  }
  const current = await deps.connectors.byScope(tenant.id, productId);
  if (expectedRevision !== undefined && expectedRevision !== (current?.revision ?? 0)) {
    throw new ConflictError(
      'revision_conflict',
      `The connector is at revision ${current?.revision ?? 'none'}, not ${expectedRevision}`,
      { revision: current?.revision },
    );
  }
  const now = deps.clock.now();
  const at = now.toISOString();

  if (current) {
    const changed: StoredConnector = {
      ...current,
      ...settings,
      revision: current.revision + 1,
      updatedAt: at,
    };
    if (!(await deps.connectors.replace(tenant.id, changed, current.revision))) {
      throw new ConflictError('revision_conflict', 'The connector changed meanwhile; load it and try again');
    }
    return { created: false, connector: view(changed, now) };
  }

  const box = await dataKeys(deps);
  const id = newId('con', deps.clock);
  const secret = newWebhookSecret();
  const connector: StoredConnector = {
    id,
    ...(productId ? { productId } : {}),
    ...settings,
    secret: box.seal(secret, sealContext(tenant.id, id)),
    secretLast4: last4(secret),
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.connectors.create(tenant.id, connector))) {
    throw new ConflictError(
      'connector_exists',
      `A connector for ${productId ?? 'the store default'} was created meanwhile; load it and change that one`,
    );
  }
  return { created: true, connector: { ...view(connector, now), secret } };
}

export async function rotateConnectorSecret(
  deps: ConnectorDeps,
  tenant: Tenant,
  connectorId: string,
  request: RotateConnectorSecretRequest | undefined,
): Promise<ConnectorWithSecret> {
  const current = await deps.connectors.get(tenant.id, connectorId);
  if (!current) throw new NotFoundError('connector_not_found', `There is no connector ${connectorId}`);
  const box = await dataKeys(deps);
  const now = deps.clock.now();
  const keepHours = request?.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS;
  const secret = newWebhookSecret();
  const { previousSecret: _, previousSecretExpiresAt: __, ...rest } = current;
  const rotated: StoredConnector = {
    ...rest,
    secret: box.seal(secret, sealContext(tenant.id, current.id)),
    secretLast4: last4(secret),
    // The secret in use until now keeps signing for the window; one rotated before is dropped.
    ...(keepHours > 0
      ? {
          previousSecret: current.secret,
          previousSecretExpiresAt: new Date(now.getTime() + keepHours * 3_600_000).toISOString(),
        }
      : {}),
    revision: current.revision + 1,
    updatedAt: now.toISOString(),
  };
  if (!(await deps.connectors.replace(tenant.id, rotated, current.revision))) {
    throw new ConflictError('revision_conflict', 'The connector changed meanwhile; try the rotation again');
  }
  return { ...view(rotated, now), secret };
}

/**
 * The secrets a webhook is signed with right now: the current one, and the previous one while its
 * rotation window is open (deliveries sign with each; callbacks verify against each).
 */
export async function signingSecrets(
  deps: Pick<ConnectorDeps, 'secrets' | 'clock'>,
  tenantId: string,
  connector: StoredConnector,
): Promise<string[]> {
  const box = await dataKeys(deps);
  const context = sealContext(tenantId, connector.id);
  const secrets = [box.open(connector.secret, context)];
  if (previousValid(connector, deps.clock.now()) && connector.previousSecret) {
    secrets.push(box.open(connector.previousSecret, context));
  }
  return secrets;
}
