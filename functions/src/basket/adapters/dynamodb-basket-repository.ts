import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { epochSeconds, tenantPk } from '../../data/keys.ts';
import type { TransactItem } from '../../data/transactions.ts';
import type { BasketOwner, BasketRepository, StoredBasket } from '../basket-repository.ts';

/** A visitor's basket is kept 30 days after its last change; a buyer's until checkout. */
const VISITOR_BASKET_TTL_MS = 30 * 24 * 3_600_000;

const ownerKey = (owner: BasketOwner): string => {
  switch (owner.kind) {
    case 'user':
      return `BASKET#USER#${owner.customerId}#${owner.userId}`;
    case 'apiKey':
      return `BASKET#KEY#${owner.customerId}#${owner.keyId}`;
    case 'visitor':
      return `BASKET#VISITOR#${owner.tokenDigest}`;
  }
};

/** One item per basket, in the tenant's partition (docs/data-model.md). */
export class DynamoDbBasketRepository implements BasketRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, owner: BasketOwner): Promise<StoredBasket | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, ownerKey(owner));
    if (!item) return undefined;
    if (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now()) return undefined;
    return item.basket as StoredBasket;
  }

  async save(tenantId: string, basket: StoredBasket): Promise<boolean> {
    const expiresAt =
      basket.owner.kind === 'visitor'
        ? { expiresAt: epochSeconds(new Date(Date.parse(basket.updatedAt) + VISITOR_BASKET_TTL_MS)) }
        : {};
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: tenantPk(tenantId),
            sk: ownerKey(basket.owner),
            entity: 'basket',
            basket,
            ...expiresAt,
          },
          ...(basket.revision === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#basket.#revision = :previous',
                ExpressionAttributeNames: { '#basket': 'basket', '#revision': 'revision' },
                ExpressionAttributeValues: { ':previous': basket.revision - 1 },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  deleteItem(tenantId: string, owner: BasketOwner, revision: number): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: { pk: tenantPk(tenantId), sk: ownerKey(owner) },
        ConditionExpression: '#basket.#revision = :revision',
        ExpressionAttributeNames: { '#basket': 'basket', '#revision': 'revision' },
        ExpressionAttributeValues: { ':revision': revision },
      },
    };
  }

  async delete(tenantId: string, owner: BasketOwner): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: tenantPk(tenantId), sk: ownerKey(owner) } }),
    );
  }
}
