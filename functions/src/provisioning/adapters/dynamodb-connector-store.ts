import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPk(tenantId), sk },
        ConsistentRead: true,
      }),
    );
    return Item;
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
