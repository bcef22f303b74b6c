import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../data/keys.ts';
import type { OneTimePurpose } from '../model.ts';
import { identityKeys } from './items.ts';

export type OneTimeToken = { purpose: OneTimePurpose; userId: string; data?: Record<string, unknown> };

/** Tokens of emailed links (verify, reset, invite): stored hashed, single use, expiring. */
export class DynamoDbOneTimeTokenRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenantId: string, digest: string, token: OneTimeToken, expiresAt: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...identityKeys.oneTimeToken(tenantId, digest),
          entity: 'oneTimeToken',
          ...token,
          expiresAt: epochSeconds(expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Uses the token once: undefined when it is unknown, used, expired or for another purpose. */
  async consume(
    tenantId: string,
    digest: string,
    purpose: OneTimePurpose,
    now: Date,
  ): Promise<OneTimeToken | undefined> {
    const unused = 'attribute_not_exists(usedAt)';
    const unexpired = 'expiresAt > :now';
    const forThisPurpose = 'purpose = :purpose';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: identityKeys.oneTimeToken(tenantId, digest),
          UpdateExpression: 'SET usedAt = :usedAt',
          ConditionExpression: `attribute_exists(pk) AND ${unused} AND ${unexpired} AND ${forThisPurpose}`,
          ExpressionAttributeValues: {
            ':now': epochSeconds(now),
            ':usedAt': now.toISOString(),
            ':purpose': purpose,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes
        ? {
            purpose: Attributes.purpose,
            userId: Attributes.userId,
            ...(Attributes.data ? { data: Attributes.data } : {}),
          }
        : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
