import { fetchServices, type SubscriptionState, type SubscriptionView } from '#lib/api/services.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import type { SignedInArea } from '../signed-in.svelte.ts';

export const PAGE_SIZE = 20;

/** The buyer's services, newest first, 20 at a time, optionally in one state only. */
export class ServicesPage {
  readonly area: SignedInArea;
  readonly services: CursorList<SubscriptionView>;
  state: SubscriptionState | '' = $state('');
  announcement = $state('');

  constructor(area: SignedInArea) {
    this.area = area;
    this.services = new CursorList((cursor, signal) =>
      area.guard(
        fetchServices(
          area.store,
          { limit: PAGE_SIZE, cursor, status: this.state || undefined },
          { signal, fetch: area.fetch },
        ),
      ),
    );
  }

  async load(): Promise<void> {
    if (await this.area.check()) await this.services.reload();
  }

  async filter(state: SubscriptionState | ''): Promise<void> {
    this.state = state;
    await this.services.reload();
    if (!this.services.problem) {
      const count = this.services.items.length;
      this.announcement = `${count}${this.services.nextCursor ? '+' : ''} ${count === 1 ? 'service' : 'services'} shown.`;
    }
  }

  dispose(): void {
    this.services.dispose();
  }
}
