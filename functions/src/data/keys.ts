/*
 * Partition keys of the single table. Every tenant-owned item lives under its tenant's partition
 * key (`T#<tenantId>`); the few items that exist before a tenant is known (routing by slug) or
 * belong to the platform itself have their own prefixes. docs/data-model.md lists every pattern.
 */

/** Partition of everything one tenant owns. */
export const tenantPk = (tenantId: string): string => `T#${tenantId}`;

/** Partition of platform-wide items (heartbeat, operator records). */
export const PLATFORM_PK = 'PLATFORM';

/** TTL attribute: epoch seconds, as DynamoDB TTL expects. */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Partition of a customer's items in the `customerItems` index (orders, services, wallets). */
export const customerPk = (tenantId: string, customerId: string): string => `T#${tenantId}#C#${customerId}`;

/** Shards of a tenant's `dueWork` index partition: spreads the index writes of the hourly postings. */
export const DUE_SHARDS = 4;

/** The `dueWork` partition of an item: the tenant, and a shard picked from the item's sort key. */
export function duePk(tenantId: string, sk: string): string {
  let hash = 0;
  for (let index = 0; index < sk.length; index++) hash = (hash * 31 + sk.charCodeAt(index)) >>> 0;
  return `T#${tenantId}#DUE#${hash % DUE_SHARDS}`;
}

export const dueShardPks = (tenantId: string): string[] =>
  Array.from({ length: DUE_SHARDS }, (_, shard) => `T#${tenantId}#DUE#${shard}`);

/**
 * Partition of one service's usage (all its metrics): its own partition (not the tenant's), so
 * usage writes spread over as many partitions as there are services and never crowd the tenant's
 * items.
 */
export const usagePk = (tenantId: string, subscriptionId: string): string =>
  `T#${tenantId}#USAGE#${subscriptionId}`;
