import { fetchProducts, type Product, type ProductStatus, setProductStatus } from '#lib/api/catalog-admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { productName, sortProducts, statusChangeProblem } from '#lib/catalog-console/words.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export const PAGE_SIZE = 100;
export type StatusFilter = ProductStatus | 'all';

/**
 * The product list (catalog:read): every product, drafts and retired ones included, filtered by
 * status, 100 at a time; publish and retire (catalog:manage) right from the list.
 */
export class ProductsPage {
  readonly frame: ConsoleFrame;
  products: Product[] = $state([]);
  nextCursor: string | undefined = $state();
  loaded = $state(false);
  loading = $state(false);
  problem: ApiProblem | undefined = $state();
  filter: StatusFilter = $state('all');
  announcement = $state('');
  /** Product id → why its last publish / retire failed. */
  rowProblems: Record<string, string[]> = $state({});
  /** Product id while its status change is in flight. */
  busy: string | undefined = $state();

  #controller: AbortController | undefined;

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly sorted: Product[] = $derived.by(() => sortProducts(this.products));

  async load(): Promise<void> {
    this.products = [];
    this.nextCursor = undefined;
    this.loaded = false;
    this.rowProblems = {};
    await this.#page(undefined);
  }

  async setFilter(filter: StatusFilter): Promise<void> {
    this.filter = filter;
    await this.load();
    if (!this.problem)
      this.announcement = `${this.products.length} ${filter === 'all' ? '' : `${filter} `}product${this.products.length === 1 ? '' : 's'}.`;
  }

  async loadMore(): Promise<void> {
    if (this.nextCursor && !this.loading) await this.#page(this.nextCursor);
  }

  dispose(): void {
    this.#controller?.abort();
  }

  async #page(cursor: string | undefined): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.problem = undefined;
    try {
      const result = await this.frame.guard(
        fetchProducts(
          this.frame.store,
          { status: this.filter === 'all' ? undefined : this.filter, limit: PAGE_SIZE, cursor },
          { signal: controller.signal, fetch: this.frame.fetch },
        ),
      );
      if (controller.signal.aborted) return;
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.problem = result.problem;
        return;
      }
      const seen = new Set(this.products.map((product) => product.id));
      this.products = [...this.products, ...result.data.items.filter((product) => !seen.has(product.id))];
      this.nextCursor = result.data.nextCursor;
      this.loaded = true;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  /** Publishes or retires a product at the revision the list shows. */
  async changeStatus(product: Product, action: 'publish' | 'retire'): Promise<boolean> {
    if (this.busy) return false;
    this.busy = product.id;
    const { [product.id]: _cleared, ...others } = this.rowProblems;
    this.rowProblems = others;
    try {
      const result = await this.frame.guard(
        setProductStatus(this.frame.store, product.id, action, product.revision, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        if (!isUnauthenticated(result.problem))
          this.rowProblems = { ...this.rowProblems, [product.id]: statusChangeProblem(result.problem) };
        this.announcement = `Could not ${action} ${productName(product)}.`;
        return false;
      }
      this.products = this.products.map((existing) => (existing.id === product.id ? result.data : existing));
      this.announcement = `${productName(product)} is ${result.data.status} now.`;
      return true;
    } finally {
      this.busy = undefined;
    }
  }
}
