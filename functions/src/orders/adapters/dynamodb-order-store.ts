import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { customerPk, tenantPk } from '../../data/keys.ts';
import { listDocuments } from '../../data/paging.ts';
import type { TransactItem } from '../../data/transactions.ts';
import type { OrderStore, StoredOrder } from '../order-store.ts';

const PREFIX = 'ORDER#';
const orderSk = (orderId: string) => `${PREFIX}${orderId}`;

/** Orders in the tenant's partition; a customer's through `customerItems` (docs/data-model.md). */
export class DynamoDbOrderStore implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, orderId: string): Promise<StoredOrder | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, orderSk(orderId));
    return item?.order as StoredOrder | undefined;
  }

  list(
    tenantId: string,
    filter: { customerId?: string | undefined; status?: string | undefined },
    page: { limit: number; cursor?: string | undefined },
  ) {
    return listDocuments<StoredOrder>(
      this.client,
      this.tableName,
      {
        tenantId,
        customerId: filter.customerId,
        prefix: PREFIX,
        document: 'order',
        where: filter.status ? { field: 'status', value: filter.status } : undefined,
      },
      page,
    );
  }

  #item(tenantId: string, order: StoredOrder) {
    return {
      pk: tenantPk(tenantId),
      sk: orderSk(order.id),
      entity: 'order',
      customerPk: customerPk(tenantId, order.customerId),
      order,
    };
  }

  createItem(tenantId: string, order: StoredOrder): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#item(tenantId, order),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  updateItem(tenantId: string, order: StoredOrder, expectedRevision: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#item(tenantId, order),
        ConditionExpression: '#order.#revision = :expected',
        ExpressionAttributeNames: { '#order': 'order', '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': expectedRevision },
      },
    };
  }
}
