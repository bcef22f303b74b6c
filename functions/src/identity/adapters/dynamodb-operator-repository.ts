import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import type { Operator } from '../model.ts';
import { identityKeys, withoutKeys } from './items.ts';

/** Platform operators, in the platform partition. */
export class DynamoDbOperatorRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(operator: Operator): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...identityKeys.operator(operator.id), entity: 'operator', ...operator },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...identityKeys.operatorEmail(operator.email),
                  entity: 'operatorEmail',
                  operatorId: operator.id,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('email_taken', `An operator with the email ${operator.email} exists already`);
      }
      throw error;
    }
  }

  async get(operatorId: string): Promise<Operator | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.operator(operatorId) }),
    );
    return Item ? withoutKeys<Operator>(Item) : undefined;
  }

  async findByEmail(email: string): Promise<Operator | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: identityKeys.operatorEmail(email) }),
    );
    return typeof Item?.operatorId === 'string' ? this.get(Item.operatorId) : undefined;
  }
}
