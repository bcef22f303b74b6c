import type { CreditPurchaseView } from '#shared/payments/credit-purchase.ts';
import type { TransactItem } from '../data/transactions.ts';

export type StoredCreditPurchase = CreditPurchaseView & {
  revision: number;
  /** Card: the Checkout Session it is paid through, and the payment once known. */
  sessionId?: string;
  paymentIntentId?: string;
  /** When the cashback credits expire (the pack's rule at the time of purchase). */
  cashbackExpiresAt?: string;
  /** Who bought it: a user, an API key, or the wallet's auto top-up. */
  placedBy: { kind: 'user' | 'apiKey' | 'system'; id: string };
};

/** Credit pack purchases (adapters/dynamodb-credit-purchase-store.ts). */
export interface CreditPurchaseStore {
  get(tenantId: string, purchaseId: string): Promise<StoredCreditPurchase | undefined>;
  /** Writes a new purchase; false when one with its id exists. */
  create(tenantId: string, purchase: StoredCreditPurchase): Promise<boolean>;
  /** A new purchase, for a transaction. */
  createItem(tenantId: string, purchase: StoredCreditPurchase): TransactItem;
  /** The purchase's new state, if its revision is still `expectedRevision` (for a transaction). */
  updateItem(tenantId: string, purchase: StoredCreditPurchase, expectedRevision: number): TransactItem;
}
