import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { BillingStore, StoredTestClock } from './billing-store.ts';

/** Sandbox stores have a test clock: the demo store, and every store on the local runtime. */
export const isSandbox = (tenant: Pick<Tenant, 'sandbox'>): boolean =>
  tenant.sandbox === true || process.env.NIMBUS_SANDBOX_STORES === 'all';

/** The store's time given its test clock: real time plus how far it was moved, or the advance's position. */
export function timeOn(clock: StoredTestClock | undefined, realNow: Date): Date {
  if (!clock) return realNow;
  if (clock.status === 'advancing' && clock.position) return new Date(clock.position);
  return new Date(realNow.getTime() + clock.aheadMs);
}

/** What time it is in a store. Everything billing does asks this, never the system clock. */
export type TenantClock = { now(tenant: Pick<Tenant, 'id' | 'sandbox'>): Promise<Date> };

export function tenantClock(store: Pick<BillingStore, 'clock'>, system: Clock): TenantClock {
  return {
    async now(tenant) {
      if (!isSandbox(tenant)) return system.now();
      return timeOn(await store.clock(tenant.id), system.now());
    },
  };
}
