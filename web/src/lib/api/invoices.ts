/**
 * Invoices (`/api/v1/stores/{store}/invoices...`): a buyer's own (finance:view), or any customer's
 * for finance staff (`customerId`). The PDF is a plain link: the browser sends the session cookie
 * with it, so `<a href={invoicePdfPath(…)} download>` works without JavaScript.
 */
import { pageOf } from '#shared/http/paging.ts';
import { INVOICE_STATUSES, type InvoiceStatus, InvoiceView } from '#shared/invoices/invoice.ts';
import { type ApiOptions, type ApiResult, getJson } from './http.ts';
import { storePath } from './identity.ts';
import { type CursorPage, schemaParser } from './parse.ts';

export type { InvoiceStatus, InvoiceView };
export { INVOICE_STATUSES };

export const parseInvoice = schemaParser(InvoiceView);
export const parseInvoicePage = schemaParser(pageOf(InvoiceView)) as (
  body: unknown,
) => CursorPage<InvoiceView> | undefined;

export type InvoiceQuery = {
  limit?: number;
  cursor?: string | undefined;
  status?: InvoiceStatus | undefined;
  /** Staff only: one customer's. */
  customerId?: string | undefined;
};

/** `GET invoices`, newest first. */
export function fetchInvoices(
  store: string,
  query: InvoiceQuery = {},
  options?: ApiOptions,
): Promise<ApiResult<CursorPage<InvoiceView>>> {
  const search = new URLSearchParams({ limit: String(query.limit ?? 20) });
  if (query.cursor) search.set('cursor', query.cursor);
  if (query.status) search.set('status', query.status);
  if (query.customerId) search.set('customerId', query.customerId);
  return getJson(storePath(store, `/invoices?${search}`), parseInvoicePage, options);
}

/** `GET invoices/{id}`: lines, VAT by rate, totals; another customer's is a 404. */
export function fetchInvoice(
  store: string,
  invoiceId: string,
  options?: ApiOptions,
): Promise<ApiResult<InvoiceView>> {
  return getJson(storePath(store, `/invoices/${encodeURIComponent(invoiceId)}`), parseInvoice, options);
}

/** Where the invoice's PDF is (`application/pdf`, an attachment), for a link. */
export function invoicePdfPath(store: string, invoiceId: string): string {
  return storePath(store, `/invoices/${encodeURIComponent(invoiceId)}/pdf`);
}

/** The file name offered for the PDF: `invoice-2026-000042.pdf`. */
export function invoiceFileName(invoice: Pick<InvoiceView, 'number'>): string {
  return `invoice-${invoice.number.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`;
}
