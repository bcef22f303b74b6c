import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../../../test/support/services.ts';
import { DynamoDbHeartbeatRepository } from './dynamodb-heartbeat-repository.ts';

let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable();
});
afterAll(() => table.drop());

describe('DynamoDbHeartbeatRepository', () => {
  it('keeps the newest heartbeat whatever order they arrive in, duplicates included', async () => {
    const heartbeats = new DynamoDbHeartbeatRepository(table.documentClient, table.tableName);
    expect(await heartbeats.lastHeartbeatAt()).toBeUndefined();
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));
    expect(await heartbeats.record({ eventId: 'e2', at: at(2) })).toBe('recorded');
    expect(await heartbeats.record({ eventId: 'e1', at: at(1) })).toBe('ignored');
    expect(await heartbeats.record({ eventId: 'e2', at: at(2) })).toBe('ignored');
    expect(await heartbeats.lastHeartbeatAt()).toEqual(at(2));
    expect(await heartbeats.record({ eventId: 'e3', at: at(3) })).toBe('recorded');
    expect(await heartbeats.lastHeartbeatAt()).toEqual(at(3));
  });
});
