import type { CustomerBillingProfile } from '#shared/payments/payments.ts';
import type { TransactItem } from '../data/transactions.ts';
import type { SealedValue } from './secret-box.ts';

/** A store's Stripe connection as stored: keys sealed (secret-box.ts), only their last 4 in clear. */
export type StoredStripeConnection = {
  secretKey: SealedValue;
  webhookSecret: SealedValue;
  secretKeyLast4: string;
  webhookSecretLast4: string;
  mode: 'test' | 'live';
  accountId?: string;
  platformFeePercent?: string;
  connectedAt: string;
  updatedAt: string;
};

export type StoredPaymentSettings = { stripe?: StoredStripeConnection };

/** A customer's card saved at Stripe by a paid Checkout (setup_future_usage): charged off-session. */
export type SavedCard = { stripeCustomerId: string; paymentMethodId: string; savedAt: string };

/** A provider event handled once: what it did, kept for duplicates and for the record. */
export type ProcessedEvent = {
  eventId: string;
  type: string;
  outcome: 'paid' | 'cancelled' | 'unchanged' | 'ignored';
  payable?: { kind: string; id: string };
  note?: string;
  at: string;
};

export interface PaymentStore {
  settings(tenantId: string): Promise<StoredPaymentSettings | undefined>;
  saveSettings(tenantId: string, settings: StoredPaymentSettings): Promise<void>;
  billingProfile(tenantId: string, customerId: string): Promise<CustomerBillingProfile | undefined>;
  saveBillingProfile(tenantId: string, profile: CustomerBillingProfile): Promise<void>;
  savedCard(tenantId: string, customerId: string): Promise<SavedCard | undefined>;
  saveCard(tenantId: string, customerId: string, card: SavedCard): Promise<void>;
  processedEvent(tenantId: string, eventId: string): Promise<ProcessedEvent | undefined>;
  /** Records the event, failing the transaction it is part of when it was recorded before. */
  processedEventItem(tenantId: string, event: ProcessedEvent): TransactItem;
}
