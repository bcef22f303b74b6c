import type { OrderStatus, OrderView } from '#shared/orders/order.ts';
import type { TransactItem } from '../data/transactions.ts';

export type StoredOrder = OrderView & { revision: number; placedBy: { kind: 'user' | 'apiKey'; id: string } };

export interface OrderStore {
  get(tenantId: string, orderId: string): Promise<StoredOrder | undefined>;
  list(
    tenantId: string,
    filter: { customerId?: string | undefined; status?: OrderStatus | undefined },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredOrder[]; nextCursor?: string }>;
  /** Creates the order (fails if it exists). */
  createItem(tenantId: string, order: StoredOrder): TransactItem;
  /** Replaces the order if its revision is still `expectedRevision`. */
  updateItem(tenantId: string, order: StoredOrder, expectedRevision: number): TransactItem;
}
