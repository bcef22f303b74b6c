/**
 * Monthly usage invoices for services paid by card or invoice. Posting adds each finished hour to
 * the service's `unbilled` amount of the hour's month (billing/posting.ts); once a month is over
 * (store time), the hourly sweep calls {@link invoiceFinishedMonths} for each such service it
 * looks at, and the customer gets one invoice for the month and currency, a line per service.
 *
 * Exactly once, under duplicate messages and concurrent runs:
 * 1. every service of the customer is brought up to the month's end first (its hours posted, a
 *    cancellation inside the month applied), so its amount for the month is final;
 * 2. the invoice is issued for the source `usage <customer>#<currency>#<month>`: the first run
 *    issues it, any other finds it (the source marker), and no number is used twice;
 * 3. each service listed on the invoice gives up that month (conditional on its revision). A
 *    service the customer query missed (the index is eventually consistent) still holds the month
 *    afterwards: its own sweep then issues it a supplementary invoice, just as once.
 */
import { type CurrencyCode, decimal, formatMinorUnits, minorUnitExponent } from '#shared/catalog/money.ts';
import { monthOf, monthPeriod } from '#shared/invoices/invoice.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { backoff } from '../data/transactions.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { type InvoiceDeps, issueInvoice } from './invoice-service.ts';
import type { StoredInvoice } from './invoice-store.ts';

export type UsageInvoicingDeps = Pick<SubscriptionDeps, 'subscriptions' | 'commit'> & {
  invoicing: InvoiceDeps;
  /** The sweep's own work on one service up to a time: hours posted, a due cancellation applied. */
  review(tenant: Pick<Tenant, 'id'>, subscriptionId: string, until: string): Promise<void>;
};

const MAX_RACES = 50;

const monthsBefore = (subscription: StoredSubscription, month: string) =>
  Object.keys(subscription.unbilled ?? {})
    .filter((key) => key < month)
    .sort();

/**
 * Whether the service, as last seen, may hold a finished month: one already in `unbilled`, or
 * hours of an earlier month still to post. Spares a read for every hour of every other service.
 */
function mayHaveFinishedMonths(subscription: StoredSubscription, until: string): boolean {
  if (subscription.paymentMethod === 'credits') return false;
  const current = monthOf(until);
  return (
    monthsBefore(subscription, current).length > 0 || monthOf(subscription.accrual.billedThrough) < current
  );
}

const amountOf = (minorUnits: number, currency: CurrencyCode) =>
  formatMinorUnits(decimal(minorUnits).dividedBy(10 ** minorUnitExponent(currency)), currency);

const monthLabel = (month: string) =>
  new Date(`${month}-01T00:00:00.000Z`).toLocaleString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

const lineOf = (subscription: StoredSubscription, month: string) => ({
  description: `${subscription.product.name} (${subscription.id}), ${monthLabel(month)}`,
  quantity: 1,
  unitNet: amountOf(subscription.unbilled?.[month] ?? 0, subscription.price.currency),
  subscriptionId: subscription.id,
});

/** Takes a month out of the service's unbilled usage (it is on an invoice now). */
async function takeMonth(deps: UsageInvoicingDeps, tenantId: string, subscriptionId: string, month: string) {
  for (let races = 0; ; races++) {
    const subscription = await deps.subscriptions.get(tenantId, subscriptionId);
    if (subscription?.unbilled?.[month] === undefined) return;
    const { [month]: _taken, ...rest } = subscription.unbilled;
    const { unbilled: _unbilled, ...others } = subscription;
    const next: StoredSubscription = {
      ...others,
      ...(Object.keys(rest).length > 0 ? { unbilled: rest } : {}),
      revision: subscription.revision + 1,
    };
    const items = deps.subscriptions.updateItems(tenantId, next, subscription.revision, []);
    if ((await deps.commit(items)).ok) return;
    if (races >= MAX_RACES) throw new Error(`service ${subscriptionId} kept changing while being invoiced`);
    await backoff(races + 1);
  }
}

/**
 * The customer's invoice for a month of usage in a currency, issued once; every service it lists
 * has given up that month when this returns. Undefined when the month had nothing to invoice.
 */
export async function invoiceUsageMonth(
  deps: UsageInvoicingDeps,
  tenant: Pick<Tenant, 'id'>,
  customer: { customerId: string; currency: CurrencyCode },
  month: string,
  until: string,
): Promise<StoredInvoice | undefined> {
  const { customerId, currency } = customer;
  const source = { kind: 'usage' as const, id: `${customerId}#${currency}#${month}` };
  let invoice = await deps.invoicing.invoices.bySource(tenant.id, source);
  if (!invoice) {
    const period = monthPeriod(month);
    const services = (await deps.subscriptions.allOfCustomer(tenant.id, customerId)).filter(
      (service) => service.paymentMethod !== 'credits' && service.price.currency === currency,
    );
    const billed: StoredSubscription[] = [];
    for (const service of services) {
      // Final for the month: every hour before its end posted, a cancellation in it applied.
      await deps.review(tenant, service.id, period.to);
      const current = await deps.subscriptions.get(tenant.id, service.id);
      if (current?.unbilled?.[month]) billed.push(current);
    }
    if (billed.length === 0) return undefined;
    invoice = await issueInvoice(
      deps.invoicing,
      { id: tenant.id },
      {
        customerId,
        currency,
        source,
        // One invoice per month: paid by transfer if any of its services is, else charged to the card.
        paymentMethod: billed.some((service) => service.paymentMethod === 'invoice') ? 'invoice' : 'card',
        period,
        issuedAt: until,
        lines: billed.map((service) => lineOf(service, month)),
      },
    );
  }
  for (const line of invoice.lines) {
    if (line.subscriptionId) await takeMonth(deps, tenant.id, line.subscriptionId, month);
  }
  return invoice;
}

/**
 * The sweep's hook, after it has posted a service's hours up to `until`: invoices each finished
 * month the service still holds. `known` is the service as the sweep had it (may be stale).
 */
export async function invoiceFinishedMonths(
  deps: UsageInvoicingDeps,
  tenant: Pick<Tenant, 'id'>,
  subscriptionId: string,
  until: string,
  known?: StoredSubscription,
): Promise<StoredInvoice[]> {
  if (known && !mayHaveFinishedMonths(known, until)) return [];
  const subscription = await deps.subscriptions.get(tenant.id, subscriptionId);
  if (!subscription || subscription.paymentMethod === 'credits') return [];
  const issued: StoredInvoice[] = [];
  const customer = { customerId: subscription.customerId, currency: subscription.price.currency };
  for (const month of monthsBefore(subscription, monthOf(until))) {
    const invoice = await invoiceUsageMonth(deps, tenant, customer, month, until);
    if (invoice) issued.push(invoice);
    const after = await deps.subscriptions.get(tenant.id, subscriptionId);
    if (after?.unbilled?.[month] === undefined) continue;
    // Still holds the month: the customer's invoice does not list it (the query missed it).
    const supplement = await issueInvoice(
      deps.invoicing,
      { id: tenant.id },
      {
        customerId: customer.customerId,
        currency: customer.currency,
        source: {
          kind: 'usage',
          id: `${customer.customerId}#${customer.currency}#${month}#${subscriptionId}`,
        },
        paymentMethod: after.paymentMethod === 'invoice' ? 'invoice' : 'card',
        period: monthPeriod(month),
        issuedAt: until,
        lines: [lineOf(after, month)],
      },
    );
    await takeMonth(deps, tenant.id, subscriptionId, month);
    issued.push(supplement);
  }
  return issued;
}
