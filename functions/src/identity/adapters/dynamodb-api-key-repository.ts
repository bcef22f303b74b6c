import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tenantPk } from '../../data/keys.ts';
import type { ApiKey, ApiKeyOwner } from '../model.ts';
import { identityKeys, withoutKeys } from './items.ts';

/** Last use is recorded at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class DynamoDbApiKeyRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(key: ApiKey): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...identityKeys.apiKey(key.tenantId, key.id), entity: 'apiKey', ...key },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, keyId: string): Promise<ApiKey | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.apiKey(tenantId, keyId) }),
    );
    return Item ? withoutKeys<ApiKey>(Item) : undefined;
  }

  /**
   * One owner's keys. A store has few keys, so one Query over the store's keys with a filter on
   * the owner reads a bounded, small set.
   */
  async listByOwner(tenantId: string, owner: ApiKeyOwner): Promise<ApiKey[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': 'APIKEY#' },
      }),
    );
    return Items.map((item) => withoutKeys<ApiKey>(item)).filter(
      (key) =>
        key.owner.kind === owner.kind &&
        (owner.kind === 'merchant' ||
          (key.owner.kind === 'customer' && key.owner.customerId === owner.customerId)),
    );
  }

  /** Revokes once; revoking a revoked key changes nothing. */
  async revoke(tenantId: string, keyId: string, at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: identityKeys.apiKey(tenantId, keyId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  async recordUse(key: ApiKey, at: Date): Promise<void> {
    if (key.lastUsedAt && at.getTime() - new Date(key.lastUsedAt).getTime() < LAST_USED_RESOLUTION_MS) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: identityKeys.apiKey(key.tenantId, key.id),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :at)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
