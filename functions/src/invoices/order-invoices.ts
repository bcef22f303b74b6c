/**
 * The invoice of an order paid by card or on account: its setup fees (the hourly usage is
 * invoiced monthly). Keyed on the order, so fulfilment may ask again safely.
 */
import { decimal } from '#shared/catalog/money.ts';
import type { InvoiceDraft } from '#shared/invoices/invoice.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { StoredOrder } from '../orders/order-store.ts';
import { type InvoiceDeps, issueInvoice } from './invoice-service.ts';

/** Undefined when the order has nothing to invoice now (no setup fees, or paid with credits). */
export function orderInvoiceDraft(order: StoredOrder): InvoiceDraft | undefined {
  if (order.paymentMethod === 'credits') return undefined;
  const lines = order.items
    .filter((item) => decimal(item.price.setup).greaterThan(0))
    .map((item) => ({
      description: `Setup fee, ${item.product.name}`,
      quantity: item.quantity,
      unitNet: item.price.setup,
    }));
  if (lines.length === 0) return undefined;
  return {
    customerId: order.customerId,
    currency: order.currency,
    lines,
    source: { kind: 'order', id: order.id },
    paymentMethod: order.paymentMethod,
    // A card order is fulfilled once Stripe has the money; an order on account is due later.
    status: order.paymentMethod === 'card' ? 'paid' : 'open',
  };
}

export async function invoiceOrder(
  deps: InvoiceDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  order: StoredOrder,
): Promise<{ invoiceId: string } | undefined> {
  const draft = orderInvoiceDraft(order);
  if (!draft) return undefined;
  return { invoiceId: (await issueInvoice(deps, tenant, draft)).id };
}
