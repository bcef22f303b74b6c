import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { tenantPk } from '../../data/keys.ts';
import { transact } from '../../data/transactions.ts';
import type { ConnectorStore, StoredConnector } from '../connector-store.ts';

const PREFIX = 'CONNECTOR#';
const connectorSk = (connectorId: string) => `${PREFIX}${connectorId}`;
/** One connector per product and one default: the guard item is what makes that hold. */
const scopeSk = (productId: string | undefined) => `CONNECTOR_SCOPE#${productId ?? 'DEFAULT'}`;

/** Connectors in the tenant's partition, each with a scope guard (docs/data-model.md). */
export class DynamoDbConnectorStore implements ConnectorStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async #get(tenantId: string, sk: string) {
    const item = await getTenantItem(this.client, this.tableName, tenantId, sk);
    return item;
  }

  async list(tenantId: string): Promise<StoredConnector[]> {
    const connectors: StoredConnector[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': PREFIX },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      connectors.push(...(page.Items ?? []).map((item) => item.connector as StoredConnector));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return connectors;
  }

  async get(tenantId: string, connectorId: string): Promise<StoredConnector | undefined> {
    return (await this.#get(tenantId, connectorSk(connectorId)))?.connector as StoredConnector | undefined;
  }

  async byScope(tenantId: string, productId: string | undefined): Promise<StoredConnector | undefined> {
    const guard = await this.#get(tenantId, scopeSk(productId));
    return guard ? this.get(tenantId, guard.connectorId as string) : undefined;
  }

  /**
   * Both scope guards in one BatchGetItem (consistent), then the connector: one request for a
   * store without connectors (most subscription events of most stores), two otherwise.
   */
  async serving(tenantId: string, productId: string): Promise<StoredConnector | undefined> {
    const pk = tenantPk(tenantId);
    const own = scopeSk(productId);
    const fallback = scopeSk(undefined);
    let keys: Array<Record<string, unknown>> | undefined = [
      { pk, sk: own },
      { pk, sk: fallback },
    ];
    const guards = new Map<string, string>();
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      if (attempt >= 8) throw new Error('connector scopes could not be read');
      const result: BatchGetCommandOutput = await this.client.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        guards.set(item.sk as string, item.connectorId as string);
      }
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    const connectorId = guards.get(own) ?? guards.get(fallback);
    return connectorId ? this.get(tenantId, connectorId) : undefined;
  }

  async create(tenantId: string, connector: StoredConnector): Promise<boolean> {
    const outcome = await transact(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            pk: tenantPk(tenantId),
            sk: scopeSk(connector.productId),
            entity: 'connectorScope',
            connectorId: connector.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: tenantPk(tenantId), sk: connectorSk(connector.id), entity: 'connector', connector },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    return outcome.ok;
  }

  async replace(tenantId: string, connector: StoredConnector, expectedRevision: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: tenantPk(tenantId), sk: connectorSk(connector.id), entity: 'connector', connector },
          ConditionExpression: '#connector.#revision = :expected',
          ExpressionAttributeNames: { '#connector': 'connector', '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
