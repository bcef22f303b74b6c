import type { ApiProblem } from '#lib/api/http.ts';
import {
  type DeliveryStatus,
  type DeliveryView,
  fetchDeliveries,
  replayDelivery,
} from '#lib/api/provisioning.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import { checkSubscriptionFilter } from '#lib/provisioning/deliveries.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

/** What a replay answered: the 202 and the delivery as it is now, or why it was refused. */
export type ReplayOutcome = { status: number; delivery: DeliveryView } | { problem: ApiProblem };

/**
 * The delivery log (catalog:read): newest first, filtered by status and service, 20 at a time;
 * a failed delivery can be sent again (catalog:manage), which answers 202 and puts it back to
 * pending in the same log.
 */
export class DeliveriesPage {
  readonly frame: ConsoleFrame;
  readonly list: CursorList<DeliveryView>;
  status: DeliveryStatus | '' = $state('');
  subscriptionText = $state('');
  subscriptionError: string | undefined = $state();
  /** The filter the list shows (applied), apart from what is being typed. */
  applied: { status?: DeliveryStatus | undefined; subscriptionId?: string | undefined } = $state({});
  replays: Record<string, ReplayOutcome> = $state({});
  replaying: string | undefined = $state();
  announcement = $state('');

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.list = new CursorList((cursor, signal) =>
      frame.guard(fetchDeliveries(frame.store, { ...this.applied, cursor }, { fetch: frame.fetch, signal })),
    );
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));

  load(): Promise<void> {
    return this.list.reload();
  }

  dispose(): void {
    this.list.dispose();
  }

  /** Applies the filter as chosen; a malformed service id is said, not sent. */
  async filter(): Promise<boolean> {
    const checked = checkSubscriptionFilter(this.subscriptionText);
    this.subscriptionError = checked.error;
    if (checked.error) return false;
    this.applied = {
      ...(this.status ? { status: this.status } : {}),
      ...(checked.value ? { subscriptionId: checked.value } : {}),
    };
    this.replays = {};
    await this.list.reload();
    return true;
  }

  async clearFilter(): Promise<void> {
    this.status = '';
    this.subscriptionText = '';
    await this.filter();
  }

  async replay(delivery: DeliveryView): Promise<boolean> {
    if (this.replaying) return false;
    this.replaying = delivery.id;
    try {
      const result = await this.frame.guard(
        replayDelivery(this.frame.store, delivery.id, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.replays = { ...this.replays, [delivery.id]: { problem: result.problem } };
        return false;
      }
      this.replays = { ...this.replays, [delivery.id]: { status: result.status, delivery: result.data } };
      this.list.items = this.list.items.map((item) => (item.id === delivery.id ? result.data : item));
      this.announcement = `Replay accepted: the ${delivery.type} webhook is being sent again.`;
      return true;
    } finally {
      this.replaying = undefined;
    }
  }
}
