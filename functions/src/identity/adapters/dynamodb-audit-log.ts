import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#shared/errors.ts';
import type { AuditEntry } from '#shared/identity/api.ts';
import type { SessionScope } from '../model.ts';
import { identityKeys, scopePk } from './items.ts';

/** Append-only audit log per tenant (or platform), newest first by its ULID ids. */
export class DynamoDbAuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(scope: SessionScope, entry: AuditEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...identityKeys.audit(scope, entry.id), entity: 'audit', ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(
    scope: SessionScope,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    let after: string | undefined;
    if (cursor) {
      after = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!/^[a-z]+_[0-9a-z]{26}$/.test(after)) {
        throw new ValidationError('invalid_cursor', 'cursor is not one this list handed out');
      }
    }
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': scopePk(scope), ':prefix': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: identityKeys.audit(scope, after) } : {}),
      }),
    );
    const items = Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...entry }) => entry as AuditEntry);
    const last = items.at(-1);
    return LastEvaluatedKey && last
      ? { items, nextCursor: Buffer.from(last.id).toString('base64url') }
      : { items };
  }
}
