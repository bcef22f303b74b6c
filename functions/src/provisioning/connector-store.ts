import type { LifecycleEvent } from '#shared/provisioning/connector.ts';
import type { SealedValue } from '../payments/secret-box.ts';

/** A connector as stored: its signing secrets sealed (payments' SecretBox), never in plain text. */
export type StoredConnector = {
  id: string;
  productId?: string;
  url: string;
  events: LifecycleEvent[];
  timeoutSeconds: number;
  enabled: boolean;
  secret: SealedValue;
  secretLast4: string;
  /** The secret before the last rotation, valid until `previousSecretExpiresAt`. */
  previousSecret?: SealedValue;
  previousSecretExpiresAt?: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
};

/** A store's connectors (adapters/dynamodb-connector-store.ts): one per product, one default. */
export interface ConnectorStore {
  list(tenantId: string): Promise<StoredConnector[]>;
  get(tenantId: string, connectorId: string): Promise<StoredConnector | undefined>;
  /** The connector of a product, or the default one (`productId` undefined); not a fallback. */
  byScope(tenantId: string, productId: string | undefined): Promise<StoredConnector | undefined>;
  /** The connector that serves a product: its own, else the store's default (the one fallback rule). */
  serving(tenantId: string, productId: string): Promise<StoredConnector | undefined>;
  /** Creates it with its scope guard; false when the scope has a connector already. */
  create(tenantId: string, connector: StoredConnector): Promise<boolean>;
  /** Replaces it if its revision is still `expectedRevision`; false otherwise. */
  replace(tenantId: string, connector: StoredConnector, expectedRevision: number): Promise<boolean>;
}
