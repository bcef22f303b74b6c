/** Reads the adapters share. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { tenantPk } from './keys.ts';

/**
 * One item of a tenant's partition, read consistently: what was just written (by this request or
 * a racing one) is there, as the conditional writes that follow a read expect.
 *
 * @example const item = await getTenantItem(client, table, 'ten_1', 'ORDER#ord_…');
 */
export async function getTenantItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
  sk: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: tenantPk(tenantId), sk }, ConsistentRead: true }),
  );
  return Item;
}
