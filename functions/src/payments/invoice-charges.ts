/**
 * Card invoices (the monthly usage of card services) are charged to the card the customer saved
 * with an earlier card payment, off-session, once: the charge is keyed on the invoice, and the
 * invoice is marked paid when it succeeds (here, or by the payment_intent.succeeded webhook when
 * the bank takes its time). A decline leaves the invoice open for the buyer to pay.
 */
import * as z from 'zod';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { type InvoiceDeps, markInvoicePaid } from '../invoices/invoice-service.ts';
import { logger } from '../observability/logger.ts';
import { toMinorUnits } from '../orders/checkout.ts';
import type { PaymentEvent } from './payment-provider.ts';
import { applicationFee, cardSetup, type PaymentDeps } from './payment-settings.ts';

export type InvoiceChargeDeps = { payments: PaymentDeps; invoices: InvoiceDeps };

const Issued = z.object({ invoiceId: z.string().min(1) });

export async function chargeIssuedInvoice(
  deps: InvoiceChargeDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  event: EventEnvelope,
): Promise<'paid' | 'processing' | 'declined' | 'skipped'> {
  if (event.type !== 'invoice.issued') return 'skipped';
  const { invoiceId } = Issued.parse(event.data);
  const invoice = await deps.invoices.invoices.get(tenant.id, invoiceId);
  if (invoice?.status !== 'open' || invoice.paymentMethod !== 'card') return 'skipped';
  const [card, setup] = await Promise.all([
    deps.payments.store.savedCard(tenant.id, invoice.customerId),
    cardSetup(deps.payments, tenant.id),
  ]);
  if (!card || !setup) {
    logger.warn('card invoice not charged: no saved card or card payment is off', { invoiceId });
    return 'skipped';
  }
  const amountMinor = toMinorUnits(invoice.totals.gross, invoice.currency);
  const charge = await setup.provider.chargeSavedCard({
    tenantId: tenant.id,
    payable: { kind: 'invoice', id: invoice.id },
    currency: invoice.currency,
    amountMinor,
    stripeCustomerId: card.stripeCustomerId,
    paymentMethodId: card.paymentMethodId,
    description: `Invoice ${invoice.number}`,
    ...applicationFee(setup, amountMinor),
    idempotencyKey: `invoice#${invoice.id}`,
  });
  if (charge.status === 'succeeded') {
    await markInvoicePaid(deps.invoices, tenant, invoice.id);
    return 'paid';
  }
  if (charge.status === 'processing') return 'processing';
  logger.warn('card invoice declined', { invoiceId, message: charge.message });
  return 'declined';
}

/** payment_intent.succeeded for an invoice (a slow bank, a payment the buyer retried): paid. */
export async function applyInvoiceEvent(
  deps: InvoiceChargeDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  event: PaymentEvent,
  invoiceId: string,
): Promise<'paid' | 'unchanged' | 'ignored'> {
  if (event.type !== 'payment_intent.succeeded' || event.object.object !== 'payment_intent') return 'ignored';
  const invoice = await deps.invoices.invoices.get(tenant.id, invoiceId);
  if (!invoice || invoice.status === 'void') return 'ignored';
  const expected = toMinorUnits(invoice.totals.gross, invoice.currency);
  if (
    event.object.amount_received !== expected ||
    (event.object.currency ?? '').toUpperCase() !== invoice.currency
  ) {
    logger.warn('invoice payment does not match', {
      invoiceId,
      received: event.object.amount_received,
      expected,
    });
    return 'ignored';
  }
  if (invoice.status === 'paid') return 'unchanged';
  await markInvoicePaid(deps.invoices, tenant, invoice.id);
  return 'paid';
}
