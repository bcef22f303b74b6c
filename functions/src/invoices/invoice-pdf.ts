/**
 * An invoice as a PDF (A4, pdf-lib's standard Helvetica): seller, buyer, number and dates, the
 * lines, VAT by rate, totals, and the reverse-charge note where the buyer accounts for VAT.
 * Pure: bytes in memory, no I/O.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { decimal } from '#shared/catalog/money.ts';
import type { InvoiceParty, InvoiceView } from '#shared/invoices/invoice.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const GREY = rgb(0.4, 0.4, 0.4);

/** Characters of WinAnsi (Windows-1252) beyond Latin-1: what the standard fonts can draw. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const encodable = (char: string): boolean => {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
};

/**
 * Text the standard fonts can encode: accents kept where WinAnsi has them (é, ü), otherwise the
 * base letter (ł → l is not decomposable: '?'), control characters as spaces.
 *
 * @example winAnsi('Łódź 😀') // '?odz ?'
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.replace(/[\t\r\n]+/g, ' ')) {
    if (encodable(char)) {
      out += char;
      continue;
    }
    const base = char
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .split('')
      .filter((part) => encodable(part))
      .join('');
    out += base.length > 0 ? base : '?';
  }
  return out;
}

const date = (at: string) => at.slice(0, 10);
const percent = (rate: string) => `${decimal(rate).times(100).toString()} %`;

type Column = { title: string; x: number; width: number; align: 'left' | 'right' };

/** Lays out lines of text top to bottom, starting a new page when one is full. */
class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly document: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = document.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number) {
    if (this.y - height >= MARGIN) return;
    this.page = this.document.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  text(
    value: string,
    options: {
      x?: number;
      size?: number;
      bold?: boolean;
      grey?: boolean;
      align?: 'left' | 'right';
      width?: number;
    } = {},
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const safe = winAnsi(value);
    let x = options.x ?? MARGIN;
    if (options.align === 'right') x = x + (options.width ?? 0) - font.widthOfTextAtSize(safe, size);
    this.page.drawText(safe, { x, y: this.y - size, size, font, color: options.grey ? GREY : rgb(0, 0, 0) });
  }

  /** Words wrapped to `width`; returns the lines. */
  wrap(value: string, width: number, size = 10): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of winAnsi(value).split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (this.regular.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  down(points: number) {
    this.y -= points;
  }

  rule() {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: GREY,
    });
  }
}

function party(writer: Writer, who: InvoiceParty, x: number, top: number) {
  const start = writer.y;
  writer.y = top;
  writer.text(who.name, { x, bold: true });
  writer.down(14);
  for (const line of who.address ?? []) {
    writer.text(line, { x });
    writer.down(13);
  }
  writer.text(`Country: ${who.country}`, { x });
  writer.down(13);
  if (who.vatId) {
    writer.text(`VAT id: ${who.vatId}`, { x });
    writer.down(13);
  }
  const end = writer.y;
  writer.y = Math.min(start, end);
  return end;
}

/**
 * Renders the invoice. `seller` and `buyer` are the parties printed (usually those the invoice
 * recorded when it was issued).
 *
 * @example const bytes = await renderInvoicePdf(invoice, invoice.seller, invoice.buyer);
 */
export async function renderInvoicePdf(
  invoice: InvoiceView,
  seller: InvoiceParty,
  buyer: InvoiceParty,
): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const title = `Invoice ${invoice.number}`;
  document.setTitle(winAnsi(title));
  document.setSubject(winAnsi(`${title} from ${seller.name} to ${buyer.name}`));
  document.setAuthor(winAnsi(seller.name));
  document.setCreator('Nimbus');
  document.setProducer('Nimbus (pdf-lib)');
  // Fixed dates: the same invoice renders to the same bytes.
  document.setCreationDate(new Date(invoice.issuedAt));
  document.setModificationDate(new Date(invoice.issuedAt));
  const writer = new Writer(
    document,
    await document.embedFont(StandardFonts.Helvetica),
    await document.embedFont(StandardFonts.HelveticaBold),
  );
  const right = A4[0] - MARGIN;
  const { currency } = invoice;

  // Seller top left, the invoice's identity top right.
  const top = writer.y;
  const sellerEnd = party(writer, seller, MARGIN, top);
  writer.y = top;
  const labelX = right - 200;
  const facts: Array<[string, string]> = [
    ['Invoice number', invoice.number],
    ['Issued', date(invoice.issuedAt)],
    ['Due', date(invoice.dueAt)],
    ...(invoice.period
      ? [
          [
            'Period',
            `${date(invoice.period.from)} to ${date(new Date(Date.parse(invoice.period.to) - 1).toISOString())}`,
          ] as [string, string],
        ]
      : []),
    [
      'Status',
      invoice.status === 'paid'
        ? `Paid ${invoice.paidAt ? date(invoice.paidAt) : ''}`.trim()
        : invoice.status,
    ],
  ];
  writer.text('INVOICE', { x: labelX, size: 16, bold: true });
  writer.down(24);
  for (const [label, value] of facts) {
    writer.text(label, { x: labelX, grey: true });
    writer.text(value, { x: labelX + 90, width: 110, align: 'right' });
    writer.down(13);
  }
  writer.y = Math.min(writer.y, sellerEnd) - 20;

  writer.text('Bill to', { grey: true });
  writer.down(14);
  party(writer, buyer, MARGIN, writer.y);
  writer.down(16);

  const columns: Column[] = [
    { title: 'Description', x: MARGIN, width: 235, align: 'left' },
    { title: 'Qty', x: MARGIN + 240, width: 40, align: 'right' },
    { title: `Unit net (${currency})`, x: MARGIN + 285, width: 85, align: 'right' },
    { title: `Net (${currency})`, x: MARGIN + 375, width: 70, align: 'right' },
    { title: 'VAT', x: MARGIN + 450, width: right - MARGIN - 450, align: 'right' },
  ];
  const header = () => {
    for (const column of columns) writer.text(column.title, { ...column, bold: true });
    writer.down(15);
    writer.rule();
    writer.down(5);
  };
  header();
  for (const line of invoice.lines) {
    const description = writer.wrap(line.description, columns[0]?.width ?? 235);
    const height = description.length * 12 + 4;
    if (writer.y - height < MARGIN) {
      writer.ensure(height + 40);
      header();
    }
    const cells = [String(line.quantity), line.unitNet, line.net, percent(line.taxRate)];
    cells.forEach((cell, index) => {
      const column = columns[index + 1] as Column;
      writer.text(cell, { x: column.x, width: column.width, align: 'right' });
    });
    for (const text of description) {
      writer.text(text);
      writer.down(12);
    }
    writer.down(4);
  }
  writer.rule();
  writer.down(10);

  const totalsX = right - 230;
  const amount = (label: string, value: string, bold = false) => {
    writer.ensure(14);
    writer.text(label, { x: totalsX, bold });
    writer.text(`${value} ${currency}`, { x: totalsX + 110, width: 120, align: 'right', bold });
    writer.down(14);
  };
  amount('Net total', invoice.totals.net);
  for (const tax of invoice.taxes) amount(`VAT ${percent(tax.rate)} on ${tax.net}`, tax.tax);
  amount('Total', invoice.totals.gross, true);
  writer.down(16);

  const notes: string[] = [];
  if (invoice.vat.reverseCharge) {
    notes.push(
      'Reverse charge: VAT is to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC).',
    );
  } else if (invoice.vat.rule === 'outside_scope') {
    notes.push(`Not subject to VAT here: the service is supplied to ${invoice.vat.country}.`);
  }
  if (invoice.status === 'paid') notes.push('Paid, thank you.');
  else if (invoice.status === 'void') notes.push('This invoice is void.');
  else if (invoice.paymentMethod === 'invoice')
    notes.push(
      `Please pay ${invoice.totals.gross} ${currency} by ${date(invoice.dueAt)}, quoting ${invoice.number}.`,
    );
  else if (invoice.paymentMethod === 'card') notes.push('Charged to the card on file.');
  for (const note of notes) {
    for (const line of writer.wrap(note, right - MARGIN)) {
      writer.ensure(13);
      writer.text(line);
      writer.down(13);
    }
  }
  return document.save();
}
