import { getInvoice, getInvoicePdf, listInvoices } from '#shared/invoices/api.ts';
import { binary, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as invoices from '../invoice-service.ts';
import { tableInvoices } from '../table-invoices.ts';

const options = { authenticator: tableAuthenticator };

/** A buyer's invoices (finance:view) and any customer's for finance staff; PDFs to download. */
export const handler = routes(
  [
    listInvoices,
    httpHandler(
      listInvoices,
      async ({ tenant, principal, query }) =>
        ok(await invoices.listInvoices(tableInvoices(), tenant, principal, query)),
      options,
    ),
  ],
  [
    getInvoice,
    httpHandler(
      getInvoice,
      async ({ tenant, principal, params }) =>
        ok(await invoices.getInvoice(tableInvoices(), tenant, principal, params.invoiceId)),
      options,
    ),
  ],
  [
    getInvoicePdf,
    httpHandler(
      getInvoicePdf,
      async ({ tenant, principal, params }) => {
        const pdf = await invoices.invoicePdf(tableInvoices(), tenant, principal, params.invoiceId);
        return binary(pdf.bytes, 'application/pdf', {
          'content-disposition': `attachment; filename="${pdf.fileName}"`,
        });
      },
      options,
    ),
  ],
);
