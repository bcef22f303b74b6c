/**
 * Checking the browser's price against the server's. The browser quotes with the shared engine on
 * every change; for a signed-in buyer the server's quote (VAT by their account) confirms it. The
 * server's VAT treatment tells the engine who the buyer is, so both price the same way.
 */
import type { Quote } from '#shared/catalog/quote.ts';
import type { VatBuyer } from '#shared/catalog/vat.ts';

/**
 * A buyer the engine treats as the server did: same country, and a checked VAT id when the server
 * applied the reverse charge (the id itself stays on the server).
 *
 * @example buyerFromTax({ country: 'FR', rule: 'reverse_charge', reverseCharge: true, … })
 * // { country: 'FR', vatId: 'on file', vatIdValid: true }
 */
export function buyerFromTax(tax: Pick<Quote['tax'], 'country' | 'reverseCharge'>): VatBuyer {
  return tax.reverseCharge
    ? { country: tax.country, vatId: 'on file', vatIdValid: true }
    : { country: tax.country };
}

export const sameBuyer = (a: VatBuyer | undefined, b: VatBuyer | undefined): boolean =>
  a?.country === b?.country && Boolean(a?.vatIdValid) === Boolean(b?.vatIdValid);

/** Amounts that differ between two quotes of the same configuration (none: they agree). */
export function quoteDifferences(browser: Quote, server: Quote): string[] {
  const pairs: [string, string, string][] = [
    ['hourly', browser.hourly, server.hourly],
    ['monthly estimate', browser.monthlyEstimate, server.monthlyEstimate],
    ['setup', browser.setup, server.setup],
    ['VAT', browser.totals.tax, server.totals.tax],
    ['first month', browser.totals.gross, server.totals.gross],
  ];
  const differences = pairs.filter(([, a, b]) => !sameDecimal(a, b)).map(([name]) => name);
  if (browser.currency !== server.currency) differences.unshift('currency');
  return differences;
}

/** '0.0886' equals '0.08860': decimal strings compared by value, without floats. */
export function sameDecimal(a: string, b: string): boolean {
  const normal = (text: string) => {
    const [integer = '0', fraction = ''] = text.replace(/^-/, '').split('.');
    const value = `${integer.replace(/^0+(?=\d)/, '')}.${fraction.replace(/0+$/, '')}`;
    return /^0\.$/.test(value) ? '0.' : `${text.startsWith('-') ? '-' : ''}${value}`;
  };
  return normal(a) === normal(b);
}

/** A stable key of a configuration + currency, to tell whether a server answer is still current. */
export function quoteKey(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    entry && typeof entry === 'object' && !Array.isArray(entry)
      ? Object.fromEntries(
          Object.entries(entry as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : entry,
  );
}
