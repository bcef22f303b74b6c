/** The wallet use cases behind the API: look at a wallet and its ledger; staff grant credits. */
import type { BillingSettings } from '#shared/billing/settings.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { parseCredits } from '#shared/credits/credit-units.ts';
import type { GrantRequest, LedgerEntryView, WalletView } from '#shared/credits/wallet.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { creditWallet, debitWallet, type LedgerDeps } from './ledger-service.ts';
import { entryView, newWallet, walletView } from './wallet.ts';

export type WalletQuery = { currency?: CurrencyCode | undefined; customerId?: string | undefined };

export type WalletUseCaseDeps = {
  ledger: LedgerDeps;
  now(tenant: Tenant): Promise<Date>;
  customerExists(tenantId: string, customerId: string): Promise<boolean>;
  /** Resumes what running out of credits suspended, once credits are back. */
  afterTopUp(tenant: Tenant, customerId: string, currency: CurrencyCode, at: string): Promise<void>;
};

/** Whose wallet: a buyer's own; staff name the customer. */
function walletOwner(principal: Principal, query: WalletQuery): string {
  const own = customerOf(principal);
  if (own) return own;
  if (!query.customerId) {
    throw new ValidationError('customer_required', 'Name the customer whose wallet to show', [
      { path: 'query.customerId', message: 'required for staff', code: 'required' },
    ]);
  }
  return query.customerId;
}

function currencyOf(tenant: Tenant, settings: BillingSettings, query: WalletQuery): CurrencyCode {
  const currency = query.currency ?? (tenant.defaultCurrency as CurrencyCode);
  if (!settings.creditPrices[currency]) {
    throw new ValidationError('credits_not_offered', `This store has no credits in ${currency}`, [
      { path: 'query.currency', message: `no credits in ${currency}`, code: 'credits_not_offered' },
    ]);
  }
  return currency;
}

export async function getWallet(
  deps: WalletUseCaseDeps,
  tenant: Tenant,
  principal: Principal,
  query: WalletQuery,
): Promise<WalletView> {
  const customerId = walletOwner(principal, query);
  const settings = await deps.ledger.billingSettings(tenant.id);
  const currency = currencyOf(tenant, settings, query);
  const wallet = await deps.ledger.wallets.get({ tenantId: tenant.id, customerId, currency });
  if (!wallet && principal.kind === 'staff' && !(await deps.customerExists(tenant.id, customerId))) {
    throw new NotFoundError('customer_not_found', `There is no customer ${customerId}`);
  }
  return walletView(
    wallet ?? newWallet(customerId, currency, (await deps.now(tenant)).toISOString()),
    settings,
  );
}

export async function listWalletEntries(
  deps: WalletUseCaseDeps,
  tenant: Tenant,
  principal: Principal,
  query: WalletQuery & { limit: number; cursor?: string | undefined },
): Promise<{ items: LedgerEntryView[]; nextCursor?: string }> {
  const customerId = walletOwner(principal, query);
  const settings = await deps.ledger.billingSettings(tenant.id);
  const currency = currencyOf(tenant, settings, query);
  const page = await deps.ledger.wallets.entries({ tenantId: tenant.id, customerId, currency }, query);
  return { ...page, items: page.items.map(entryView) };
}

/** A grant (or a positive adjustment) adds a lot; a negative adjustment takes what is there. */
export async function grantCredits(
  deps: WalletUseCaseDeps,
  tenant: Tenant,
  principal: Principal,
  customerId: string,
  request: GrantRequest,
  idempotencyKey: string | undefined,
): Promise<LedgerEntryView> {
  if (principal.kind !== 'staff')
    throw new ForbiddenError('not_allowed', 'Only merchant staff grant credits');
  if (!(await deps.customerExists(tenant.id, customerId))) {
    throw new NotFoundError('customer_not_found', `There is no customer ${customerId}`);
  }
  const settings = await deps.ledger.billingSettings(tenant.id);
  currencyOf(tenant, settings, { currency: request.currency });
  const units = parseCredits(request.amount);
  if (units === 0 || (units < 0 && request.type === 'grant')) {
    throw new ValidationError('invalid_amount', 'A grant adds credits; only an adjustment may be negative', [
      { path: 'body.amount', message: 'must be more than zero', code: 'invalid_amount' },
    ]);
  }
  const at = (await deps.now(tenant)).toISOString();
  if (request.expiresAt && request.expiresAt <= at) {
    throw new ValidationError('expired', 'The credits would expire before they arrive', [
      { path: 'body.expiresAt', message: `must be after ${at}`, code: 'in_the_past' },
    ]);
  }
  const ref = { tenantId: tenant.id, customerId, currency: request.currency };
  const key = `grant#${idempotencyKey ?? `${principal.userId}#${at}`}`;
  const actor = { kind: 'merchant', id: principal.userId } as const;
  const result =
    units > 0
      ? await creditWallet(deps.ledger, ref, {
          type: request.type,
          amount: units,
          reason: request.reason,
          actor,
          idempotencyKey: key,
          at,
          ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
        })
      : await debitWallet(
          deps.ledger,
          ref,
          { type: 'adjustment', amount: -units, reason: request.reason, actor, idempotencyKey: key, at },
          { create: true },
        );
  const entry =
    result.kind === 'written'
      ? result.entries.find((candidate) => candidate.idempotencyKey === key)
      : await deps.ledger.wallets.entryByKey(ref, key);
  if (!entry) throw new ConflictError('grant_not_posted', 'The grant could not be posted; try again');
  if (units > 0) await deps.afterTopUp(tenant, customerId, request.currency, at);
  return entryView(entry);
}
