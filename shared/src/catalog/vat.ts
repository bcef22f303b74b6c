/**
 * VAT on cloud services (electronically supplied services): which country's rate applies, or
 * whether the buyer accounts for it (reverse charge). Standard rates only; docs/pricing.md has the
 * rules and what they leave out.
 */
import { type Decimal, decimal } from './money.ts';
import { InvalidQuoteContextError } from './pricing-errors.ts';

/** When the rates below were last checked against the countries' tax authorities. */
export const VAT_RATES_CHECKED_ON = '2025-09-01';

/** Standard VAT rates, as fractions, of the EU member states (ISO 3166 codes: Greece is GR). */
export const EU_VAT_RATES: Readonly<Record<string, string>> = {
  AT: '0.20',
  BE: '0.21',
  BG: '0.20',
  CY: '0.19',
  CZ: '0.21',
  DE: '0.19',
  DK: '0.25',
  EE: '0.24',
  ES: '0.21',
  FI: '0.255',
  FR: '0.20',
  GR: '0.24',
  HR: '0.25',
  HU: '0.27',
  IE: '0.23',
  IT: '0.22',
  LT: '0.21',
  LU: '0.17',
  LV: '0.21',
  MT: '0.18',
  NL: '0.21',
  PL: '0.23',
  PT: '0.23',
  RO: '0.21',
  SE: '0.25',
  SI: '0.22',
  SK: '0.23',
};

/** Countries outside the EU whose VAT a foreign seller of digital services charges consumers. */
export const OTHER_VAT_RATES: Readonly<Record<string, string>> = { GB: '0.20', CH: '0.081', NO: '0.25' };

const rates = new Map(
  Object.entries({ ...EU_VAT_RATES, ...OTHER_VAT_RATES }).map(([country, rate]) => [country, decimal(rate)]),
);
const ZERO_RATE = decimal(0);

export type VatBuyer = {
  /** ISO 3166-1 alpha-2, e.g. 'DE' ('EL' is read as Greece). */
  country: string;
  vatId?: string;
  /** The VAT id was checked (VIES or the country's register) and is valid. */
  vatIdValid?: boolean;
};

/**
 * Why a rate applies:
 * - `domestic`: buyer and seller in the same country (or no buyer known: the seller's country);
 * - `destination`: a consumer abroad pays their own country's VAT (EU OSS, GB/CH/NO registration);
 * - `reverse_charge`: a business abroad with a valid VAT id accounts for VAT itself;
 * - `outside_scope`: a buyer in a country without VAT in this table: none is charged.
 */
export type VatRule = 'domestic' | 'destination' | 'reverse_charge' | 'outside_scope';

export type VatTreatment = { country: string; rate: Decimal; reverseCharge: boolean; rule: VatRule };

function countryCode(value: string, what: string): string {
  const code = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) {
    throw new InvalidQuoteContextError(
      'invalid_country',
      `${what} country must be an ISO 3166 code like DE, not "${value}"`,
    );
  }
  return code === 'EL' ? 'GR' : code;
}

/**
 * The VAT that applies to a sale.
 *
 * @example vatTreatment('DE', { country: 'FR' }) // FR 20 %, destination
 * @example vatTreatment('DE', { country: 'FR', vatId: 'FR12345678901', vatIdValid: true }) // 0, reverse charge
 */
export function vatTreatment(sellerCountry: string, buyer: VatBuyer | undefined): VatTreatment {
  const seller = countryCode(sellerCountry, 'The seller');
  const sellerRate = rates.get(seller);
  if (!sellerRate) {
    throw new InvalidQuoteContextError(
      'unsupported_seller_country',
      `Sellers must be established in the EU, GB, CH or NO, not ${seller}`,
    );
  }
  if (!buyer) return { country: seller, rate: sellerRate, reverseCharge: false, rule: 'domestic' };
  const country = countryCode(buyer.country, 'The buyer');
  if (country === seller) return { country, rate: sellerRate, reverseCharge: false, rule: 'domestic' };
  const buyerRate = rates.get(country);
  if (!buyerRate) return { country, rate: ZERO_RATE, reverseCharge: false, rule: 'outside_scope' };
  if (buyer.vatId && buyer.vatIdValid === true) {
    return { country, rate: ZERO_RATE, reverseCharge: true, rule: 'reverse_charge' };
  }
  return { country, rate: buyerRate, reverseCharge: false, rule: 'destination' };
}
