import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import { tenantPk } from '../../data/keys.ts';
import type { Customer, CustomerStatus, User } from '../model.ts';
import { EMAIL_GUARD_INDEX, emailTaken, newUserItems } from './dynamodb-user-repository.ts';
import { identityKeys, withoutKeys } from './items.ts';

export class DynamoDbCustomerRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A new buyer account and its first user (the owner), in one transaction: both exist or
   * neither does. An application also gets an item in the merchant's review list.
   */
  async createWithOwner(customer: Customer, owner: User): Promise<void> {
    const items = [
      ...newUserItems(this.tableName, owner),
      {
        Put: {
          TableName: this.tableName,
          Item: { ...identityKeys.customer(customer.tenantId, customer.id), entity: 'customer', ...customer },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (customer.status === 'pending_approval') {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...identityKeys.application(customer.tenantId, customer.id),
            entity: 'application',
            customerId: customer.id,
            submittedAt: customer.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (emailTaken(error, EMAIL_GUARD_INDEX)) {
        throw new ConflictError('email_taken', 'An account with this email already exists in this store');
      }
      throw error;
    }
  }

  async get(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.customer(tenantId, customerId) }),
    );
    return Item ? withoutKeys<Customer>(Item) : undefined;
  }

  /** Decides an application: the status changes only from pending, and the review item goes. */
  async decide(tenantId: string, customerId: string, status: Exclude<CustomerStatus, 'pending_approval'>) {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: identityKeys.customer(tenantId, customerId),
              UpdateExpression: 'SET #status = :status',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': status, ':pending': 'pending_approval' },
            },
          },
          { Delete: { TableName: this.tableName, Key: identityKeys.application(tenantId, customerId) } },
        ],
      }),
    );
  }

  async pendingApplicationIds(tenantId: string): Promise<string[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': 'APPLICATION#' },
      }),
    );
    return Items.map((item) => item.customerId as string);
  }
}
