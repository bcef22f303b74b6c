import { fetchOrders, type OrderStatus, type OrderView } from '#lib/api/orders.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import type { SignedInArea } from '../signed-in.svelte.ts';

export const PAGE_SIZE = 20;

/** The buyer's orders, newest first, 20 at a time, optionally one status only. */
export class OrdersPage {
  readonly area: SignedInArea;
  readonly orders: CursorList<OrderView>;
  status: OrderStatus | '' = $state('');
  announcement = $state('');

  constructor(area: SignedInArea) {
    this.area = area;
    this.orders = new CursorList((cursor, signal) =>
      area.guard(
        fetchOrders(
          area.store,
          { limit: PAGE_SIZE, cursor, status: this.status || undefined },
          { signal, fetch: area.fetch },
        ),
      ),
    );
  }

  async load(): Promise<void> {
    if (await this.area.check()) await this.orders.reload();
  }

  async filter(status: OrderStatus | ''): Promise<void> {
    this.status = status;
    await this.orders.reload();
    if (!this.orders.problem) {
      const count = this.orders.items.length;
      this.announcement = `${count}${this.orders.nextCursor ? '+' : ''} ${count === 1 ? 'order' : 'orders'} shown.`;
    }
  }

  dispose(): void {
    this.orders.dispose();
  }
}

/** "Virtual server", "Virtual server × 2 and Support plan". */
export function itemsSummary(order: Pick<OrderView, 'items'>): string {
  const names = order.items.map(
    (item) => `${item.product.name}${item.quantity > 1 ? ` × ${item.quantity}` : ''}`,
  );
  if (names.length <= 1) return names[0] ?? 'No items';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
