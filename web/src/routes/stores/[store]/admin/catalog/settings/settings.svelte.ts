import { type CatalogSettings, fetchCatalogSettings, saveCatalogSettings } from '#lib/api/catalog-admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import {
  makeDefaultCurrency,
  newAttribute,
  newValue,
  parseSynonyms,
  type SettingsForm,
  settingsFieldKeys,
  settingsFormOf,
  settingsOf,
  synonymLine,
  toggleCurrency,
} from '#lib/catalog-console/settings-form.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

export const SETTINGS_LOCALES = ['en', 'de'];

/**
 * The catalog settings (catalog:read; saving needs catalog:manage): seller country, currencies,
 * attribute definitions (the facets buyers filter by) and search synonyms.
 */
export class SettingsPage {
  readonly frame: ConsoleFrame;
  readonly issues = new IssueForm('settings');
  form: SettingsForm | undefined = $state();
  #saved = $state('');
  loadProblem: ApiProblem | undefined = $state();
  announcement = $state('');
  /** Group index → line of the synonyms text, as last sent (for the API's issues). */
  #sentLines: number[] = [];

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly dirty: boolean = $derived.by(
    () => this.form !== undefined && JSON.stringify(this.form) !== this.#saved,
  );
  readonly fieldKeys: Set<string> = $derived.by(() =>
    this.form ? settingsFieldKeys(this.form) : new Set<string>(),
  );
  /** Live: how many groups the synonyms text holds, and the lines that are not groups yet. */
  readonly synonyms = $derived.by(() => parseSynonyms(this.form?.synonyms ?? ''));

  async load(): Promise<void> {
    this.loadProblem = undefined;
    const result = await this.frame.guard(
      fetchCatalogSettings(this.frame.store, { fetch: this.frame.fetch }),
    );
    if (!result.ok) {
      if (!isUnauthenticated(result.problem)) this.loadProblem = result.problem;
      return;
    }
    this.#show(result.data);
  }

  #show(settings: CatalogSettings): void {
    this.form = settingsFormOf(settings, SETTINGS_LOCALES);
    this.#saved = JSON.stringify(this.form);
  }

  toggleCurrency(code: CurrencyCode, on: boolean): void {
    if (!this.form) return;
    this.form.currencies = toggleCurrency(this.form.currencies, code, on);
    this.issues.touch('currencies');
  }

  makeDefault(code: CurrencyCode): void {
    if (this.form) this.form.currencies = makeDefaultCurrency(this.form.currencies, code);
  }

  addAttribute(): void {
    this.form?.attributes.push(newAttribute(SETTINGS_LOCALES));
  }

  removeAttribute(index: number): void {
    this.form?.attributes.splice(index, 1);
    this.#dropErrors('attributes.');
  }

  addValue(attribute: number): void {
    this.form?.attributes[attribute]?.values.push(newValue(SETTINGS_LOCALES));
  }

  removeValue(attribute: number, index: number): void {
    this.form?.attributes[attribute]?.values.splice(index, 1);
    this.#dropErrors(`attributes.${attribute}.values.`);
  }

  #dropErrors(prefix: string): void {
    this.issues.errors = Object.fromEntries(
      Object.entries(this.issues.errors).filter(([key]) => !key.startsWith(prefix)),
    );
  }

  async save(): Promise<CatalogSettings | undefined> {
    if (!this.form || this.issues.submitting || !this.canManage) return undefined;
    const result = settingsOf($state.snapshot(this.form) as SettingsForm);
    if (!result.ok) {
      this.issues.reject(result.errors, ['Nothing was saved: check the fields marked below.']);
      return undefined;
    }
    this.#sentLines = result.lines;
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const saved = await this.frame.guard(
        saveCatalogSettings(this.frame.store, result.settings, { fetch: this.frame.fetch }),
      );
      if (!saved.ok) {
        if (isUnauthenticated(saved.problem)) return undefined;
        this.issues.fail(saved.problem, this.fieldKeys, {
          where: (key, issue) => {
            if (key !== 'synonyms') return undefined;
            const line = synonymLine(issue.rest, this.#sentLines);
            return line === undefined ? undefined : `Line ${line}`;
          },
        });
        if (this.issues.general.length === 0)
          this.issues.general = ['Nothing was saved: check the fields marked below.'];
        return undefined;
      }
      this.#show(saved.data);
      this.announcement = 'Saved the catalog settings. Search uses the new synonyms and facets at once.';
      return saved.data;
    } finally {
      this.issues.submitting = false;
    }
  }
}
