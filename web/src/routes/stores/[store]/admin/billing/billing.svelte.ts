import {
  advanceTestClock,
  type BillingSettings,
  fetchBillingSettings,
  fetchTestClock,
  saveBillingSettings,
  type TestClockView,
} from '#lib/api/billing.ts';
import {
  checkSettings,
  formOf,
  SETTINGS_LABELS,
  type SettingsField,
  type SettingsForm,
} from '#lib/billing/settings-form.ts';
import { checkDuration, formatAhead } from '#lib/billing/view.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

/** How often an advancing clock is asked again. */
export const POLL_MS = 1000;

/**
 * The Billing page: the store's billing settings (finance:read to see, finance:manage to change)
 * and, for a sandbox store, its test clock (store:manage moves it forward; the page polls until
 * the schedules in between have run).
 */
export class BillingPage {
  readonly frame: ConsoleFrame;
  readonly settings: Resource<BillingSettings>;
  readonly clock: Resource<TestClockView>;
  form: SettingsForm | undefined = $state();
  readonly settingsForm = new FormState<SettingsField>('billing', SETTINGS_LABELS, {
    order: () => this.#fieldOrder(),
  });
  saved = $state(false);

  customDuration = $state('');
  readonly clockForm = new FormState<'by'>('clock', { by: 'Advance by' });
  announcement = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.settings = new Resource((signal) =>
      frame.guard(fetchBillingSettings(frame.store, { signal, fetch: frame.fetch })),
    );
    this.clock = new Resource((signal) =>
      frame.guard(fetchTestClock(frame.store, { signal, fetch: frame.fetch })),
    );
  }

  readonly canRead: boolean = $derived.by(() => this.frame.can('finance:read'));
  readonly canManage: boolean = $derived.by(() => this.frame.can('finance:manage'));
  readonly canMoveClock: boolean = $derived.by(() => this.frame.can('store:manage'));
  readonly advancing: boolean = $derived.by(() => this.clock.data?.status === 'advancing');
  readonly ahead: string = $derived.by(() => formatAhead(this.clock.data?.aheadMs ?? 0));

  #fieldOrder(): SettingsField[] {
    const prices = Object.keys(this.form?.prices ?? {}).map((currency) => `price_${currency}` as const);
    return [
      'creditPrices',
      ...prices,
      'minimumRunwayHours',
      'lowBalanceRunwayHours',
      'graceHours',
      'retentionDays',
    ];
  }

  async load(): Promise<void> {
    await Promise.all([this.canRead ? this.#loadSettings() : undefined, this.#loadClock()]);
  }

  async #loadSettings(): Promise<void> {
    await this.settings.refresh();
    if (this.settings.data) this.form = formOf(this.settings.data);
  }

  async #loadClock(): Promise<void> {
    await this.clock.refresh();
    this.#pollWhileAdvancing();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.settings.dispose();
    this.clock.dispose();
  }

  async save(): Promise<boolean> {
    const form = this.form;
    if (!form) return false;
    this.saved = false;
    const checked = checkSettings(form);
    if (checked.errors) {
      this.settingsForm.reject(checked.errors);
      return false;
    }
    const result = await this.settingsForm.submit({}, () =>
      this.frame.guard(saveBillingSettings(this.frame.store, checked.settings, { fetch: this.frame.fetch })),
    );
    if (!result?.ok) return false;
    this.settings.data = result.data;
    this.form = formOf(result.data);
    this.saved = true;
    this.announcement = 'Billing settings saved. They apply from now on.';
    return true;
  }

  /** Moves the clock forward by an ISO duration (a preset, or the typed one). */
  async advance(by: string): Promise<boolean> {
    const duration = by.trim().toUpperCase();
    const result = await this.clockForm.submit({ by: checkDuration(duration) }, () =>
      this.frame.guard(advanceTestClock(this.frame.store, { by: duration }, { fetch: this.frame.fetch })),
    );
    if (!result?.ok) return false;
    this.clock.data = result.data;
    this.announcement = `Advancing the clock by ${duration}…`;
    this.#pollWhileAdvancing();
    return true;
  }

  #pollWhileAdvancing(): void {
    clearTimeout(this.#timer);
    if (this.#disposed || !this.advancing) return;
    this.#timer = setTimeout(async () => {
      await this.clock.refresh();
      if (!this.advancing && !this.clock.problem) {
        this.announcement = `The clock is ready: the store is ${this.ahead}.`;
      }
      this.#pollWhileAdvancing();
    }, POLL_MS);
  }
}
