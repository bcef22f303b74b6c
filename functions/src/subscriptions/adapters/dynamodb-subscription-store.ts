import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { customerPk, duePk, tenantPk } from '../../data/keys.ts';
import { listDocuments } from '../../data/paging.ts';
import type { TransactItem } from '../../data/transactions.ts';
import { type StoredSubscription, type StoredTransition, subscriptionDueAt } from '../subscription.ts';
import type { Page, SubscriptionStore, TouchingScope } from '../subscription-store.ts';

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
    const item = await getTenantItem(this.client, this.tableName, tenantId, subscriptionSk(subscriptionId));
    return item?.subscription as StoredSubscription | undefined;
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

  /**
   * A Query of the tenant's services (no Scan) with a filter on product, region and time. It reads
   * every service of the tenant once per incident, which is what an occasional incident can
   * afford; an index by product would cost a write on every posting of every service instead.
   */
  async pageTouching(
    tenantId: string,
    scope: TouchingScope,
    page: Page,
  ): Promise<{ items: StoredSubscription[]; nextCursor?: string }> {
    const pk = tenantPk(tenantId);
    const names: Record<string, string> = {
      '#s': 'subscription',
      '#product': 'product',
      '#id': 'id',
      '#state': 'state',
      '#stateSince': 'stateSince',
      '#createdAt': 'createdAt',
    };
    const values: Record<string, unknown> = {
      ':pk': pk,
      ':prefix': PREFIX,
      ':end': scope.end,
      ':start': scope.start,
      ':terminated': 'terminated',
      ':failed': 'failed',
    };
    // IN takes at most 100 operands: a long list becomes several, or-ed.
    const scopes: string[] = [];
    for (let index = 0; index < scope.productIds.length; index += 100) {
      const chunk = scope.productIds.slice(index, index + 100).map((id, offset) => {
        values[`:p${index + offset}`] = id;
        return `:p${index + offset}`;
      });
      scopes.push(`#s.#product.#id IN (${chunk.join(', ')})`);
    }
    if (scope.region !== undefined) {
      Object.assign(names, { '#configuration': 'configuration', '#options': 'options', '#region': 'region' });
      values[':region'] = scope.region;
      scopes.push('#s.#configuration.#options.#region = :region');
    }
    if (scopes.length === 0) return { items: [] };
    const filter =
      `(${scopes.join(' OR ')}) AND #s.#createdAt < :end AND ` +
      '(NOT (#s.#state IN (:terminated, :failed)) OR #s.#stateSince > :start)';
    // Not queryPage: with a filter a page may hold no match yet have more after it.
    const startSk =
      page.cursor === undefined ? undefined : Buffer.from(page.cursor, 'base64url').toString('utf8');
    if (startSk !== undefined && !startSk.startsWith(PREFIX))
      throw new RangeError('not a cursor of services');
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: page.limit,
        ...(startSk === undefined ? {} : { ExclusiveStartKey: { pk, sk: startSk } }),
      }),
    );
    const items = (result.Items ?? []).map((item) => item.subscription as StoredSubscription);
    const lastSk = result.LastEvaluatedKey?.sk;
    return typeof lastSk === 'string'
      ? { items, nextCursor: Buffer.from(lastSk).toString('base64url') }
      : { items };
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
