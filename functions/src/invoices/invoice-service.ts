/**
 * Invoices as a use case: other contexts issue them (checkout, credit purchases, the monthly
 * usage run), buyers and finance staff read them and download their PDFs.
 */
import { vatTreatment } from '#shared/catalog/vat.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import {
  INVOICE_PAYMENT_TERMS_DAYS,
  type InvoiceDraft,
  InvoiceDraft as InvoiceDraftSchema,
  type InvoiceParty,
  type InvoiceStatus,
  type InvoiceView,
  invoiceAmounts,
  invoiceNumber,
} from '#shared/invoices/invoice.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { TenantClock } from '../billing/tenant-clock.ts';
import { backoff, type TransactItem, type TransactOutcome } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';
import { type InvoiceStore, ISSUE_ITEM, type StoredInvoice } from './invoice-store.ts';

/** Who sells and who buys, as the invoice must name them at the time of issue. */
export interface InvoiceParties {
  /** The store: its name, and where it is established for VAT (the catalog's seller country). */
  seller(tenantId: string): Promise<InvoiceParty>;
  /** The customer account; undefined when there is none. */
  buyer(tenantId: string, customerId: string): Promise<InvoiceParty | undefined>;
}

export type InvoiceDeps = {
  invoices: InvoiceStore;
  commit(items: TransactItem[]): Promise<TransactOutcome>;
  /** Ids only; times come from `time`. */
  clock: Clock;
  time: TenantClock;
  parties: InvoiceParties;
  /** `invoice.issued` goes here (an open card invoice is then charged to the saved card). */
  events?: EventPublisher;
  /** Days a customer paying by invoice has to pay (the customer's billing profile); default 14. */
  paymentTermsDays?(tenantId: string, customerId: string): Promise<number>;
};

/** Writers racing for the counter retry this often before giving up with a 409. */
const MAX_ISSUE_ATTEMPTS = 200;

export const invoiceView = ({ revision: _revision, ...view }: StoredInvoice): InvoiceView => view;

/**
 * Issues the invoice for a source, once: the same source again returns the first invoice and
 * uses no number. The number is the store's next in a gapless sequence, taken in the invoice's
 * own transaction (conditional on the counter's last value; a lost race reads it and retries).
 * VAT follows the pricing engine's rules for the customer's country and VAT id.
 *
 * @example await issueInvoice(deps, tenant, { customerId, currency: 'EUR', paymentMethod: 'card',
 *   status: 'paid', source: { kind: 'order', id: order.id },
 *   lines: [{ description: 'Setup fee, Virtual server', quantity: 1, unitNet: '25.00' }] })
 */
export async function issueInvoice(
  deps: InvoiceDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  input: InvoiceDraft,
): Promise<StoredInvoice> {
  const draft = InvoiceDraftSchema.parse(input);
  const earlier = await deps.invoices.bySource(tenant.id, draft.source);
  if (earlier) return earlier;
  const [seller, buyer] = await Promise.all([
    deps.parties.seller(tenant.id),
    deps.parties.buyer(tenant.id, draft.customerId),
  ]);
  if (!buyer) throw new NotFoundError('customer_not_found', `There is no customer ${draft.customerId}`);
  // As the storefront prices it (vatBuyerOf): a VAT id on an approved account counts as valid.
  const vat = vatTreatment(seller.country, {
    country: buyer.country,
    ...(buyer.vatId ? { vatId: buyer.vatId, vatIdValid: true } : {}),
  });
  const issuedAt = draft.issuedAt ?? (await deps.time.now(tenant)).toISOString();
  const status: InvoiceStatus = draft.status ?? 'open';
  const dueAt =
    draft.dueAt ??
    (draft.paymentMethod === 'invoice'
      ? new Date(
          Date.parse(issuedAt) +
            ((await deps.paymentTermsDays?.(tenant.id, draft.customerId)) ?? INVOICE_PAYMENT_TERMS_DAYS) *
              86_400_000,
        ).toISOString()
      : issuedAt);
  const base = {
    id: newId('ivc', deps.clock),
    customerId: draft.customerId,
    currency: draft.currency,
    status,
    paymentMethod: draft.paymentMethod,
    issuedAt,
    dueAt,
    ...(status === 'paid' ? { paidAt: issuedAt } : {}),
    ...(draft.period ? { period: draft.period } : {}),
    source: draft.source,
    seller,
    buyer,
    ...invoiceAmounts(draft.lines, vat, draft.currency),
    vat: { country: vat.country, rule: vat.rule, reverseCharge: vat.reverseCharge },
    revision: 1,
  };
  for (let attempt = 1; ; attempt++) {
    const previous = await deps.invoices.lastSequence(tenant.id);
    const sequence = previous + 1;
    const invoice: StoredInvoice = { ...base, sequence, number: invoiceNumber(sequence, issuedAt) };
    const outcome = await deps.commit(deps.invoices.issueItems(tenant.id, invoice, previous));
    if (outcome.ok) {
      await publishIssued(deps, tenant.id, invoice);
      return invoice;
    }
    if (outcome.failedConditions.includes(ISSUE_ITEM.marker)) {
      // Issued meanwhile by a concurrent call for the same source: that one stands.
      const issued = await deps.invoices.bySource(tenant.id, draft.source);
      if (issued) return issued;
    }
    if (outcome.failedConditions.includes(ISSUE_ITEM.invoice)) {
      throw new Error(`invoice id ${invoice.id} exists already`);
    }
    if (attempt >= MAX_ISSUE_ATTEMPTS) {
      throw new ConflictError(
        'invoice_counter_busy',
        'Too many invoices are being issued at once; try again',
      );
    }
    await backoff(attempt);
  }
}

export const INVOICES_EVENT_SOURCE = 'nimbus.invoices';

/** The invoice is the record: a lost event only means a card invoice waits to be charged by hand. */
async function publishIssued(deps: InvoiceDeps, tenantId: string, invoice: StoredInvoice) {
  if (!deps.events) return;
  try {
    await deps.events.publish(INVOICES_EVENT_SOURCE, [
      {
        id: newId('evt', deps.clock),
        type: 'invoice.issued',
        time: invoice.issuedAt,
        tenant: tenantId,
        subject: invoice.id,
        schemaVersion: 1,
        data: {
          invoiceId: invoice.id,
          number: invoice.number,
          customerId: invoice.customerId,
          paymentMethod: invoice.paymentMethod,
          status: invoice.status,
          currency: invoice.currency,
          gross: invoice.totals.gross,
        },
      },
    ]);
  } catch (error) {
    logger.error('invoice.issued not published', error as Error);
  }
}

/** Marks an open invoice paid (a card payment, a bank transfer); paying a paid one changes nothing. */
export async function markInvoicePaid(
  deps: InvoiceDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  invoiceId: string,
  paidAt?: string,
): Promise<StoredInvoice> {
  for (let attempt = 1; ; attempt++) {
    const invoice = await deps.invoices.get(tenant.id, invoiceId);
    if (!invoice) throw new NotFoundError('invoice_not_found', `There is no invoice ${invoiceId}`);
    if (invoice.status === 'paid') return invoice;
    if (invoice.status === 'void') {
      throw new ConflictError('invoice_void', `Invoice ${invoice.number} is void`, {
        status: invoice.status,
      });
    }
    const at = paidAt ?? (await deps.time.now(tenant)).toISOString();
    const paid: StoredInvoice = { ...invoice, status: 'paid', paidAt: at, revision: invoice.revision + 1 };
    if ((await deps.commit([deps.invoices.updateItem(tenant.id, paid, invoice.revision)])).ok) return paid;
    if (attempt >= 10) throw new ConflictError('invoice_busy', 'The invoice is changing; try again');
    await backoff(attempt);
  }
}

/** An invoice the caller may see: a buyer only their customer's (another's is a 404, not a 403). */
async function visibleInvoice(
  deps: Pick<InvoiceDeps, 'invoices'>,
  tenant: Pick<Tenant, 'id'>,
  principal: Principal,
  invoiceId: string,
): Promise<StoredInvoice> {
  const invoice = await deps.invoices.get(tenant.id, invoiceId);
  const scope = customerOf(principal);
  if (!invoice || (scope !== undefined && invoice.customerId !== scope)) {
    throw new NotFoundError('invoice_not_found', `There is no invoice ${invoiceId}`);
  }
  return invoice;
}

export async function getInvoice(
  deps: Pick<InvoiceDeps, 'invoices'>,
  tenant: Pick<Tenant, 'id'>,
  principal: Principal,
  invoiceId: string,
): Promise<InvoiceView> {
  return invoiceView(await visibleInvoice(deps, tenant, principal, invoiceId));
}

export async function listInvoices(
  deps: Pick<InvoiceDeps, 'invoices'>,
  tenant: Pick<Tenant, 'id'>,
  principal: Principal,
  query: {
    limit: number;
    cursor?: string | undefined;
    status?: InvoiceStatus | undefined;
    customerId?: string | undefined;
  },
): Promise<{ items: InvoiceView[]; nextCursor?: string }> {
  // A buyer's own, whatever customerId they send; staff may pick one customer or see all.
  const customerId = customerOf(principal) ?? query.customerId;
  const page = await deps.invoices.list(tenant.id, { customerId, status: query.status }, query);
  return { ...page, items: page.items.map(invoiceView) };
}

/** The invoice's PDF and a file name for it. */
export async function invoicePdf(
  deps: Pick<InvoiceDeps, 'invoices'>,
  tenant: Pick<Tenant, 'id'>,
  principal: Principal,
  invoiceId: string,
): Promise<{ bytes: Uint8Array; fileName: string }> {
  const invoice = await visibleInvoice(deps, tenant, principal, invoiceId);
  const bytes = await renderInvoicePdf(invoiceView(invoice), invoice.seller, invoice.buyer);
  return { bytes, fileName: `invoice-${invoice.number}.pdf` };
}
