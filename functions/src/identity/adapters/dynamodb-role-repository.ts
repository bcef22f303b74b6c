import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { DEFAULT_STAFF_ROLES } from '#shared/identity/permissions.ts';
import { tenantPk } from '../../data/keys.ts';
import { identityKeys } from './items.ts';

/** Staff roles per tenant: a name and a set of permission strings. */
export class DynamoDbRoleRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createDefaults(tenantId: string): Promise<void> {
    await this.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [this.tableName]: Object.entries(DEFAULT_STAFF_ROLES).map(([name, permissions]) => ({
            PutRequest: { Item: { ...identityKeys.role(tenantId, name), entity: 'role', name, permissions } },
          })),
        },
      }),
    );
  }

  async put(tenantId: string, name: string, permissions: string[]): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...identityKeys.role(tenantId, name), entity: 'role', name, permissions },
      }),
    );
  }

  async all(tenantId: string): Promise<Map<string, string[]>> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': 'ROLE#' },
      }),
    );
    return new Map(Items.map((item) => [item.name as string, item.permissions as string[]]));
  }

  /** The union of the roles' permissions; unknown roles grant nothing. */
  async permissionsOf(tenantId: string, roles: string[]): Promise<string[]> {
    if (roles.length === 0) return [];
    const all = await this.all(tenantId);
    return [...new Set(roles.flatMap((role) => all.get(role) ?? []))].sort();
  }
}
