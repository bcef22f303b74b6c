import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BillingSettings } from '#shared/billing/settings.ts';
import { dueShardPks, tenantPk } from '../../data/keys.ts';
import type { StoredSubscription } from '../../subscriptions/subscription.ts';
import type { BillingStore, DueItem, StoredTestClock } from '../billing-store.ts';

const SETTINGS_SK = 'BILLING_SETTINGS';
const CLOCK_SK = 'TEST_CLOCK';

/** Billing settings, the test clock and the `dueWork` index (docs/data-model.md). */
export class DynamoDbBillingStore implements BillingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async settings(tenantId: string): Promise<BillingSettings | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: tenantPk(tenantId), sk: SETTINGS_SK } }),
    );
    return Item ? BillingSettings.parse(Item.settings) : undefined;
  }

  async saveSettings(tenantId: string, settings: BillingSettings): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: tenantPk(tenantId), sk: SETTINGS_SK, entity: 'billingSettings', settings },
      }),
    );
  }

  async clock(tenantId: string): Promise<StoredTestClock | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPk(tenantId), sk: CLOCK_SK },
        ConsistentRead: true,
      }),
    );
    return Item?.clock as StoredTestClock | undefined;
  }

  async saveClock(tenantId: string, clock: StoredTestClock, expectedRevision: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: tenantPk(tenantId), sk: CLOCK_SK, entity: 'testClock', clock },
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#clock.#revision = :expected',
                ExpressionAttributeNames: { '#clock': 'clock', '#revision': 'revision' },
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

  async *dueItems(tenantId: string, until: string): AsyncIterable<DueItem> {
    for (const partition of dueShardPks(tenantId)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'dueWork',
            KeyConditionExpression: 'duePk = :due AND dueAt <= :until',
            ExpressionAttributeValues: { ':due': partition, ':until': until },
            // The index holds whole items (projection ALL): reading them costs no more than keys.
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = item.sk as string;
          const dueAt = item.dueAt as string;
          yield item.entity === 'wallet'
            ? { kind: 'wallet', sk, dueAt }
            : { kind: 'subscription', sk, dueAt, subscription: item.subscription as StoredSubscription };
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  }
}
