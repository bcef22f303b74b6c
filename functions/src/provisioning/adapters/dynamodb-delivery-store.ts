import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { epochSeconds, tenantPk } from '../../data/keys.ts';
import { queryPage } from '../../data/paging.ts';
import { type TransactItem, transact } from '../../data/transactions.ts';
import type { DeliveryStore, QueuePlace, StoredDelivery } from '../delivery-store.ts';

const PREFIX = 'DELIVERY#';
const deliverySk = (deliveryId: string) => `${PREFIX}${deliveryId}`;
/** A service's pending deliveries in sequence order: the ordering queue (docs/data-model.md). */
const queuePrefix = (subscriptionId: string) => `DELIVERY_QUEUE#${subscriptionId}#`;
const queueSk = (subscriptionId: string, sequence: number) =>
  `${queuePrefix(subscriptionId)}${String(sequence).padStart(10, '0')}`;

/** Delivery logs are kept 30 days after the last thing that happened to them. */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000;
const expiresAt = (delivery: StoredDelivery) =>
  epochSeconds(
    new Date(
      Date.parse(delivery.deliveredAt ?? delivery.failedAt ?? delivery.giveUpAt) + DELIVERY_RETENTION_MS,
    ),
  );

/** Deliveries in the tenant's partition, each pending one with its place in its service's queue. */
export class DynamoDbDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  #item(tenantId: string, delivery: StoredDelivery) {
    return {
      pk: tenantPk(tenantId),
      sk: deliverySk(delivery.id),
      entity: 'delivery',
      delivery,
      expiresAt: expiresAt(delivery),
    };
  }

  #place(tenantId: string, delivery: StoredDelivery): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: queueSk(delivery.subscriptionId, delivery.sequence),
          entity: 'deliveryQueuePlace',
          deliveryId: delivery.id,
          expiresAt: expiresAt(delivery),
        },
      },
    };
  }

  async create(tenantId: string, delivery: StoredDelivery): Promise<boolean> {
    const outcome = await transact(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: this.#item(tenantId, delivery),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.#place(tenantId, delivery),
    ]);
    return outcome.ok;
  }

  async get(tenantId: string, deliveryId: string): Promise<StoredDelivery | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, deliverySk(deliveryId));
    return item?.delivery as StoredDelivery | undefined;
  }

  async update(
    tenantId: string,
    delivery: StoredDelivery,
    expectedRevision: number,
    place: QueuePlace,
  ): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.#item(tenantId, delivery),
          ConditionExpression: '#delivery.#revision = :expected',
          ExpressionAttributeNames: { '#delivery': 'delivery', '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        },
      },
    ];
    if (place === 'take') items.push(this.#place(tenantId, delivery));
    if (place === 'leave') {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: { pk: tenantPk(tenantId), sk: queueSk(delivery.subscriptionId, delivery.sequence) },
        },
      });
    }
    return (await transact(this.client, items)).ok;
  }

  async #neighbour(tenantId: string, subscriptionId: string, sequence: number, before: boolean) {
    const prefix = queuePrefix(subscriptionId);
    const own = queueSk(subscriptionId, sequence);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': tenantPk(tenantId),
          // BETWEEN is inclusive: the own place is skipped below.
          ':from': before ? prefix : own,
          ':to': before ? own : `${prefix}\uffff`,
        },
        ScanIndexForward: !before,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    return Items.find((item) => item.sk !== own)?.deliveryId as string | undefined;
  }

  pendingBefore(tenantId: string, subscriptionId: string, sequence: number) {
    return this.#neighbour(tenantId, subscriptionId, sequence, true);
  }

  pendingAfter(tenantId: string, subscriptionId: string, sequence: number) {
    return this.#neighbour(tenantId, subscriptionId, sequence, false);
  }

  list(
    tenantId: string,
    filter: { status?: StoredDelivery['status'] | undefined; subscriptionId?: string | undefined },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredDelivery[]; nextCursor?: string }> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': tenantPk(tenantId), ':prefix': PREFIX };
    if (filter.status) {
      conditions.push('#delivery.#status = :status');
      Object.assign(names, { '#delivery': 'delivery', '#status': 'status' });
      values[':status'] = filter.status;
    }
    if (filter.subscriptionId) {
      conditions.push('#delivery.#subscriptionId = :subscriptionId');
      Object.assign(names, { '#delivery': 'delivery', '#subscriptionId': 'subscriptionId' });
      values[':subscriptionId'] = filter.subscriptionId;
    }
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(conditions.length > 0
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
      (sk) => ({ pk: tenantPk(tenantId), sk }),
      (item) => item.delivery as StoredDelivery,
      PREFIX,
    );
  }
}

/** Callback ids are remembered this long: platforms retry for hours, not weeks. */
export const CALLBACK_MEMORY_MS = 7 * 86_400_000;

/** The callback ids a store's platforms sent lately (`CALLBACK#<id>`, expiring). */
export class DynamoDbCallbackLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(tenantId: string, callbackId: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: tenantPk(tenantId),
            sk: `CALLBACK#${callbackId}`,
            entity: 'provisioningCallback',
            expiresAt: epochSeconds(new Date(Date.now() + CALLBACK_MEMORY_MS)),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
