import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { epochSeconds } from '../../data/keys.ts';
import type { IdempotencyRecord, IdempotencyStore, StoredResponse } from '../idempotency.ts';

/** How long a key is remembered after its request completed. */
const RETENTION_MS = 24 * 60 * 60_000;
/** How long an unfinished claim blocks retries (longer than any HTTP function's timeout). */
const LOCK_MS = 60_000;

const sortKey = (key: string) => `IDEMPOTENCY#${key}`;

/** Idempotency records in the single table, under the caller's scope (the tenant's partition). */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
  ): Promise<IdempotencyRecord | undefined> {
    const keyIsFree = 'attribute_not_exists(pk)';
    const claimWasAbandoned = '(#status = :inProgress AND lockedUntil < :nowMs)';
    const recordHasExpired = 'expiresAt < :nowSeconds';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: scope,
            sk: sortKey(key),
            status: 'in_progress',
            requestHash,
            lockedUntil: now.getTime() + LOCK_MS,
            expiresAt: epochSeconds(new Date(now.getTime() + RETENTION_MS)),
          },
          ConditionExpression: `${keyIsFree} OR ${claimWasAbandoned} OR ${recordHasExpired}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': 'in_progress',
            ':nowMs': now.getTime(),
            ':nowSeconds': epochSeconds(now),
          },
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: scope, sk: sortKey(key) },
          ConsistentRead: true,
        }),
      );
      // Released between our put and get: report as in progress; the caller's retry will claim it.
      if (!Item) return { status: 'in_progress', requestHash };
      return Item.status === 'completed'
        ? { status: 'completed', requestHash: Item.requestHash, response: Item.response as StoredResponse }
        : { status: 'in_progress', requestHash: Item.requestHash };
    }
  }

  async complete(
    scope: string,
    key: string,
    requestHash: string,
    response: StoredResponse,
    now: Date,
  ): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: scope,
          sk: sortKey(key),
          status: 'completed',
          requestHash,
          response,
          expiresAt: epochSeconds(new Date(now.getTime() + RETENTION_MS)),
        },
      }),
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: scope, sk: sortKey(key) } }),
    );
  }
}

let tableStore: IdempotencyStore | undefined;

/** The single table's idempotency store, for `httpHandler(op, impl, { idempotencyStore: tableIdempotencyStore })`. */
export function tableIdempotencyStore(): IdempotencyStore {
  tableStore ??= new DynamoDbIdempotencyStore(dynamoDocumentClient(), tableName());
  return tableStore;
}
