import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, tenantPk } from '../../data/keys.ts';

/** Notices sent, kept 30 days (an event is not redelivered later than that). */
const KEEP_MS = 30 * 86_400_000;

export class DynamoDbNoticeLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async sent(tenantId: string, key: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: tenantPk(tenantId), sk: `NOTICE#${key}` } }),
    );
    return Item !== undefined;
  }

  async markSent(tenantId: string, key: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: `NOTICE#${key}`,
          sentAt: new Date().toISOString(),
          expiresAt: epochSeconds(new Date(Date.now() + KEEP_MS)),
        },
      }),
    );
  }
}
