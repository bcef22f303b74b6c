import type { ApiProblem, ApiResult } from './api/http.ts';
import { isUnauthenticated } from './api/identity.ts';
import type { CursorPage } from './api/parse.ts';

/**
 * Reactive state of a list read page by page with a cursor (the audit log, the console's
 * products): `reload()` starts over, `more()` appends the next page. A newer request cancels an
 * older one; items already shown are not added twice. A 401 is not kept as the list's problem: the
 * console sends the page to sign in.
 */
export class CursorList<T extends { id: string }> {
  items: T[] = $state([]);
  nextCursor: string | undefined = $state();
  /** Whether the first page has arrived. */
  loaded = $state(false);
  loading = $state(false);
  problem: ApiProblem | undefined = $state();

  #controller: AbortController | undefined;
  readonly #fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<ApiResult<CursorPage<T>>>;

  constructor(
    fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<ApiResult<CursorPage<T>>>,
  ) {
    this.#fetchPage = fetchPage;
  }

  /** The first page again, instead of everything shown. */
  async reload(): Promise<void> {
    this.items = [];
    this.nextCursor = undefined;
    this.loaded = false;
    await this.#page(undefined);
  }

  /** The next page, after the items shown; how many it added. */
  async more(): Promise<number> {
    if (!this.nextCursor || this.loading) return 0;
    const before = this.items.length;
    await this.#page(this.nextCursor);
    return this.items.length - before;
  }

  /** After a failure: the page that failed again. */
  retry(): Promise<unknown> {
    return this.loaded ? this.more() : this.reload();
  }

  /** Cancels a request in flight (call when the page goes away). */
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
      const result = await this.#fetchPage(cursor, controller.signal);
      if (controller.signal.aborted) return;
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.problem = result.problem;
        return;
      }
      const seen = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...result.data.items.filter((item) => !seen.has(item.id))];
      this.nextCursor = result.data.nextCursor;
      this.loaded = true;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }
}
