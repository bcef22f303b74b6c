import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerPk, duePk, tenantPk } from '../../data/keys.ts';
import { listDocuments } from '../../data/paging.ts';
import type { TransactItem } from '../../data/transactions.ts';
import { type StoredSubscription, type StoredTransition, subscriptionDueAt } from '../subscription.ts';
import type { Page, SubscriptionStore } from '../subscription-store.ts';

const PREFIX = 'SUBSCRIPTION#';
export const subscriptionSk = (id: string): string => `${PREFIX}${id}`;
const historySk = (subscriptionId: string, transitionId: string) =>
  `SUBHISTORY#${subscriptionId}#${transitionId}`;

/** Services in the tenant's partition; by customer through `customerItems`; due ones in `dueWork`. */
export class DynamoDbSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, subscriptionId: string): Promise<StoredSubscription | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPk(tenantId), sk: subscriptionSk(subscriptionId) },
        ConsistentRead: true,
      }),
    );
    return Item?.subscription as StoredSubscription | undefined;
  }

  list(
    tenantId: string,
    filter: { customerId?: string | undefined; state?: string | undefined },
    page: Page,
  ) {
    return listDocuments<StoredSubscription>(
      this.client,
      this.tableName,
      {
        tenantId,
        customerId: filter.customerId,
        prefix: PREFIX,
        document: 'subscription',
        where: filter.state ? { field: 'state', value: filter.state } : undefined,
      },
      page,
    );
  }

  async allOfCustomer(tenantId: string, customerId: string): Promise<StoredSubscription[]> {
    const all: StoredSubscription[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(tenantId, { customerId }, { limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async history(tenantId: string, subscriptionId: string, limit: number): Promise<StoredTransition[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': `SUBHISTORY#${subscriptionId}#` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => item.transition as StoredTransition);
  }

  #item(tenantId: string, subscription: StoredSubscription): Record<string, unknown> {
    const sk = subscriptionSk(subscription.id);
    const due = subscriptionDueAt(subscription);
    return {
      pk: tenantPk(tenantId),
      sk,
      entity: 'subscription',
      customerPk: customerPk(tenantId, subscription.customerId),
      ...(due ? { duePk: duePk(tenantId, sk), dueAt: due } : {}),
      subscription,
    };
  }

  #historyItems(tenantId: string, subscriptionId: string, transitions: StoredTransition[]): TransactItem[] {
    return transitions.map((transition) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: historySk(subscriptionId, transition.id),
          entity: 'subscriptionTransition',
          transition,
        },
      },
    }));
  }

  createItems(
    tenantId: string,
    subscription: StoredSubscription,
    transitions: StoredTransition[],
  ): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: this.#item(tenantId, subscription),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.#historyItems(tenantId, subscription.id, transitions),
    ];
  }

  updateItems(
    tenantId: string,
    subscription: StoredSubscription,
    expectedRevision: number,
    transitions: StoredTransition[],
  ): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: this.#item(tenantId, subscription),
          ConditionExpression: '#subscription.#revision = :expected',
          ExpressionAttributeNames: { '#subscription': 'subscription', '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        },
      },
      ...this.#historyItems(tenantId, subscription.id, transitions),
    ];
  }
}
