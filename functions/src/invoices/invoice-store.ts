import type { InvoiceSource, InvoiceStatus, InvoiceView } from '#shared/invoices/invoice.ts';
import type { TransactItem } from '../data/transactions.ts';

export type StoredInvoice = InvoiceView & { revision: number };

/**
 * Invoices, the store's invoice counter and one marker per source. Issuing is one transaction of
 * three items, in this order: the counter (conditional on its last value), the invoice, the
 * source's marker (`attribute_not_exists`).
 */
export interface InvoiceStore {
  get(tenantId: string, invoiceId: string): Promise<StoredInvoice | undefined>;
  list(
    tenantId: string,
    filter: { customerId?: string | undefined; status?: InvoiceStatus | undefined },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredInvoice[]; nextCursor?: string }>;
  /** The invoice issued for a source, if there is one. */
  bySource(tenantId: string, source: InvoiceSource): Promise<StoredInvoice | undefined>;
  /** The last sequence number the store used; 0 before its first invoice. */
  lastSequence(tenantId: string): Promise<number>;
  /** The counter moves from `previous` to `invoice.sequence`; the invoice and its source marker are created. */
  issueItems(tenantId: string, invoice: StoredInvoice, previous: number): TransactItem[];
  /** Replaces the invoice if its revision is still `expectedRevision` (payment, voiding). */
  updateItem(tenantId: string, invoice: StoredInvoice, expectedRevision: number): TransactItem;
}

/** Index of each item in {@link InvoiceStore.issueItems}, to read a cancelled transaction's reasons. */
export const ISSUE_ITEM = { counter: 0, invoice: 1, marker: 2 } as const;
