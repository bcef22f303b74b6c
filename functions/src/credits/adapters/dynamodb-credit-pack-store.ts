import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CreditPack } from '#shared/credits/packs.ts';
import { getTenantItem } from '../../data/items.ts';
import { tenantPk } from '../../data/keys.ts';
import type { CreditPackStore } from '../credit-pack-store.ts';

const PREFIX = 'CREDIT_PACK#';

/** Packs in the tenant's partition, one item each (docs/data-model.md). */
export class DynamoDbCreditPackStore implements CreditPackStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async all(tenantId: string): Promise<CreditPack[]> {
    const packs: CreditPack[] = [];
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
      packs.push(...(page.Items ?? []).map((item) => item.pack as CreditPack));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return packs;
  }

  async get(tenantId: string, packId: string): Promise<CreditPack | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, `${PREFIX}${packId}`);
    return item?.pack as CreditPack | undefined;
  }

  async put(tenantId: string, pack: CreditPack, expectedRevision: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: tenantPk(tenantId), sk: `${PREFIX}${pack.id}`, entity: 'creditPack', pack },
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#pack.#revision = :expected',
                ExpressionAttributeNames: { '#pack': 'pack', '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
