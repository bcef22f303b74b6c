/**
 * Credit packs: the merchant defines them, buyers (and visitors, like the catalog) list the active
 * ones. Buying one (`buyCreditPack`) prices it with `priceCreditPack` (shared/src/credits/packs.ts).
 */
import type { BillingSettings } from '#shared/billing/settings.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { parseCredits } from '#shared/credits/credit-units.ts';
import { type CreditPack, type CreditPackInput, packPriceIssues } from '#shared/credits/packs.ts';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { CreditPackStore } from './credit-pack-store.ts';

export type CreditPackDeps = {
  packs: CreditPackStore;
  billingSettings(tenantId: string): Promise<BillingSettings>;
  clock: Clock;
};

/** More would not fit a pricing page; a store that needs more wants something else. */
export const MAX_CREDIT_PACKS = 50;

const byPosition = (a: CreditPack, b: CreditPack) => a.position - b.position || a.id.localeCompare(b.id);

const seesInactive = (principal: Principal) =>
  principal.kind === 'staff' &&
  (principal.permissions.includes('finance:read') || principal.permissions.includes('finance:manage'));

export async function listCreditPacks(
  deps: CreditPackDeps,
  tenant: Tenant,
  principal: Principal,
  query: { currency?: CurrencyCode | undefined; includeInactive?: 'true' | 'false' | undefined },
) {
  const all = await deps.packs.all(tenant.id);
  const includeInactive = query.includeInactive === 'true';
  if (includeInactive && !seesInactive(principal)) {
    throw new ForbiddenError('permission_required', 'Inactive packs are for staff with finance:read', {
      required: ['finance:read'],
    });
  }
  const items = all
    .filter((pack) => includeInactive || pack.active)
    .filter((pack) => !query.currency || pack.prices[query.currency] !== undefined)
    .sort(byPosition);
  return { items, pricesIncludeVat: false as const };
}

export async function upsertCreditPack(
  deps: CreditPackDeps,
  tenant: Tenant,
  principal: Principal,
  packId: string,
  input: CreditPackInput,
): Promise<CreditPack> {
  if (principal.kind !== 'staff')
    throw new ForbiddenError('not_allowed', 'Only merchant staff define credit packs');
  const settings = await deps.billingSettings(tenant.id);
  const issues = packPriceIssues(input.prices);
  for (const currency of Object.keys(input.prices)) {
    if (!settings.creditPrices[currency as CurrencyCode]) {
      issues.push({
        path: `body.prices.${currency}`,
        message: `this store sells no credits in ${currency} (billing settings)`,
        code: 'credits_not_offered',
      });
    }
  }
  if (Object.keys(input.prices).length === 0) {
    issues.push({
      path: 'body.prices',
      message: 'price the pack in at least one currency',
      code: 'required',
    });
  }
  if (parseCredits(input.credits) === 0) {
    issues.push({
      path: 'body.credits',
      message: 'a pack holds more than zero credits',
      code: 'not_positive',
    });
  }
  if (issues.length > 0) {
    throw new ValidationError('invalid_credit_pack', 'The credit pack has problems', issues);
  }
  const { expectedRevision, ...fields } = input;
  const current = await deps.packs.get(tenant.id, packId);
  if (expectedRevision !== undefined && expectedRevision !== (current?.revision ?? 0)) {
    throw new ConflictError(
      'revision_conflict',
      `The pack is at revision ${current?.revision ?? 'none'}, not ${expectedRevision}`,
      {
        revision: current?.revision,
      },
    );
  }
  if (!current && (await deps.packs.all(tenant.id)).length >= MAX_CREDIT_PACKS) {
    throw new ConflictError(
      'too_many_packs',
      `A store has at most ${MAX_CREDIT_PACKS} credit packs; deactivate or reuse one`,
    );
  }
  const now = deps.clock.now().toISOString();
  const pack: CreditPack = {
    ...fields,
    id: packId,
    revision: (current?.revision ?? 0) + 1,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
  };
  if (!(await deps.packs.put(tenant.id, pack, current?.revision ?? 0))) {
    throw new ConflictError('revision_conflict', 'The pack changed meanwhile; load it and try again');
  }
  return pack;
}
