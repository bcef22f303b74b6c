import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_PK } from '../../data/keys.ts';
import type { HeartbeatRepository } from '../heartbeat-repository.ts';

const key = { pk: PLATFORM_PK, sk: 'HEARTBEAT' };

export class DynamoDbHeartbeatRepository implements HeartbeatRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record({ eventId, at }: { eventId: string; at: Date }): Promise<'recorded' | 'ignored'> {
    const noneRecorded = 'attribute_not_exists(lastAt)';
    const isNewer = 'lastAt < :at';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET lastAt = :at, lastEventId = :eventId',
          ConditionExpression: `${noneRecorded} OR ${isNewer}`,
          ExpressionAttributeValues: { ':at': at.toISOString(), ':eventId': eventId },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'ignored';
      throw error;
    }
  }

  async lastHeartbeatAt(): Promise<Date | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return typeof Item?.lastAt === 'string' ? new Date(Item.lastAt) : undefined;
  }
}
