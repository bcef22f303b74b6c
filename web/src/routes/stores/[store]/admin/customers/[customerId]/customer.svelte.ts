import { grantCredits } from '#lib/api/credits.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { fetchInvoices, type InvoiceView } from '#lib/api/invoices.ts';
import { fetchOrders, type OrderView } from '#lib/api/orders.ts';
import { type CustomerBillingProfile, fetchBillingProfile, saveBillingProfile } from '#lib/api/payments.ts';
import { fetchServices, type SubscriptionView } from '#lib/api/services.ts';
import { creditsPhrase } from '#lib/billing/view.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { WalletState } from '../../../wallet/wallet.svelte.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

export type GrantField = 'amount' | 'type' | 'reason';
const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Why a typed grant cannot be sent, field by field. */
export function checkGrant(input: { amount: string; type: 'grant' | 'adjustment'; reason: string }) {
  const amount = input.amount.trim();
  const reason = input.reason.trim();
  return {
    amount:
      amount === ''
        ? 'Enter how many credits.'
        : !AMOUNT.test(amount)
          ? 'Enter credits like 25 or 12.50 (at most two decimals).'
          : /^-?0+(\.0+)?$/.test(amount)
            ? 'Enter more than zero.'
            : amount.startsWith('-') && input.type === 'grant'
              ? 'A grant adds credits; choose “Adjustment” to take some away.'
              : undefined,
    reason: reason.length < 3 ? 'Say why (at least 3 characters): the customer sees it.' : undefined,
  };
}

export type ProfileField = 'invoiceAllowed' | 'paymentTermsDays';

/** Payment terms as typed: whole days from 0 to 120. */
export function checkTerms(text: string): string | undefined {
  const value = text.trim();
  if (!/^\d{1,3}$/.test(value) || Number(value) > 120) return 'Enter whole days from 0 to 120.';
  return undefined;
}

/**
 * One customer in the console: their wallet and ledger (finance:read), granting or adjusting
 * credits (finance:manage), their services and orders (orders:read), their billing profile (pay
 * on account, payment terms: finance:read or customers:read to see, finance:manage to change) and
 * their invoices (finance:read).
 */
export class CustomerPage {
  readonly frame: ConsoleFrame;
  readonly customerId: string;
  readonly wallet: WalletState;
  readonly services: CursorList<SubscriptionView>;
  readonly orders: CursorList<OrderView>;
  readonly invoices: CursorList<InvoiceView>;
  readonly profile: Resource<CustomerBillingProfile>;
  invoiceAllowed = $state(false);
  paymentTerms = $state('14');
  readonly profileForm = new FormState<ProfileField>('profile', {
    invoiceAllowed: 'Pay on account',
    paymentTermsDays: 'Payment terms',
  });
  profileSaved = $state(false);

  amount = $state('');
  type: 'grant' | 'adjustment' = $state('grant');
  reason = $state('');
  readonly grantForm = new FormState<GrantField>('grant', {
    amount: 'Credits',
    type: 'Type',
    reason: 'Reason',
  });
  announcement = $state('');
  /** One key per grant: kept only while an answer is lost, so a retry cannot grant twice. */
  #grantKey: string | undefined;

  constructor(frame: ConsoleFrame, customerId: string) {
    this.frame = frame;
    this.customerId = customerId;
    const options = { fetch: frame.fetch };
    this.wallet = new WalletState(frame.store, { customerId }, (pending) => frame.guard(pending), options);
    this.services = new CursorList((cursor, signal) =>
      frame.guard(fetchServices(frame.store, { customerId, cursor, limit: 10 }, { ...options, signal })),
    );
    this.orders = new CursorList((cursor, signal) =>
      frame.guard(fetchOrders(frame.store, { customerId, cursor, limit: 10 }, { ...options, signal })),
    );
    this.invoices = new CursorList((cursor, signal) =>
      frame.guard(fetchInvoices(frame.store, { customerId, cursor, limit: 10 }, { ...options, signal })),
    );
    this.profile = new Resource((signal) =>
      frame.guard(fetchBillingProfile(frame.store, customerId, { ...options, signal })),
    );
  }

  readonly seesFinance: boolean = $derived.by(() => this.frame.can('finance:read'));
  readonly canGrant: boolean = $derived.by(() => this.frame.can('finance:manage'));
  readonly seesOrders: boolean = $derived.by(() => this.frame.can('orders:read'));
  readonly seesProfile: boolean = $derived.by(
    () => this.frame.can('finance:read') || this.frame.can('customers:read'),
  );
  readonly canChangeProfile: boolean = $derived.by(() => this.frame.can('finance:manage'));

  async load(): Promise<void> {
    await Promise.all([
      this.seesFinance ? this.wallet.reload() : undefined,
      this.seesOrders ? this.services.reload() : undefined,
      this.seesOrders ? this.orders.reload() : undefined,
      this.seesFinance ? this.invoices.reload() : undefined,
      this.seesProfile ? this.#loadProfile() : undefined,
    ]);
  }

  async #loadProfile(): Promise<void> {
    await this.profile.refresh();
    if (this.profile.data) this.#showProfile(this.profile.data);
  }

  #showProfile(profile: CustomerBillingProfile): void {
    this.invoiceAllowed = profile.invoiceAllowed;
    this.paymentTerms = String(profile.paymentTermsDays);
  }

  /** Allows or stops paying on account, with the terms invoices are due in. */
  async saveProfile(): Promise<boolean> {
    this.profileSaved = false;
    const terms = this.paymentTerms.trim();
    const result = await this.profileForm.submit({ paymentTermsDays: checkTerms(terms) }, () =>
      this.frame.guard(
        saveBillingProfile(
          this.frame.store,
          this.customerId,
          { invoiceAllowed: this.invoiceAllowed, paymentTermsDays: Number(terms) },
          { fetch: this.frame.fetch },
        ),
      ),
    );
    if (!result?.ok) return false;
    this.profile.data = result.data;
    this.#showProfile(result.data);
    this.profileSaved = true;
    this.announcement = result.data.invoiceAllowed
      ? `Billing profile saved: pays on account, invoices due in ${result.data.paymentTermsDays} days.`
      : 'Billing profile saved: does not pay on account.';
    return true;
  }

  dispose(): void {
    this.wallet.dispose();
    this.services.dispose();
    this.orders.dispose();
    this.invoices.dispose();
    this.profile.dispose();
  }

  /** Grants in the wallet's currency (the store's default before the customer has a wallet). */
  async grant(defaultCurrency: string): Promise<boolean> {
    const amount = this.amount.trim();
    const currency = (this.wallet.wallet.data?.currency ?? defaultCurrency) as CurrencyCode;
    this.#grantKey ??= newIdempotencyKey();
    const key = this.#grantKey;
    const result = await this.grantForm.submit(
      checkGrant({ amount, type: this.type, reason: this.reason }),
      () =>
        this.frame.guard(
          grantCredits(
            this.frame.store,
            this.customerId,
            { currency, amount, type: this.type, reason: this.reason.trim() },
            { idempotencyKey: key, fetch: this.frame.fetch },
          ),
        ),
    );
    if (result === undefined) return false; // a check failed: nothing was sent, the key stays unused
    if (result.ok || result.problem.kind !== 'unreachable') this.#grantKey = undefined;
    if (!result.ok) return false;
    this.announcement = `${result.data.type === 'grant' ? 'Granted' : 'Adjusted by'} ${creditsPhrase(result.data.amount.replace('-', ''))}. Balance: ${creditsPhrase(result.data.balanceAfter)}.`;
    this.amount = '';
    this.reason = '';
    await this.wallet.reload();
    return true;
  }
}
