/**
 * Invoices: what a buyer owes (or paid) for an order, a credit purchase or a month of usage,
 * with VAT by rate. Numbers run 1, 2, 3… per store without a gap; the arithmetic here is pure,
 * so the browser can show the same totals the PDF prints.
 */
import * as z from 'zod';
import {
  type CurrencyCode,
  CurrencyCode as CurrencyCodeSchema,
  type Decimal,
  DecimalString,
  decimal,
  formatMinorUnits,
  roundToMinorUnit,
  sumOf,
  toDecimalString,
} from '../catalog/money.ts';
import type { VatTreatment } from '../catalog/vat.ts';

export const InvoiceId = z.string().regex(/^ivc_[0-9a-z]{26}$/, 'must be an ivc_… id');

export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;
export const InvoiceStatus = z.enum(INVOICE_STATUSES).meta({ id: 'InvoiceStatus' });
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

export const INVOICE_SOURCE_KINDS = ['order', 'creditPurchase', 'usage'] as const;
export const InvoiceSource = z
  .object({ kind: z.enum(INVOICE_SOURCE_KINDS), id: z.string().min(1).max(200) })
  .strict()
  .meta({ id: 'InvoiceSource' });
export type InvoiceSource = z.infer<typeof InvoiceSource>;

export const InvoicePaymentMethod = z
  .enum(['card', 'invoice', 'credits'])
  .meta({ id: 'InvoicePaymentMethod' });
export type InvoicePaymentMethod = z.infer<typeof InvoicePaymentMethod>;

export const InvoiceLine = z
  .object({
    description: z.string(),
    quantity: z.number().positive(),
    /** Net price of one unit, as given (may carry more decimals than the currency). */
    unitNet: DecimalString,
    /** quantity × unitNet, rounded to the currency. */
    net: DecimalString,
    /** VAT rate as a fraction: '0.19'. */
    taxRate: DecimalString,
    /** The service a usage line bills. */
    subscriptionId: z.string().optional(),
  })
  .strict()
  .meta({ id: 'InvoiceLine' });
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const InvoiceTaxLine = z
  .object({ rate: DecimalString, net: DecimalString, tax: DecimalString })
  .strict()
  .meta({ id: 'InvoiceTaxLine' });
export type InvoiceTaxLine = z.infer<typeof InvoiceTaxLine>;

export const InvoiceParty = z
  .object({
    name: z.string(),
    /** ISO 3166 alpha-2. */
    country: z.string(),
    vatId: z.string().optional(),
    /** Lines of a postal address, when the store has one on file. */
    address: z.array(z.string()).optional(),
  })
  .strict()
  .meta({ id: 'InvoiceParty' });
export type InvoiceParty = z.infer<typeof InvoiceParty>;

export const InvoiceView = z
  .object({
    id: InvoiceId,
    /** What the buyer sees: `<year of issue>-<sequence>`, e.g. `2026-000042`. */
    number: z.string(),
    /** The store's gapless sequence: 1, 2, 3… */
    sequence: z.number().int().positive(),
    customerId: z.string(),
    currency: CurrencyCodeSchema,
    status: InvoiceStatus,
    paymentMethod: InvoicePaymentMethod,
    issuedAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    paidAt: z.iso.datetime().optional(),
    /** Usage invoices: the calendar month (UTC, store time) billed, [from, to). */
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).strict().optional(),
    source: InvoiceSource,
    /** Seller and buyer as they were when the invoice was issued. */
    seller: InvoiceParty,
    buyer: InvoiceParty,
    lines: z.array(InvoiceLine),
    /** VAT by rate. */
    taxes: z.array(InvoiceTaxLine),
    vat: z
      .object({
        /** Whose VAT applies (the buyer's country, or the seller's). */
        country: z.string(),
        rule: z.enum(['domestic', 'destination', 'reverse_charge', 'outside_scope']),
        reverseCharge: z.boolean(),
      })
      .strict(),
    totals: z.object({ net: DecimalString, tax: DecimalString, gross: DecimalString }).strict(),
  })
  .strict()
  .meta({ id: 'Invoice' });
export type InvoiceView = z.infer<typeof InvoiceView>;

/** What another context asks to invoice; prices are net, VAT is added here. */
export const InvoiceDraft = z
  .object({
    customerId: z.string().min(1),
    currency: CurrencyCodeSchema,
    lines: z
      .array(
        z
          .object({
            description: z.string().min(1).max(500),
            quantity: z.number().positive(),
            unitNet: DecimalString,
            subscriptionId: z.string().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
    source: InvoiceSource,
    paymentMethod: InvoicePaymentMethod,
    /** Default `open`; `paid` when the money is already in (a card payment, a credit purchase). */
    status: z.enum(['open', 'paid']).optional(),
    /** Default: at issue for card and credits, after the payment terms for invoice payment. */
    dueAt: z.iso.datetime().optional(),
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).strict().optional(),
    /** Default: the store's time now. */
    issuedAt: z.iso.datetime().optional(),
  })
  .strict();
export type InvoiceDraft = z.input<typeof InvoiceDraft>;

/** Days an invoice paid by bank transfer is due after it is issued. */
export const INVOICE_PAYMENT_TERMS_DAYS = 14;

/** `2026-000042`: the year of issue and the store's sequence. */
export function invoiceNumber(sequence: number, issuedAt: string): string {
  return `${issuedAt.slice(0, 4)}-${String(sequence).padStart(6, '0')}`;
}

export type InvoiceAmounts = Pick<InvoiceView, 'lines' | 'taxes' | 'totals'>;

/**
 * Lines, VAT by rate and totals. Each line is rounded once (quantity × unit), VAT once per rate
 * on the sum of that rate's lines, half up, as the pricing engine's quote does.
 *
 * @example invoiceAmounts([{ description: 'VM', quantity: 2, unitNet: '10.005' }], vat, 'EUR')
 * // lines[0].net '20.01'; taxes [{ rate: '0.19', net: '20.01', tax: '3.80' }]; gross '23.81'
 */
export function invoiceAmounts(
  lines: ReadonlyArray<{ description: string; quantity: number; unitNet: string; subscriptionId?: string }>,
  vat: Pick<VatTreatment, 'rate'>,
  currency: CurrencyCode,
): InvoiceAmounts {
  const rate = toDecimalString(vat.rate);
  const priced = lines.map((line) => ({
    line,
    net: roundToMinorUnit(decimal(line.unitNet).times(line.quantity), currency),
  }));
  const byRate = new Map<string, Decimal[]>();
  for (const { net } of priced) byRate.set(rate, [...(byRate.get(rate) ?? []), net]);
  const taxes = [...byRate].map(([taxRate, nets]) => {
    const net = sumOf(nets);
    return { rate: taxRate, net, tax: roundToMinorUnit(net.times(taxRate), currency) };
  });
  const net = sumOf(priced.map((entry) => entry.net));
  const tax = sumOf(taxes.map((entry) => entry.tax));
  return {
    lines: priced.map(({ line, net: lineNet }) => ({
      description: line.description,
      quantity: line.quantity,
      unitNet: line.unitNet,
      net: formatMinorUnits(lineNet, currency),
      taxRate: rate,
      ...(line.subscriptionId ? { subscriptionId: line.subscriptionId } : {}),
    })),
    taxes: taxes.map((entry) => ({
      rate: entry.rate,
      net: formatMinorUnits(entry.net, currency),
      tax: formatMinorUnits(entry.tax, currency),
    })),
    totals: {
      net: formatMinorUnits(net, currency),
      tax: formatMinorUnits(tax, currency),
      gross: formatMinorUnits(net.plus(tax), currency),
    },
  };
}

/** A calendar month in UTC: `2026-03` → [2026-03-01T00:00Z, 2026-04-01T00:00Z). */
export function monthPeriod(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(Date.UTC(year, monthNumber - 1, 1)).toISOString(),
    to: new Date(Date.UTC(year, monthNumber, 1)).toISOString(),
  };
}

/** The calendar month (UTC) an instant is in: `2026-03`. */
export const monthOf = (at: string): string => at.slice(0, 7);
