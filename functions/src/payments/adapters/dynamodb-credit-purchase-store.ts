import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { customerPk, tenantPk } from '../../data/keys.ts';
import type { TransactItem } from '../../data/transactions.ts';
import type { CreditPurchaseStore, StoredCreditPurchase } from '../credit-purchase-store.ts';

const sk = (purchaseId: string) => `CREDIT_PURCHASE#${purchaseId}`;

export class DynamoDbCreditPurchaseStore implements CreditPurchaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  #item(tenantId: string, purchase: StoredCreditPurchase) {
    return {
      pk: tenantPk(tenantId),
      sk: sk(purchase.id),
      entity: 'creditPurchase',
      // Listed with the customer's orders and services (customerItems index).
      customerPk: customerPk(tenantId, purchase.customerId),
      purchase,
      revision: purchase.revision,
    };
  }

  async get(tenantId: string, purchaseId: string): Promise<StoredCreditPurchase | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, sk(purchaseId));
    return item?.purchase as StoredCreditPurchase | undefined;
  }

  async create(tenantId: string, purchase: StoredCreditPurchase): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.#item(tenantId, purchase),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  createItem(tenantId: string, purchase: StoredCreditPurchase): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#item(tenantId, purchase),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  updateItem(tenantId: string, purchase: StoredCreditPurchase, expectedRevision: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#item(tenantId, purchase),
        ConditionExpression: 'revision = :expected',
        ExpressionAttributeValues: { ':expected': expectedRevision },
      },
    };
  }
}
