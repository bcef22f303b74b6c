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
