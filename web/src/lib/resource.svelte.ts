import type { ApiProblem, ApiResult } from './api/http.ts';

/**
 * Reactive state of one API read (Svelte 5 runes). The last good data stays on screen while a
 * refresh is in flight and after a failed refresh (with the problem beside it); a newer refresh
 * cancels an older one, so answers never land out of order.
 */
export class Resource<T> {
  /** The last data the API returned successfully. */
  data: T | undefined = $state();
  /** HTTP status of the last successful answer (e.g. 503 for a health report that says "down"). */
  status: number | undefined = $state();
  /** Why the latest request failed; cleared by the next success. */
  problem: ApiProblem | undefined = $state();
  /** True while a request is in flight. */
  loading = $state(false);
  /** True once the first request has settled, whatever its outcome. */
  settled = $state(false);

  #controller: AbortController | undefined;
  readonly #load: (signal: AbortSignal) => Promise<ApiResult<T>>;

  constructor(load: (signal: AbortSignal) => Promise<ApiResult<T>>) {
    this.#load = load;
  }

  async refresh(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    try {
      const result = await this.#load(controller.signal);
      if (controller.signal.aborted) return;
      if (result.ok) {
        this.data = result.data;
        this.status = result.status;
        this.problem = undefined;
      } else {
        this.problem = result.problem;
      }
      this.settled = true;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  /** Cancels a request in flight (call when the page goes away). */
  dispose(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }
}
