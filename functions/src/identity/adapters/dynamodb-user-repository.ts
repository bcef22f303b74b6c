import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import { tenantPk } from '../../data/keys.ts';
import type { User } from '../model.ts';
import { identityKeys, withoutKeys } from './items.ts';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * The puts that create a user: the user, the email guard (one account per email per store) and
 * the membership item that lists the user under the staff or under their customer account.
 */
export function newUserItems(tableName: string, user: User): TransactItem[] {
  const membership =
    user.kind === 'staff'
      ? identityKeys.staffMember(user.tenantId, user.id)
      : identityKeys.customerMember(user.tenantId, user.customerId as string, user.id);
  const put = (Item: Record<string, unknown>): TransactItem => ({
    Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  return [
    put({ ...identityKeys.user(user.tenantId, user.id), entity: 'user', ...user }),
    put({ ...identityKeys.email(user.tenantId, user.email), entity: 'userEmail', userId: user.id }),
    put({ ...membership, entity: 'membership', userId: user.id }),
  ];
}

/** Index, in newUserItems, of the email guard: its failed condition means the email is taken. */
export const EMAIL_GUARD_INDEX = 1;

export function emailTaken(error: unknown, guardIndex: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[guardIndex]?.Code === 'ConditionalCheckFailed'
  );
}

export class DynamoDbUserRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(user: User): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: newUserItems(this.tableName, user) }));
    } catch (error) {
      if (emailTaken(error, EMAIL_GUARD_INDEX)) {
        throw new ConflictError('email_taken', 'An account with this email already exists in this store');
      }
      throw error;
    }
  }

  async get(tenantId: string, userId: string): Promise<User | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.user(tenantId, userId) }),
    );
    return Item ? withoutKeys<User>(Item) : undefined;
  }

  async findByEmail(tenantId: string, email: string): Promise<User | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.email(tenantId, email) }),
    );
    return typeof Item?.userId === 'string' ? this.get(tenantId, Item.userId) : undefined;
  }

  async setPassword(tenantId: string, userId: string, passwordHash: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: identityKeys.user(tenantId, userId),
        UpdateExpression: 'SET passwordHash = :hash',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':hash': passwordHash },
      }),
    );
  }

  async markEmailVerified(tenantId: string, userId: string, at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: identityKeys.user(tenantId, userId),
        UpdateExpression: 'SET emailVerifiedAt = if_not_exists(emailVerifiedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  /** The tenant's staff: one Query over the staff membership items, then their users. */
  async staffMembers(tenantId: string): Promise<User[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': 'STAFF#' },
      }),
    );
    const users = await Promise.all(Items.map((item) => this.get(tenantId, item.userId as string)));
    return users.filter((user): user is User => user !== undefined);
  }

  async setRoles(tenantId: string, userId: string, roles: string[]): Promise<void> {
    await this.setField(tenantId, userId, 'roles', roles);
  }

  async setPermissions(tenantId: string, userId: string, permissions: string[]): Promise<void> {
    await this.setField(tenantId, userId, 'permissions', permissions);
  }

  private async setField(tenantId: string, userId: string, field: 'roles' | 'permissions', value: string[]) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: identityKeys.user(tenantId, userId),
        UpdateExpression: 'SET #field = :value',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#field': field },
        ExpressionAttributeValues: { ':value': value },
      }),
    );
  }

  /** An invited user chose their name and password; the invitation proved the email. */
  async completeInvitation(tenantId: string, userId: string, name: string, passwordHash: string, at: Date) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: identityKeys.user(tenantId, userId),
        UpdateExpression:
          'SET #name = :name, passwordHash = :hash, emailVerifiedAt = if_not_exists(emailVerifiedAt, :at)',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(passwordHash)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': name, ':hash': passwordHash, ':at': at.toISOString() },
      }),
    );
  }

  /** User ids of a customer account's members (one Query on the customer's prefix). */
  async customerMemberIds(tenantId: string, customerId: string): Promise<string[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': `CUSTOMER#${customerId}#USER#` },
      }),
    );
    return Items.map((item) => item.userId as string);
  }
}
