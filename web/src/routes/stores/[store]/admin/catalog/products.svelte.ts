import { fetchProducts, type Product, type ProductStatus, setProductStatus } from '#lib/api/catalog-admin.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { productName, sortProducts, statusChangeProblem } from '#lib/catalog-console/words.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

const PAGE_SIZE = 100;
export type StatusFilter = ProductStatus | 'all';

/**
 * The product list (catalog:read): every product, drafts and retired ones included, filtered by
 * status, 100 at a time; publish and retire (catalog:manage) right from the list.
 */
export class ProductsPage {
  readonly frame: ConsoleFrame;
  readonly products: CursorList<Product>;
  filter: StatusFilter = $state('all');
  announcement = $state('');
  /** Product id → why its last publish / retire failed. */
  rowProblems: Record<string, string[]> = $state({});
  /** Product id while its status change is in flight. */
  busy: string | undefined = $state();

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.products = new CursorList((cursor, signal) =>
      frame.guard(
        fetchProducts(
          frame.store,
          { status: this.filter === 'all' ? undefined : this.filter, limit: PAGE_SIZE, cursor },
          { signal, fetch: frame.fetch },
        ),
      ),
    );
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly sorted: Product[] = $derived.by(() => sortProducts(this.products.items));

  async load(): Promise<void> {
    this.rowProblems = {};
    await this.products.reload();
  }

  async setFilter(filter: StatusFilter): Promise<void> {
    this.filter = filter;
    await this.load();
    const count = this.products.items.length;
    if (!this.products.problem)
      this.announcement = `${count} ${filter === 'all' ? '' : `${filter} `}product${count === 1 ? '' : 's'}.`;
  }

  dispose(): void {
    this.products.dispose();
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
      this.products.items = this.products.items.map((existing) =>
        existing.id === product.id ? result.data : existing,
      );
      this.announcement = `${productName(product)} is ${result.data.status} now.`;
      return true;
    } finally {
      this.busy = undefined;
    }
  }
}
