import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../data/keys.ts';
import type { SessionScope } from '../model.ts';
import { identityKeys } from './items.ts';

/** Counts events (failed sign-ins, reset mails) in fixed windows; a counter item expires (TTL) soon after its window. */
export class DynamoDbLoginThrottle {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly windowMs: number,
  ) {}

  windowStart(now: Date): number {
    return Math.floor(now.getTime() / this.windowMs) * this.windowMs;
  }

  async failures(scope: SessionScope, keys: string[], now: Date): Promise<Map<string, number>> {
    const window = this.windowStart(now);
    const { Responses } = await this.client.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: { Keys: keys.map((key) => identityKeys.throttle(scope, key, window)) },
        },
      }),
    );
    const counts = new Map(keys.map((key) => [key, 0]));
    for (const item of Responses?.[this.tableName] ?? [])
      counts.set(item.key as string, item.count as number);
    return counts;
  }

  async recordFailure(scope: SessionScope, keys: string[], now: Date): Promise<void> {
    const window = this.windowStart(now);
    await Promise.all(
      keys.map((key) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: identityKeys.throttle(scope, key, window),
            UpdateExpression: 'ADD #count :one SET #key = :key, expiresAt = :expires',
            ExpressionAttributeNames: { '#count': 'count', '#key': 'key' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':key': key,
              ':expires': epochSeconds(new Date(window + 2 * this.windowMs)),
            },
          }),
        ),
      ),
    );
  }

  async clear(scope: SessionScope, key: string, now: Date): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: identityKeys.throttle(scope, key, this.windowStart(now)),
      }),
    );
  }
}
