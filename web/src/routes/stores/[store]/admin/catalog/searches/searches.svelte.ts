import { fetchZeroResultSearches, type ZeroResultSearch } from '#lib/api/catalog-admin.ts';
import { sortSearches } from '#lib/catalog-console/words.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

/** What buyers searched for and did not find (catalog:read). */
export class SearchesPage {
  readonly frame: ConsoleFrame;
  readonly searches: Resource<ZeroResultSearch[]>;

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.searches = new Resource((signal) =>
      frame.guard(fetchZeroResultSearches(frame.store, 200, { signal, fetch: frame.fetch })),
    );
  }

  readonly sorted: ZeroResultSearch[] = $derived.by(() => sortSearches(this.searches.data ?? []));

  load(): Promise<void> {
    return this.searches.refresh();
  }

  dispose(): void {
    this.searches.dispose();
  }
}
