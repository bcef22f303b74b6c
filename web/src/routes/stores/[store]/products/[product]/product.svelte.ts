import type { BasketIssue, BasketView } from '#lib/api/basket.ts';
import { fetchProduct, fetchQuote, type ProductPage, type Quote } from '#lib/api/catalog.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { basketStore } from '#lib/catalog/basket.svelte.ts';
import { isQuantity, issuesOf, MAX_QUANTITY } from '#lib/catalog/basket-view.ts';
import {
  type ConfigState,
  type Configuration,
  configurationOf,
  defaultState,
  inputsOf,
  matchingPreset,
  missingInputs,
  type Preset,
  snapToGrid,
  stateFrom,
  toggleChoice,
} from '#lib/catalog/configuration.ts';
import { formatMoney } from '#lib/catalog/money.ts';
import { buyerFromTax, quoteDifferences, quoteKey, sameBuyer } from '#lib/catalog/quote-check.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { storeSession } from '#lib/session.svelte.ts';
import { pricedProductOf } from '#shared/catalog/catalog.ts';
import { type CompiledPricing, compilePricing } from '#shared/catalog/compile.ts';
import { localized } from '#shared/catalog/localized.ts';
import { type CurrencyCode, decimal, formatMinorUnits, toDecimalString } from '#shared/catalog/money.ts';
import { CurrencyNotOfferedError, InvalidConfigurationError } from '#shared/catalog/pricing-errors.ts';
import { quote } from '#shared/catalog/quote.ts';
import type { VatBuyer } from '#shared/catalog/vat.ts';

/** The live region waits for the buyer to pause before reading the new price. */
const ANNOUNCE_DELAY_MS = 700;
/** The server confirms a signed-in buyer's price once changes pause. */
const CONFIRM_DELAY_MS = 600;

export type PriceOutcome = { quote: Quote; problems?: undefined } | { quote?: undefined; problems: string[] };
export type Confirmation =
  | { status: 'idle' | 'checking' }
  | { status: 'agrees'; country: string }
  | { status: 'differs'; differences: string[] }
  | { status: 'failed'; problem: ApiProblem };

/**
 * View state of a product page: the product, the configurator (dimensions, options, inputs,
 * quantity, currency), the price the shared pricing engine computes on every change, the server's
 * confirmation for a signed-in buyer, and adding to the basket with the issues it reports.
 */
export class ProductConfigurator {
  readonly store: string;
  readonly slug: string;
  readonly locale: string;
  readonly resource: Resource<ProductPage>;

  /** The compiled product (validated once); undefined until loaded or when it cannot be priced. */
  pricing: CompiledPricing | undefined = $state.raw();
  pricingProblem: string | undefined = $state();
  config: ConfigState = $state({ dimensions: {}, options: {} });
  inputs: Record<string, string> = $state({});
  quantity = $state(1);
  currency: string = $state('EUR');
  /** Who the engine prices for: unknown (the seller's VAT) until the server names the buyer's treatment. */
  buyer: VatBuyer | undefined = $state.raw();
  confirmation: Confirmation = $state({ status: 'idle' });
  /** The polite live region's text: the price, once changes pause. */
  announcement = $state('');
  form: FormState<string> = $state.raw(new FormState('add', {}));
  /** The item just added, whose issues the page shows. */
  addedItemId: string | undefined = $state();

  /** The price key the last change was announced and confirmed for. */
  #changedKey: string | undefined;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  #confirmTimer: ReturnType<typeof setTimeout> | undefined;
  #confirmController: AbortController | undefined;
  readonly #fetch: typeof fetch | undefined;

  constructor(store: string, slug: string, locale: string, fetchFn?: typeof fetch) {
    this.store = store;
    this.slug = slug;
    this.locale = locale;
    this.#fetch = fetchFn;
    this.resource = new Resource((signal) => fetchProduct(store, slug, { signal, fetch: this.#fetch }));
  }

  readonly page: ProductPage | undefined = $derived.by(() => this.resource.data);
  readonly notFound: boolean = $derived.by(
    () => this.resource.problem?.kind === 'http' && this.resource.problem.status === 404,
  );
  readonly name: string = $derived.by(() =>
    this.page ? localized(this.page.product.name, this.locale, this.locale) : '',
  );

  async load(): Promise<void> {
    await this.resource.refresh();
    const page = this.page;
    if (!page) return;
    const { product } = page;
    try {
      this.pricing = compilePricing(pricedProductOf(product));
      this.pricingProblem = undefined;
    } catch (error) {
      this.pricing = undefined;
      this.pricingProblem = error instanceof Error ? error.message : String(error);
    }
    this.config = defaultState(product);
    this.inputs = Object.fromEntries(product.inputs.map((input) => [input.key, '']));
    this.currency = page.currencies[0] ?? 'EUR';
    const labels: Record<string, string> = { quantity: 'Quantity' };
    for (const input of product.inputs) labels[input.key] = input.label;
    this.form = new FormState('add', labels);
    this.#changedKey = this.#priceKey;
  }

  /** The configuration as the engine, the server and the basket take it. */
  readonly configuration: Configuration = $derived.by(() => configurationOf(this.config));
  /** What the price depends on besides the buyer (configuration and currency), as one string. */
  readonly #priceKey: string = $derived.by(() =>
    quoteKey({ configuration: this.configuration, currency: this.currency }),
  );

  /** The engine's quote of the current configuration, or what keeps it from pricing. */
  readonly outcome: PriceOutcome | undefined = $derived.by(() => {
    const pricing = this.pricing;
    const page = this.page;
    if (!pricing || !page) return undefined;
    try {
      return {
        quote: quote(pricing, this.configuration, {
          currency: this.currency as CurrencyCode,
          sellerCountry: page.sellerCountry,
          ...(this.buyer ? { buyer: this.buyer } : {}),
        }),
      };
    } catch (error) {
      if (error instanceof InvalidConfigurationError)
        return { problems: error.issues.map((issue) => issue.message) };
      if (error instanceof CurrencyNotOfferedError) return { problems: [error.message] };
      throw error;
    }
  });

  /** The amounts for the whole quantity, multiplied in the engine's decimals. */
  readonly forQuantity = $derived.by(() => {
    const current = this.outcome?.quote;
    const count = this.quantity;
    if (!current || !Number.isInteger(count) || count < 2) return undefined;
    const currency = current.currency;
    const times = (amount: string) => formatMinorUnits(decimal(amount).times(count), currency);
    return {
      hourly: toDecimalString(decimal(current.hourly).times(count)),
      monthly: times(current.monthlyEstimate),
      setup: times(current.setup),
      tax: times(current.totals.tax),
      gross: times(current.totals.gross),
    };
  });

  readonly activePreset: string | undefined = $derived.by(() =>
    this.page ? matchingPreset(this.page.product, this.config) : undefined,
  );

  /** Signed in as a buyer of this store: the server's quote uses their account's VAT. */
  get signedInBuyer(): boolean {
    return (
      storeSession.store === this.store &&
      storeSession.status === 'signed-in' &&
      storeSession.view?.principal === 'buyer'
    );
  }

  get isStaff(): boolean {
    return basketStore.isStaff(this.store);
  }

  readonly basket: BasketView | undefined = $derived.by(() =>
    basketStore.store === this.store ? basketStore.view : undefined,
  );
  readonly addedIssues: BasketIssue[] = $derived.by(() =>
    this.addedItemId && this.basket ? issuesOf(this.basket.issues, this.addedItemId) : [],
  );
  readonly addedStillThere: boolean = $derived.by(() =>
    Boolean(this.addedItemId && this.basket?.items.some((item) => item.id === this.addedItemId)),
  );

  setDimension(key: string, value: number): void {
    const dimension = this.page?.product.dimensions.find((entry) => entry.key === key);
    if (!dimension) return;
    this.config.dimensions[key] = snapToGrid(dimension, value);
    this.changed();
  }

  setSingle(key: string, choice: string): void {
    this.config.options[key] = choice;
    this.changed();
  }

  setMulti(key: string, choice: string, on: boolean): void {
    const option = this.page?.product.options.find((entry) => entry.key === key);
    if (!option) return;
    this.config.options[key] = toggleChoice(option, this.config.options[key], choice, on);
    this.changed();
  }

  setToggle(key: string, on: boolean): void {
    this.config.options[key] = on;
    this.changed();
  }

  applyPreset(preset: Preset): void {
    if (!this.page) return;
    this.config = stateFrom(this.page.product, preset.configuration);
    this.changed();
  }

  setCurrency(currency: string): void {
    this.currency = currency;
    this.changed();
  }

  setInput(key: string, value: string): void {
    this.inputs[key] = value;
    this.form.touch(key);
  }

  /**
   * After every change: the price is read out once the buyer pauses, and the server asked to
   * confirm. Neither happens when configuration and currency are as they were (the pressed preset
   * pressed again).
   */
  changed(): void {
    if (this.#priceKey === this.#changedKey) return;
    this.#changedKey = this.#priceKey;
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      this.announcement = this.priceSentence();
    }, ANNOUNCE_DELAY_MS);
    this.scheduleConfirmation();
  }

  priceSentence(): string {
    const outcome = this.outcome;
    if (!outcome) return '';
    if (!outcome.quote) return `This configuration cannot be priced: ${outcome.problems.join('; ')}`;
    const { quote: current } = outcome;
    const money = (amount: string) => formatMoney(amount, current.currency, { locale: this.locale });
    return `Price: ${money(current.monthlyEstimate)} per month, ${money(current.hourly)} per hour; first month ${money(current.totals.gross)} including VAT.`;
  }

  /** For a signed-in buyer: the server prices the same configuration; the page shows whether it agrees. */
  scheduleConfirmation(): void {
    clearTimeout(this.#confirmTimer);
    if (!this.signedInBuyer || !this.outcome?.quote) {
      this.confirmation = { status: 'idle' };
      return;
    }
    this.confirmation = { status: 'checking' };
    this.#confirmTimer = setTimeout(() => void this.#confirm(), CONFIRM_DELAY_MS);
  }

  async #confirm(): Promise<void> {
    const { configuration, currency } = this;
    const key = this.#priceKey;
    this.#confirmController?.abort();
    const controller = new AbortController();
    this.#confirmController = controller;
    let result: Awaited<ReturnType<typeof fetchQuote>>;
    try {
      result = await fetchQuote(
        this.store,
        this.slug,
        { configuration, currency },
        { signal: controller.signal, fetch: this.#fetch },
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      throw error;
    }
    if (controller.signal.aborted || key !== this.#priceKey) {
      return; // the buyer changed something meanwhile: a newer check is on its way
    }
    if (!result.ok) {
      this.confirmation = { status: 'failed', problem: result.problem };
      return;
    }
    const buyer = buyerFromTax(result.data.tax);
    if (!sameBuyer(buyer, this.buyer)) this.buyer = buyer; // the engine now prices with the buyer's VAT
    const browser = this.outcome?.quote;
    const differences = browser ? quoteDifferences(browser, result.data) : ['price'];
    this.confirmation =
      differences.length === 0
        ? { status: 'agrees', country: result.data.tax.country }
        : { status: 'differs', differences };
    this.announcement = this.priceSentence();
  }

  /** Adds the configuration to the basket; returns true when it was added. */
  async add(): Promise<boolean> {
    const page = this.page;
    if (!page || this.form.submitting) return false;
    const quantity = this.quantity;
    const checks: Record<string, string | undefined> = {
      ...missingInputs(page.product.inputs, this.inputs),
      quantity: isQuantity(quantity) ? undefined : `Enter a whole number from 1 to ${MAX_QUANTITY}.`,
    };
    const before = new Set((this.basket?.items ?? []).map((item) => item.id));
    const result = await this.form.submit(checks, () =>
      basketStore.add(
        this.store,
        {
          product: page.product.slug,
          configuration: this.configuration,
          inputs: inputsOf(this.inputs),
          quantity,
        },
        newIdempotencyKey(),
      ),
    );
    if (!result?.ok) return false;
    const items = result.data.items;
    const added =
      items.find((item) => !before.has(item.id)) ??
      [...items].sort((a, b) => b.addedAt.localeCompare(a.addedAt))[0];
    this.addedItemId = added?.id;
    const count = this.addedIssues.length;
    this.announcement = `Added ${this.name} to your basket${count ? `; ${count === 1 ? '1 issue needs' : `${count} issues need`} your attention` : ''}.`;
    return true;
  }

  /** Performs a fix of the added item; a changed configuration is shown in the controls too. */
  async applyFix(issue: BasketIssue): Promise<ApiProblem | undefined> {
    const fix = issue.fix;
    if (!fix) return undefined;
    const result = await basketStore.applyFix(this.store, fix);
    if (!result.ok) return result.problem;
    const { action } = fix;
    if (
      action.kind === 'updateItem' &&
      action.configuration &&
      this.page &&
      action.itemId === this.addedItemId
    ) {
      this.config = stateFrom(this.page.product, action.configuration);
      this.changed();
    }
    const left = this.addedIssues.length;
    this.announcement = `${fix.label}: done.${left ? ` ${left} ${left === 1 ? 'issue' : 'issues'} left.` : ' No issues left.'}`;
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.#announceTimer);
    clearTimeout(this.#confirmTimer);
    this.#confirmController?.abort();
    this.resource.dispose();
  }
}
