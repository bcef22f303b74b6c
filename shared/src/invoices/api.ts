import * as z from 'zod';
import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import type { Grant } from '../identity/access.ts';
import { storeParams } from '../tenants/api.ts';
import { InvoiceId, InvoiceStatus, InvoiceView } from './invoice.ts';

const tags = ['invoices'];

/** Invoices carry prices: buyers with finance:view (their own), finance staff (any customer's). */
export const VIEW_INVOICES: Grant[] = [
  { kind: 'buyer', permission: 'finance:view' },
  { kind: 'staff', permission: 'finance:read' },
  { kind: 'apiKey', scope: 'finance:view' },
];

const invoiceParams = storeParams.extend({ invoiceId: InvoiceId });

export const listInvoices = defineOperation({
  operationId: 'listInvoices',
  method: 'GET',
  path: '/api/v1/stores/{store}/invoices',
  summary: 'Invoices, newest first: the buyer’s own, or (finance staff) any customer’s',
  tags,
  access: VIEW_INVOICES,
  request: {
    params: storeParams,
    query: pageQuery.extend({
      status: InvoiceStatus.optional(),
      /** Staff only: one customer's invoices. */
      customerId: z.string().max(64).optional(),
    }),
  },
  responses: { 200: pageOf(InvoiceView) },
});

export const getInvoice = defineOperation({
  operationId: 'getInvoice',
  method: 'GET',
  path: '/api/v1/stores/{store}/invoices/{invoiceId}',
  summary: 'An invoice with its lines, VAT by rate and totals',
  tags,
  access: VIEW_INVOICES,
  request: { params: invoiceParams },
  responses: { 200: InvoiceView },
});

/** The bytes of a PDF document. */
export const PdfDocument = z.string().meta({ id: 'PdfDocument', format: 'binary' });

export const getInvoicePdf = defineOperation({
  operationId: 'getInvoicePdf',
  method: 'GET',
  path: '/api/v1/stores/{store}/invoices/{invoiceId}/pdf',
  summary: 'The invoice as a PDF (A4), to download',
  tags,
  access: VIEW_INVOICES,
  request: { params: invoiceParams },
  responses: { 200: PdfDocument },
  responseContentType: 'application/pdf',
});
