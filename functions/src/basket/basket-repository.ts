import type { ShownPrice } from '#shared/basket/basket.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { Configuration } from '#shared/catalog/product.ts';
import type { TransactItem } from '../data/transactions.ts';

/**
 * Whose basket: a user of a buyer account, a customer's API key, or a visitor known only by the
 * digest of their basket token.
 */
export type BasketOwner =
  | { kind: 'user'; customerId: string; userId: string }
  | { kind: 'apiKey'; customerId: string; keyId: string }
  | { kind: 'visitor'; tokenDigest: string };

export type StoredBasketItem = {
  id: string;
  productId: string;
  configuration: Configuration;
  inputs: Record<string, string>;
  quantity: number;
  /** What the buyer was shown for one unit when they last set or accepted the item. */
  shown: ShownPrice;
  addedAt: string;
};

export type StoredBasket = {
  id: string;
  owner: BasketOwner;
  currency: CurrencyCode;
  items: StoredBasketItem[];
  /** Goes up by one on every save; a save on a stale revision fails (two tabs, two requests). */
  revision: number;
  createdAt: string;
  updatedAt: string;
};

export interface BasketRepository {
  get(tenantId: string, owner: BasketOwner): Promise<StoredBasket | undefined>;
  /** Saves `basket` if the stored one is still at `basket.revision - 1`; false otherwise. */
  save(tenantId: string, basket: StoredBasket): Promise<boolean>;
  delete(tenantId: string, owner: BasketOwner): Promise<void>;
  /** Deletes the basket with an order, in the order's transaction, if it is still at `revision`. */
  deleteItem(tenantId: string, owner: BasketOwner, revision: number): TransactItem;
}
