import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#shared/errors.ts';
import { customerPk, tenantPk } from './keys.ts';

/**
 * One page of a Query in the tenant's partition (or one of its index partitions). The cursor
 * carries only the last item's sort key: the rest of the start key is rebuilt from the query, so
 * a cursor can never lead into another partition.
 *
 * @param startKeyOf builds the full ExclusiveStartKey from a sort key
 */
export async function queryPage<T>(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput & { Limit: number },
  cursor: string | undefined,
  startKeyOf: (sk: string) => Record<string, unknown>,
  map: (item: Record<string, unknown>) => T,
  skPrefix: string,
): Promise<{ items: T[]; nextCursor?: string }> {
  let startKey: Record<string, unknown> | undefined;
  if (cursor !== undefined) {
    const sk = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!sk.startsWith(skPrefix)) {
      throw new ValidationError('invalid_cursor', 'The cursor is not one this list returned', [
        { path: 'query.cursor', message: 'not a cursor of this list', code: 'invalid_cursor' },
      ]);
    }
    startKey = startKeyOf(sk);
  }
  const page = await client.send(
    new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
  );
  const items = (page.Items ?? []).map(map);
  const lastSk = page.LastEvaluatedKey?.sk;
  return typeof lastSk === 'string' && items.length > 0
    ? { items, nextCursor: Buffer.from(lastSk).toString('base64url') }
    : { items };
}

/**
 * Newest first: one kind of the tenant's items (by sort-key prefix), or one customer's through
 * the `customerItems` index, each stored as a document under `document`; optionally only those
 * whose document has `where.field` = `where.value`.
 *
 * @example listDocuments(client, table, { tenantId, customerId, prefix: 'ORDER#', document: 'order' }, page)
 */
export function listDocuments<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: {
    tenantId: string;
    customerId?: string | undefined;
    prefix: string;
    document: string;
    where?: { field: string; value: string } | undefined;
  },
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: T[]; nextCursor?: string }> {
  const pk = tenantPk(query.tenantId);
  const { customerId, where } = query;
  const partition = customerId === undefined ? pk : customerPk(query.tenantId, customerId);
  return queryPage(
    client,
    {
      TableName: tableName,
      ...(customerId === undefined ? {} : { IndexName: 'customerItems' }),
      KeyConditionExpression: `${customerId === undefined ? 'pk' : 'customerPk'} = :pk AND begins_with(sk, :prefix)`,
      ...(where
        ? {
            FilterExpression: '#document.#field = :value',
            ExpressionAttributeNames: { '#document': query.document, '#field': where.field },
          }
        : {}),
      ExpressionAttributeValues: {
        ':pk': partition,
        ':prefix': query.prefix,
        ...(where ? { ':value': where.value } : {}),
      },
      ScanIndexForward: false,
      Limit: page.limit,
    },
    page.cursor,
    (sk) => (customerId === undefined ? { pk, sk } : { pk, sk, customerPk: partition }),
    (item) => item[query.document] as T,
    query.prefix,
  );
}
