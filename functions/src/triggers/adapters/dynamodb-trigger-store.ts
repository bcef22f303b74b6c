import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#shared/errors.ts';
import { getTenantItem } from '../../data/items.ts';
import { epochSeconds, tenantPk } from '../../data/keys.ts';
import { type TransactItem, type TransactOutcome, transact } from '../../data/transactions.ts';
import type { Page } from '../../subscriptions/subscription-store.ts';
import type {
  StoredFiring,
  StoredServiceTrigger,
  StoredTriggerPolicy,
  TriggerStore,
} from '../trigger-store.ts';

const POLICY = 'TRIGGER_POLICY#';
const SERVICE_TRIGGER = 'SERVICE_TRIGGER#';
/** Present only while the trigger is enabled: the schedule lists these, not every trigger. */
const ENABLED = 'TRIGGER_ON#';
const FIRING = 'TRIGGER_FIRING#';
/** Firings are a log: kept as long as usage is. */
const FIRING_RETENTION_MS = 90 * 86_400_000;

const policySk = (policyId: string) => `${POLICY}${policyId}`;
const serviceTriggerSk = (subscriptionId: string, policyId: string) =>
  `${SERVICE_TRIGGER}${subscriptionId}#${policyId}`;
const enabledSk = (subscriptionId: string, policyId: string) => `${ENABLED}${subscriptionId}#${policyId}`;
const firingSk = (subscriptionId: string, firingId: string) => `${FIRING}${subscriptionId}#${firingId}`;

/** Capacity triggers in the tenant's partition (docs/data-model.md). */
export class DynamoDbTriggerStore implements TriggerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async #query(tenantId: string, prefix: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async listPolicies(tenantId: string): Promise<StoredTriggerPolicy[]> {
    // Ids are ULIDs: key order is creation order.
    return (await this.#query(tenantId, POLICY)).map((item) => item.policy as StoredTriggerPolicy);
  }

  async getPolicy(tenantId: string, policyId: string): Promise<StoredTriggerPolicy | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, policySk(policyId));
    return item?.policy as StoredTriggerPolicy | undefined;
  }

  async #put(
    item: Record<string, unknown>,
    condition: Omit<ConstructorParameters<typeof PutCommand>[0], 'TableName' | 'Item'>,
  ) {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  createPolicy(tenantId: string, policy: StoredTriggerPolicy): Promise<boolean> {
    return this.#put(
      { pk: tenantPk(tenantId), sk: policySk(policy.id), entity: 'triggerPolicy', policy },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  replacePolicy(tenantId: string, policy: StoredTriggerPolicy, expectedRevision: number): Promise<boolean> {
    return this.#put(
      { pk: tenantPk(tenantId), sk: policySk(policy.id), entity: 'triggerPolicy', policy },
      {
        ConditionExpression: '#policy.#revision = :expected',
        ExpressionAttributeNames: { '#policy': 'policy', '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': expectedRevision },
      },
    );
  }

  async serviceTriggers(tenantId: string, subscriptionId: string): Promise<StoredServiceTrigger[]> {
    return (await this.#query(tenantId, `${SERVICE_TRIGGER}${subscriptionId}#`)).map(
      (item) => item.trigger as StoredServiceTrigger,
    );
  }

  async serviceTrigger(
    tenantId: string,
    subscriptionId: string,
    policyId: string,
  ): Promise<StoredServiceTrigger | undefined> {
    const item = await getTenantItem(
      this.client,
      this.tableName,
      tenantId,
      serviceTriggerSk(subscriptionId, policyId),
    );
    return item?.trigger as StoredServiceTrigger | undefined;
  }

  #triggerItem(tenantId: string, trigger: StoredServiceTrigger) {
    return {
      pk: tenantPk(tenantId),
      sk: serviceTriggerSk(trigger.subscriptionId, trigger.policyId),
      entity: 'serviceTrigger',
      trigger,
    };
  }

  async saveServiceTrigger(
    tenantId: string,
    trigger: StoredServiceTrigger,
    expectedRevision: number | undefined,
  ): Promise<boolean> {
    const marker = { pk: tenantPk(tenantId), sk: enabledSk(trigger.subscriptionId, trigger.policyId) };
    const write: TransactItem =
      expectedRevision === undefined
        ? {
            Put: {
              TableName: this.tableName,
              Item: this.#triggerItem(tenantId, trigger),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : this.stateItem(tenantId, trigger, expectedRevision);
    const outcome = await transact(this.client, [
      write,
      trigger.enabled
        ? {
            Put: {
              TableName: this.tableName,
              Item: {
                ...marker,
                entity: 'serviceTriggerEnabled',
                subscriptionId: trigger.subscriptionId,
                policyId: trigger.policyId,
              },
            },
          }
        : { Delete: { TableName: this.tableName, Key: marker } },
    ]);
    // A failed condition or a concurrent writer: the caller reads again.
    return outcome.ok;
  }

  stateItem(tenantId: string, trigger: StoredServiceTrigger, expectedRevision: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#triggerItem(tenantId, trigger),
        ConditionExpression: '#trigger.#revision = :expected',
        ExpressionAttributeNames: { '#trigger': 'trigger', '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': expectedRevision },
      },
    };
  }

  firingItem(tenantId: string, firing: StoredFiring): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: firingSk(firing.subscriptionId, firing.id),
          entity: 'triggerFiring',
          firing,
          expiresAt: epochSeconds(new Date(Date.parse(firing.at) + FIRING_RETENTION_MS)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  commit(items: TransactItem[]): Promise<TransactOutcome> {
    return transact(this.client, items);
  }

  async firings(
    tenantId: string,
    subscriptionId: string,
    page: Page,
  ): Promise<{ items: StoredFiring[]; nextCursor?: string }> {
    let startKey: Record<string, unknown> | undefined;
    if (page.cursor) {
      const after = Buffer.from(page.cursor, 'base64url').toString('utf8');
      if (!/^tgf_[0-9a-z]{26}$/.test(after)) {
        throw new ValidationError('invalid_cursor', 'cursor is not one this list handed out');
      }
      startKey = { pk: tenantPk(tenantId), sk: firingSk(subscriptionId, after) };
    }
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': `${FIRING}${subscriptionId}#` },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = Items.map((item) => item.firing as StoredFiring);
    const last = items.at(-1);
    return {
      items,
      ...(LastEvaluatedKey && last ? { nextCursor: Buffer.from(last.id).toString('base64url') } : {}),
    };
  }

  async servicesWithTriggers(tenantId: string): Promise<string[]> {
    const items = await this.#query(tenantId, ENABLED);
    return [...new Set(items.map((item) => item.subscriptionId as string))];
  }
}
