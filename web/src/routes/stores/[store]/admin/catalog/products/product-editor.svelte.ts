import {
  type CatalogSettings,
  type Category,
  createProduct,
  fetchCatalogSettings,
  fetchCategories,
  fetchProduct,
  type Product,
  revisionConflict,
  setProductStatus,
  updateProduct,
} from '#lib/api/catalog-admin.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { buildCategoryTree, type CategoryNode, flattenTree } from '#lib/catalog/category-tree.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import {
  loadPricingEngine,
  type PricePreview,
  type PricingEngine,
  pricePreview,
} from '#lib/catalog-console/price-preview.ts';
import {
  type DraftResult,
  draftOf,
  emptyProductForm,
  jsonLine,
  newDimension,
  newInput,
  newOption,
  type ProductForm,
  pricedParts,
  productFieldKeys,
  productFormOf,
  productIssueRewrite,
} from '#lib/catalog-console/product-form.ts';
import { productName } from '#lib/catalog-console/words.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

/** The languages the editor always offers, after the store's own. */
const EDITOR_LOCALES = ['en', 'de'];

/** Fields holding JSON text: issues inside them say on which line. */
const JSON_FIELDS: Record<string, (form: ProductForm) => string> = {
  prices: (form) => form.prices,
  presets: (form) => form.presets,
  'configurator.imageRequirements': (form) => form.configurator.imageRequirements,
};

/**
 * The product editor (`/admin/catalog/products/new` and `/admin/catalog/products/{id}`): the form,
 * save (create, or change at the loaded revision: 409 when someone changed it since), publish and
 * retire, and the live price of the default configuration and the presets.
 */
export class ProductEditor {
  readonly frame: ConsoleFrame;
  /** The product's id; undefined while creating one. */
  readonly productId: string | undefined;
  readonly categories: Resource<Category[]>;
  readonly settings: Resource<CatalogSettings>;
  readonly issues = new IssueForm('product');

  /** The product as last loaded or saved. */
  product: Product | undefined = $state();
  form: ProductForm = $state(emptyProductForm(EDITOR_LOCALES, []));
  /** The form as last loaded or saved, to tell unsaved changes. */
  #saved = $state('');
  ready = $state(false);
  loadProblem: ApiProblem | undefined = $state();
  /** 409: someone saved the product since it was loaded here (the revision it is at now). */
  conflict: { revision?: number } | undefined = $state();
  /** Attributes the product has that the settings no longer define (left out on save). */
  dropped: string[] = $state([]);
  announcement = $state('');
  statusBusy = $state(false);
  engine: PricingEngine | undefined = $state.raw();
  engineProblem = $state('');
  /** The store's language: every product needs a name in it. */
  defaultLocale = $state('en');
  /** One key per product created here: a retried create returns the first product. */
  #idempotencyKey = newIdempotencyKey();

  constructor(frame: ConsoleFrame, productId: string | undefined, defaultLocale: string | undefined) {
    this.frame = frame;
    this.productId = productId;
    if (defaultLocale) this.defaultLocale = defaultLocale;
    const options = (signal: AbortSignal) => ({ signal, fetch: frame.fetch });
    this.categories = new Resource((signal) => frame.guard(fetchCategories(frame.store, options(signal))));
    this.settings = new Resource((signal) => frame.guard(fetchCatalogSettings(frame.store, options(signal))));
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly isNew: boolean = $derived.by(() => this.productId === undefined);
  readonly locales: string[] = $derived.by(() => [...new Set([this.defaultLocale, ...EDITOR_LOCALES])]);
  readonly definitions = $derived.by(() => this.settings.data?.attributes ?? []);
  readonly categoryOptions: CategoryNode[] = $derived.by(() =>
    flattenTree(buildCategoryTree(this.categories.data ?? [], 'en')),
  );
  readonly dirty: boolean = $derived.by(() => this.ready && JSON.stringify(this.form) !== this.#saved);
  readonly title: string = $derived.by(() =>
    this.product ? productName(this.product, this.defaultLocale) : this.isNew ? 'New product' : 'Product',
  );
  readonly fieldKeys: Set<string> = $derived.by(() => productFieldKeys(this.form, this.definitions));
  readonly draft: DraftResult = $derived.by(() => draftOf(this.form, this.definitions, this.defaultLocale));

  /** The price of the default configuration and each preset, per currency, as the form stands. */
  readonly preview: PricePreview | undefined = $derived.by(() => {
    const engine = this.engine;
    const draft = this.draft;
    if (!engine || !draft.ok) return undefined;
    const priced = pricedParts(draft.draft);
    if (!priced)
      return { ok: false, problems: ['The prices or presets are not in the shape the API takes yet.'] };
    return pricePreview(
      engine,
      {
        id: 'prd_preview',
        kind: draft.draft.kind,
        dimensions: draft.draft.dimensions,
        options: draft.draft.options,
        ...priced,
      },
      this.settings.data?.sellerCountry ?? 'DE',
    );
  });

  async load(): Promise<void> {
    this.loadProblem = undefined;
    void this.#loadEngine();
    const [product] = await Promise.all([
      this.productId
        ? this.frame.guard(fetchProduct(this.frame.store, this.productId, { fetch: this.frame.fetch }))
        : undefined,
      this.categories.refresh(),
      this.settings.refresh(),
    ]);
    const problem =
      (product && !product.ok ? product.problem : undefined) ??
      this.settings.problem ??
      this.categories.problem;
    if (problem) {
      if (!isUnauthenticated(problem)) this.loadProblem = problem;
      return;
    }
    if (product?.ok) this.#show(product.data);
    else this.#reset(emptyProductForm(this.locales, this.settings.data?.currencies ?? []));
    this.ready = true;
  }

  async #loadEngine(): Promise<void> {
    try {
      this.engine = await loadPricingEngine();
    } catch {
      this.engineProblem =
        'The price preview could not be loaded. Saving still works; reload the page to try again.';
    }
  }

  dispose(): void {
    this.categories.dispose();
    this.settings.dispose();
  }

  #reset(form: ProductForm): void {
    this.form = form;
    this.#saved = JSON.stringify(form);
  }

  #show(product: Product): void {
    this.product = product;
    const form = productFormOf(product, this.locales);
    this.#reset(form);
    const defined = new Set(this.definitions.map((definition) => definition.key));
    this.dropped = Object.keys(product.attributes).filter((key) => !defined.has(key));
  }

  /** Discards the changes here and shows the product as it is now (after a 409). */
  async reload(): Promise<void> {
    if (!this.productId) return;
    const result = await this.frame.guard(
      fetchProduct(this.frame.store, this.productId, { fetch: this.frame.fetch }),
    );
    if (!result.ok) {
      if (!isUnauthenticated(result.problem)) this.issues.fail(result.problem, this.fieldKeys);
      return;
    }
    this.conflict = undefined;
    this.issues.clear();
    this.#show(result.data);
    this.announcement = `Reloaded: revision ${result.data.revision}.`;
  }

  touch(key: string): void {
    this.issues.touch(key);
  }

  /**
   * Creates the product, or saves the changes at the loaded revision (`overwrite`: at the revision
   * someone else saved, after a 409, replacing their changes).
   */
  async save(overwrite = false): Promise<Product | undefined> {
    if (this.issues.submitting || !this.canManage) return undefined;
    const draft = draftOf($state.snapshot(this.form) as ProductForm, this.definitions, this.defaultLocale);
    if (!draft.ok) {
      this.issues.reject(draft.errors, ['Nothing was saved: check the fields marked below.']);
      return undefined;
    }
    const revision = overwrite ? this.conflict?.revision : this.product?.revision;
    this.issues.clear();
    this.issues.submitting = true;
    let result: ApiResult<Product>;
    try {
      const options = { fetch: this.frame.fetch };
      result = await this.frame.guard(
        this.productId
          ? updateProduct(
              this.frame.store,
              this.productId,
              { ...draft.draft, expectedRevision: revision },
              options,
            )
          : createProduct(this.frame.store, draft.draft, {
              ...options,
              idempotencyKey: this.#idempotencyKey,
            }),
      );
    } finally {
      this.issues.submitting = false;
    }
    if (!result.ok) {
      this.#failed(result.problem);
      return undefined;
    }
    this.conflict = undefined;
    this.#idempotencyKey = newIdempotencyKey();
    this.#show(result.data);
    this.announcement = this.productId
      ? `Saved ${productName(result.data)}: revision ${result.data.revision}.`
      : `Created ${productName(result.data)} as a draft.`;
    return result.data;
  }

  #failed(problem: ApiProblem): void {
    if (isUnauthenticated(problem)) return;
    const conflict = revisionConflict(problem);
    if (conflict) {
      this.conflict = conflict;
      this.issues.problem = problem;
      return;
    }
    this.issues.fail(problem, this.fieldKeys, {
      codes: { slug_taken: 'slug' },
      rewrite: productIssueRewrite(this.defaultLocale),
      where: (key, issue) => {
        const text = JSON_FIELDS[key]?.(this.form);
        if (text === undefined) return undefined;
        const line = jsonLine(text, issue.rest);
        return line === undefined ? undefined : `Line ${line}`;
      },
    });
    if (this.issues.general.length === 0 && Object.keys(this.issues.errors).length > 0)
      this.issues.general = ['Nothing was saved: check the fields marked below.'];
  }

  /** Publishes or retires the saved product (its last saved revision). */
  async changeStatus(action: 'publish' | 'retire'): Promise<boolean> {
    const product = this.product;
    if (!product || this.statusBusy) return false;
    this.statusBusy = true;
    this.issues.clear();
    try {
      const result = await this.frame.guard(
        setProductStatus(this.frame.store, product.id, action, product.revision, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.#failed(result.problem);
        if (this.issues.general[0] === 'Nothing was saved: check the fields marked below.')
          this.issues.general = [
            `${productName(product)} was not ${action === 'publish' ? 'published' : 'retired'}: check the fields marked below.`,
          ];
        return false;
      }
      this.product = result.data;
      this.announcement = `${productName(result.data)} is ${result.data.status} now.`;
      return true;
    } finally {
      this.statusBusy = false;
    }
  }

  // ——— rows ———

  addDimension(): void {
    this.form.dimensions.push(newDimension());
  }

  addOption(): void {
    this.form.options.push(newOption());
  }

  addInput(): void {
    this.form.inputs.push(newInput());
  }

  addImage(): void {
    this.form.images.push({ url: '', alt: '' });
  }

  /** Removes row `index` of a list; the errors of rows below it no longer match, so they go. */
  remove(list: 'dimensions' | 'options' | 'inputs' | 'images', index: number): void {
    this.form[list].splice(index, 1);
    this.issues.errors = Object.fromEntries(
      Object.entries(this.issues.errors).filter(([key]) => !key.startsWith(`${list}.`)),
    );
  }
}
