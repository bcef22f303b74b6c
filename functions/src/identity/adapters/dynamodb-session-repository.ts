import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../data/keys.ts';
import type { Session, SessionScope } from '../model.ts';
import { identityKeys } from './items.ts';

/** Sessions under their user (so a user's sessions are one Query), expiring by TTL. */
export class DynamoDbSessionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: Session): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...identityKeys.session(session.scope, session.userId, session.id),
          entity: 'session',
          ...toItem(session),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The session, unless it does not exist or has expired (TTL deletion lags, so expiry is checked here). */
  async get(scope: SessionScope, userId: string, sessionId: string, now: Date): Promise<Session | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.session(scope, userId, sessionId) }),
    );
    if (!Item) return undefined;
    const session = fromItem(Item, scope);
    return new Date(session.expiresAt) > now ? session : undefined;
  }

  /** Records activity at most once a minute per session, not on every request. */
  async touch(session: Session, now: Date): Promise<void> {
    if (now.getTime() - new Date(session.lastSeenAt).getTime() < 60_000) return;
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: identityKeys.session(session.scope, session.userId, session.id),
          UpdateExpression: 'SET lastSeenAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      )
      .catch(() => undefined); // revoked meanwhile: nothing to record
  }

  async listForUser(scope: SessionScope, userId: string, now: Date): Promise<Session[]> {
    const { pk, skPrefix } = identityKeys.sessionsOf(scope, userId);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      }),
    );
    return Items.map((item) => fromItem(item, scope)).filter((session) => new Date(session.expiresAt) > now);
  }

  async delete(scope: SessionScope, userId: string, sessionId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: identityKeys.session(scope, userId, sessionId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  /** Signs a user out everywhere (after a password reset). */
  async deleteAllForUser(scope: SessionScope, userId: string): Promise<void> {
    const sessions = await this.listForUser(scope, userId, new Date(0));
    for (let start = 0; start < sessions.length; start += 25) {
      await this.client.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.tableName]: sessions.slice(start, start + 25).map((session) => ({
              DeleteRequest: { Key: identityKeys.session(scope, userId, session.id) },
            })),
          },
        }),
      );
    }
  }
}

function toItem(session: Session): Record<string, unknown> {
  const { scope: _scope, expiresAt, ...rest } = session;
  return { ...rest, expiresAt: epochSeconds(new Date(expiresAt)) };
}

function fromItem(item: Record<string, unknown>, scope: SessionScope): Session {
  return {
    id: item.id as string,
    scope,
    userId: item.userId as string,
    createdAt: item.createdAt as string,
    lastSeenAt: item.lastSeenAt as string,
    expiresAt: new Date((item.expiresAt as number) * 1000).toISOString(),
    ...(item.ip ? { ip: item.ip as string } : {}),
    ...(item.userAgent ? { userAgent: item.userAgent as string } : {}),
    ...(item.impersonator ? { impersonator: item.impersonator as Session['impersonator'] } : {}),
  };
}
