import { type BillingSettings, fetchBillingSettings } from '#lib/api/billing.ts';
import { type CreditPack, fetchCreditPacks, saveCreditPack } from '#lib/api/credits.ts';
import {
  checkPack,
  emptyPackForm,
  type PackForm,
  packCurrencies,
  packFieldLabel,
  packFormOf,
} from '#lib/billing/packs.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import type { SummaryItem } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

/** Packs on sale first, by position, then the rest by position: the order buyers see, then the shelf. */
export function sortPacks(packs: readonly CreditPack[]): CreditPack[] {
  return [...packs].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.position - b.position || a.id.localeCompare(b.id),
  );
}

/**
 * The Credit packs page: every pack, on sale or not (finance:read), and a form to create or change
 * one (finance:manage). Problems found here or by the API are shown beside their fields.
 */
export class CreditPacksPage {
  readonly frame: ConsoleFrame;
  readonly language: string;
  readonly packs: Resource<CreditPack[]>;
  readonly settings: Resource<BillingSettings>;
  readonly issues = new IssueForm('pack');
  /** The pack being changed; undefined with a form open: a new pack. */
  editing: CreditPack | undefined = $state();
  form: PackForm | undefined = $state();
  announcement = $state('');

  constructor(frame: ConsoleFrame, language: string) {
    this.frame = frame;
    this.language = language;
    const options = { fetch: frame.fetch };
    this.packs = new Resource((signal) =>
      frame.guard(fetchCreditPacks(frame.store, { includeInactive: true }, { ...options, signal })),
    );
    this.settings = new Resource((signal) =>
      frame.guard(fetchBillingSettings(frame.store, { ...options, signal })),
    );
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('finance:manage'));
  readonly sorted: CreditPack[] = $derived.by(() => sortPacks(this.packs.data ?? []));
  /** The currencies the store sells credits in (billing settings). */
  readonly storeCurrencies: string[] = $derived.by(() => Object.keys(this.settings.data?.creditPrices ?? {}));
  /** The form's fields in their order, for the alert and the API's issues. */
  readonly keys: string[] = $derived.by(() => [
    ...(this.editing ? [] : ['id']),
    'name',
    'description',
    'credits',
    'bonusCredits',
    'prices',
    ...Object.keys(this.form?.prices ?? {}).map((currency) => `prices.${currency}`),
    'active',
    'position',
    'cashback.percent',
    'cashback.expiresAfterDays',
  ]);

  summary(): SummaryItem[] {
    return this.issues.summary(this.keys, packFieldLabel);
  }

  async load(): Promise<void> {
    await Promise.all([this.packs.refresh(), this.settings.refresh()]);
  }

  dispose(): void {
    this.packs.dispose();
    this.settings.dispose();
  }

  startNew(): void {
    const last = this.sorted.reduce((max, pack) => Math.max(max, pack.position), 0);
    this.editing = undefined;
    this.issues.clear();
    this.form = emptyPackForm(packCurrencies(this.storeCurrencies), last + 10);
  }

  edit(pack: CreditPack): void {
    this.editing = pack;
    this.issues.clear();
    this.form = packFormOf(pack, packCurrencies(this.storeCurrencies, pack), this.language);
  }

  close(): void {
    this.form = undefined;
    this.editing = undefined;
    this.issues.clear();
  }

  async save(): Promise<boolean> {
    const form = this.form;
    if (!form || this.issues.submitting) return false;
    const checked = checkPack(form, this.language, this.editing);
    if (checked.errors) {
      this.issues.reject(checked.errors);
      return false;
    }
    // PUT replaces: a new pack must not take the id of one that exists.
    if (!this.editing && this.packs.data?.some((pack) => pack.id === checked.id)) {
      this.issues.reject(
        new Map([['id', `A pack “${checked.id}” exists already: choose another id, or edit that pack.`]]),
      );
      return false;
    }
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const result = await this.frame.guard(
        saveCreditPack(this.frame.store, checked.id, checked.body, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.issues.fail(result.problem, new Set(this.keys));
        return false;
      }
      const saved = result.data;
      const others = (this.packs.data ?? []).filter((pack) => pack.id !== saved.id);
      this.packs.data = [...others, saved];
      this.announcement = `${this.editing ? 'Saved' : 'Created'} the pack “${saved.id}”.`;
      this.close();
      return true;
    } finally {
      this.issues.submitting = false;
    }
  }
}
