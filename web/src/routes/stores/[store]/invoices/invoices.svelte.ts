import { fetchInvoices, type InvoiceStatus, type InvoiceView } from '#lib/api/invoices.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import type { SignedInArea } from '../signed-in.svelte.ts';

export const PAGE_SIZE = 20;

/** The buyer's invoices (finance:view), newest first, 20 at a time, optionally one status only. */
export class InvoicesPage {
  readonly area: SignedInArea;
  readonly invoices: CursorList<InvoiceView>;
  status: InvoiceStatus | '' = $state('');
  announcement = $state('');

  constructor(area: SignedInArea) {
    this.area = area;
    this.invoices = new CursorList((cursor, signal) =>
      area.guard(
        fetchInvoices(
          area.store,
          { limit: PAGE_SIZE, cursor, status: this.status || undefined },
          { signal, fetch: area.fetch },
        ),
      ),
    );
  }

  async load(): Promise<void> {
    if ((await this.area.check()) && this.area.seesFinance) await this.invoices.reload();
  }

  async filter(status: InvoiceStatus | ''): Promise<void> {
    this.status = status;
    await this.invoices.reload();
    if (!this.invoices.problem) {
      const count = this.invoices.items.length;
      this.announcement = `${count}${this.invoices.nextCursor ? '+' : ''} ${count === 1 ? 'invoice' : 'invoices'} shown.`;
    }
  }

  dispose(): void {
    this.invoices.dispose();
  }
}
