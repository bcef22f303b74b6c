import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbClient, uniqueName } from '../../test/support/services.ts';
import { nimbus } from '../topology/nimbus.ts';
import type { Topology } from '../topology/types.ts';
import { ensureTable, LOCAL_CREDENTIALS, startDynamoDbLocal } from './backing-services.ts';
import { LOCAL_REGION } from './event-bus.ts';

let client: DynamoDBClient;
const created: string[] = [];

beforeAll(() => {
  client = dynamoDbClient();
});

afterAll(async () => {
  await Promise.all(created.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  client.destroy();
});

const newTableName = () => {
  const name = uniqueName('ensure-table');
  created.push(name);
  return name;
};

const withIndexes = (indexes: Topology['table']['indexes']): Topology => ({
  ...nimbus,
  table: { ...nimbus.table, indexes },
});

const describe_ = async (TableName: string) =>
  (await client.send(new DescribeTableCommand({ TableName }))).Table;

/** The table's indexes as the topology would write them, with their projection and status. */
async function indexesOf(tableName: string) {
  const table = await describe_(tableName);
  return (table?.GlobalSecondaryIndexes ?? [])
    .map((gsi) => ({
      name: gsi.IndexName,
      keys: gsi.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`),
      projection: gsi.Projection?.ProjectionType,
      status: gsi.IndexStatus,
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

const expected = (indexes: Topology['table']['indexes']) =>
  indexes
    .map((index) => ({
      name: index.name,
      keys: [`${index.partitionKey}:HASH`, `${index.sortKey}:RANGE`],
      projection: 'ALL',
      status: 'ACTIVE',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

describe('ensureTable', () => {
  it("creates the topology's global secondary indexes with the table", async () => {
    expect(nimbus.table.indexes.length).toBeGreaterThan(0);
    const tableName = newTableName();
    await ensureTable(client, nimbus, tableName);

    expect(await indexesOf(tableName)).toEqual(expected(nimbus.table.indexes));
    const table = await describe_(tableName);
    const keyNames = ['pk', 'sk', ...nimbus.table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(table?.AttributeDefinitions?.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort()).toEqual(
      [...new Set(keyNames)].map((name) => `${name}:S`).sort(),
    );
  });

  it('adds the indexes a table from an earlier version lacks', async () => {
    // Its own DynamoDB Local: the suite's, busy with a month of billing, can take minutes to
    // build an index (it did in CI), which says nothing about this code.
    const own = await startDynamoDbLocal();
    const ownClient = new DynamoDBClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: own.endpoint,
    });
    try {
      const indexesIn = async (tableName: string) =>
        (
          (await ownClient.send(new DescribeTableCommand({ TableName: tableName }))).Table
            ?.GlobalSecondaryIndexes ?? []
        )
          .map((gsi) => `${gsi.IndexName}:${gsi.IndexStatus}`)
          .sort();
      const wanted = nimbus.table.indexes.map((index) => `${index.name}:ACTIVE`).sort();
      const tableName = uniqueName('upgrade');
      await ensureTable(ownClient, withIndexes([]), tableName);
      expect(await indexesIn(tableName)).toEqual([]);
      await ensureTable(ownClient, nimbus, tableName);
      expect(await indexesIn(tableName)).toEqual(wanted);
      // Once there, a second start changes nothing.
      await ensureTable(ownClient, nimbus, tableName);
      expect(await indexesIn(tableName)).toEqual(wanted);
    } finally {
      ownClient.destroy();
      await own.stop();
    }
  }, 60_000);

  it('refuses an existing index whose keys differ from the topology', async () => {
    const tableName = newTableName();
    await ensureTable(
      client,
      withIndexes([{ name: 'byStatus', partitionKey: 'a', sortKey: 'b' }]),
      tableName,
    );
    await expect(
      ensureTable(client, withIndexes([{ name: 'byStatus', partitionKey: 'a', sortKey: 'c' }]), tableName),
    ).rejects.toThrow(/index byStatus on \(a, b\), the topology wants \(a, c\)/);
  });
});
