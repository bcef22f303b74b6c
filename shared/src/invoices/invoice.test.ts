import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../catalog/money.ts';
import { vatTreatment } from '../catalog/vat.ts';
import { invoiceAmounts, invoiceNumber, monthOf, monthPeriod } from './invoice.ts';

describe('invoiceAmounts', () => {
  it('rounds each line once, VAT once per rate, and adds up', () => {
    // Prepare
    const vat = vatTreatment('DE', { country: 'DE' });
    // Act
    const amounts = invoiceAmounts(
      [
        { description: 'VM', quantity: 2, unitNet: '10.005' },
        { description: 'Disk', quantity: 1, unitNet: '0.333' },
      ],
      vat,
      'EUR',
    );
    // Assess
    expect(amounts.lines.map((line) => line.net)).toEqual(['20.01', '0.33']);
    expect(amounts.taxes).toEqual([{ rate: '0.19', net: '20.34', tax: '3.86' }]);
    expect(amounts.totals).toEqual({ net: '20.34', tax: '3.86', gross: '24.20' });
  });

  it('charges no VAT under reverse charge and keeps the currency’s decimals', () => {
    const vat = vatTreatment('DE', { country: 'FR', vatId: 'FR12345678901', vatIdValid: true });
    const amounts = invoiceAmounts([{ description: 'VM', quantity: 1, unitNet: '1234.5' }], vat, 'JPY');
    expect(amounts.totals).toEqual({ net: '1235', tax: '0', gross: '1235' });
    expect(amounts.lines[0]?.taxRate).toBe('0');
  });

  it('always has gross = net + tax, and net = sum of the lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 1000 }),
            cents: fc.integer({ min: 0, max: 10_000_000 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.constantFrom('DE', 'FR', 'HU', 'US'),
        (lines, country) => {
          const amounts = invoiceAmounts(
            lines.map((line) => ({
              description: 'x',
              quantity: line.quantity,
              unitNet: (line.cents / 1000).toString(),
            })),
            vatTreatment('DE', { country }),
            'EUR',
          );
          const net = amounts.lines.reduce((sum, line) => sum.plus(line.net), decimal(0));
          expect(net.toFixed(2)).toBe(amounts.totals.net);
          expect(decimal(amounts.totals.net).plus(amounts.totals.tax).toFixed(2)).toBe(amounts.totals.gross);
        },
      ),
    );
  });
});

describe('invoice numbers and periods', () => {
  it('formats the year of issue and the padded sequence', () => {
    expect(invoiceNumber(42, '2026-03-01T00:00:00.000Z')).toBe('2026-000042');
    expect(invoiceNumber(1_234_567, '2027-01-01T00:00:00.000Z')).toBe('2027-1234567');
  });

  it('gives a month’s UTC bounds, across a year end', () => {
    expect(monthPeriod('2026-12')).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(monthOf('2026-02-28T23:59:59.999Z')).toBe('2026-02');
  });
});
