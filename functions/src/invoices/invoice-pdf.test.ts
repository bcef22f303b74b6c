import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { InvoiceView } from '#shared/invoices/invoice.ts';
import { renderInvoicePdf, winAnsi } from './invoice-pdf.ts';

const invoice: InvoiceView = {
  id: 'ivc_01jd2x0000000000000000000a',
  number: '2026-000042',
  sequence: 42,
  customerId: 'cus_1',
  currency: 'EUR',
  status: 'open',
  paymentMethod: 'invoice',
  issuedAt: '2026-04-01T00:00:00.000Z',
  dueAt: '2026-04-15T00:00:00.000Z',
  period: { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
  source: { kind: 'usage', id: 'cus_1#EUR#2026-03' },
  seller: { name: 'Demo Cloud GmbH', country: 'DE', address: ['Hauptstraße 1', '10115 Berlin'] },
  buyer: { name: 'Łukasz Żółć sp. z o.o.', country: 'PL', vatId: 'PL1234567890' },
  lines: [
    {
      description: 'Virtual server (sub_1), March 2026',
      quantity: 1,
      unitNet: '73.00',
      net: '73.00',
      taxRate: '0',
    },
  ],
  taxes: [{ rate: '0', net: '73.00', tax: '0.00' }],
  vat: { country: 'PL', rule: 'reverse_charge', reverseCharge: true },
  totals: { net: '73.00', tax: '0.00', gross: '73.00' },
};

/** The text drawn on each page: pdf-lib writes standard-font text as hex strings shown with Tj. */
function pageTexts(document: PDFDocument): string[] {
  return document.getPages().map((page) => {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    let text = '';
    for (const ref of refs) {
      const stream = document.context.lookup(ref as PDFRef);
      if (!(stream instanceof PDFRawStream)) continue;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const raw =
        filter === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : Buffer.from(stream.contents);
      for (const match of raw.toString('latin1').matchAll(/<([0-9A-Fa-f]*)> Tj/g)) {
        text += `${Buffer.from(match[1] ?? '', 'hex').toString('latin1')}\n`;
      }
    }
    return text;
  });
}

describe('renderInvoicePdf', () => {
  it('draws number, dates, parties, lines, VAT, totals and the reverse-charge note on an A4 page', async () => {
    // Act
    const bytes = await renderInvoicePdf(invoice, invoice.seller, invoice.buyer);
    // Assess
    const document = await PDFDocument.load(bytes);
    expect(document.getPageCount()).toBe(1);
    const [width, height] = [document.getPage(0).getWidth(), document.getPage(0).getHeight()];
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(document.getTitle()).toBe('Invoice 2026-000042');
    const text = pageTexts(document)[0] ?? '';
    for (const expected of [
      '2026-000042',
      '2026-04-01',
      '2026-04-15',
      '2026-03-01 to 2026-03-31',
      'Demo Cloud GmbH',
      'Hauptstraße 1',
      'VAT id: PL1234567890',
      'Virtual server (sub_1), March 2026',
      '73.00 EUR',
      'Reverse charge',
    ]) {
      expect(text).toContain(expected);
    }
    // Letters WinAnsi lacks become their base letter (or '?'), never an encoding error.
    expect(text).toContain('?ukasz Zó?c sp. z o.o.');
  });

  it('starts new pages when the lines do not fit, and says how to pay an open invoice', async () => {
    const lines = Array.from({ length: 80 }, (_, index) => ({
      ...(invoice.lines[0] as InvoiceView['lines'][number]),
      description: `Service number ${index + 1} with a rather long description that has to wrap onto a second line`,
    }));
    const domestic: InvoiceView = {
      ...invoice,
      lines,
      vat: { country: 'DE', rule: 'domestic', reverseCharge: false },
    };
    const document = await PDFDocument.load(
      await renderInvoicePdf(domestic, domestic.seller, domestic.buyer),
    );
    expect(document.getPageCount()).toBeGreaterThan(1);
    const all = pageTexts(document).join('');
    expect(all).toContain('Service number 80');
    expect(all).not.toContain('Reverse charge');
    expect(all).toContain('Please pay 73.00 EUR by 2026-04-15');
  });

  it('turns what WinAnsi cannot encode into something it can', () => {
    expect(winAnsi('Łódź — 5 € 😀\nnext')).toBe('?ódz — 5 € ? next');
    expect(winAnsi('Crème brûlée')).toBe('Crème brûlée');
  });
});
