import type { CreditPack } from '#shared/credits/packs.ts';

/** A store's credit packs (adapters/dynamodb-credit-pack-store.ts). A store has a handful. */
export interface CreditPackStore {
  all(tenantId: string): Promise<CreditPack[]>;
  get(tenantId: string, packId: string): Promise<CreditPack | undefined>;
  /** Writes the pack if its revision is still `expectedRevision` (0: it must not exist); false otherwise. */
  put(tenantId: string, pack: CreditPack, expectedRevision: number): Promise<boolean>;
}
