/**
 * Credit packs: what a merchant sells credits in. A pack has credits, optional bonus credits (the
 * volume discount: 900 credits + 100 bonus for the price of 900) and a net price per currency;
 * VAT is added at purchase by the pricing engine's rules ({@link priceCreditPack}). An optional
 * cashback rule gives a share of the pack's credits back as a grant when it is bought.
 */
import * as z from 'zod';
import { LocalizedText } from '../catalog/catalog.ts';
import {
  CurrencyCode,
  decimal,
  formatMinorUnits,
  minorUnitExponent,
  PricingDecimal,
  roundToMinorUnit,
  toDecimalString,
} from '../catalog/money.ts';
import { CurrencyNotOfferedError } from '../catalog/pricing-errors.ts';
import { type VatBuyer, vatTreatment } from '../catalog/vat.ts';
import { CreditAmount, type CreditUnits, creditsToString, parseCredits } from './credit-units.ts';

/** A pack's handle, chosen by the merchant: `starter`, `bulk-1000`. */
export const CreditPackId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lowercase letters, digits and hyphens, like "bulk-1000"')
  .meta({ example: 'bulk-1000' });

/** A net price; checked against the currency's decimals when saved. */
const PackPrice = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,4})?$/, 'a price like "90.00"')
  .meta({ example: '900.00' });

export const CashbackRule = z
  .object({
    /** Share of the pack's (paid) credits granted back at purchase, in percent: '5' or '2.5'. */
    percent: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,2})?$/, 'a percentage like "5" or "2.5"')
      .refine((value) => Number(value) > 0 && Number(value) <= 100, 'more than 0 and at most 100'),
    /** The cashback credits expire this many days after the purchase (none: they do not expire). */
    expiresAfterDays: z.number().int().min(1).max(3_650).optional(),
  })
  .strict()
  .meta({ id: 'CashbackRule' });
export type CashbackRule = z.infer<typeof CashbackRule>;

export const CreditPackInput = z
  .object({
    name: LocalizedText,
    description: LocalizedText.optional(),
    /** Credits the buyer pays for. */
    credits: CreditAmount,
    /** Credits on top, free: the volume discount. */
    bonusCredits: CreditAmount.default('0'),
    /** Net price per currency (VAT is added at purchase): `{ EUR: '900.00', USD: '990.00' }`. */
    prices: z.partialRecord(CurrencyCode, PackPrice),
    /** Inactive packs are not offered to buyers. */
    active: z.boolean().default(true),
    /** Order on the page, ascending. */
    position: z.number().int().min(0).max(10_000).default(0),
    cashback: CashbackRule.optional(),
    /** The revision the change was made on: a 409 when someone changed the pack since. */
    expectedRevision: z.number().int().positive().optional(),
  })
  .strict()
  .meta({ id: 'CreditPackInput' });
export type CreditPackInput = z.infer<typeof CreditPackInput>;

export const CreditPack = CreditPackInput.omit({ expectedRevision: true })
  .extend({
    id: CreditPackId,
    revision: z.number().int().positive(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'CreditPack' });
export type CreditPack = z.infer<typeof CreditPack>;

export const CreditPackList = z
  .object({
    items: z.array(CreditPack),
    /** Prices are net: VAT is added at purchase (by the buyer's country and VAT id). */
    pricesIncludeVat: z.literal(false),
  })
  .meta({ id: 'CreditPackList' });

export const CreditPackQuote = z
  .object({
    packId: CreditPackId,
    currency: CurrencyCode,
    credits: CreditAmount,
    bonus: CreditAmount,
    /** Granted at purchase by the pack's cashback rule ('0.00' without one). */
    cashback: CreditAmount,
    net: z.string(),
    tax: z
      .object({
        country: z.string(),
        rate: z.string(),
        amount: z.string(),
        reverseCharge: z.boolean(),
        rule: z.enum(['domestic', 'destination', 'reverse_charge', 'outside_scope']),
      })
      .strict(),
    gross: z.string(),
  })
  .strict()
  .meta({ id: 'CreditPackQuote' });
export type CreditPackQuote = z.infer<typeof CreditPackQuote>;

/** Whole hundredths of the pack's cashback: rounded down, never more than promised. */
export function cashbackUnits(pack: Pick<CreditPack, 'credits' | 'cashback'>): CreditUnits {
  if (!pack.cashback) return 0;
  return decimal(parseCredits(pack.credits))
    .times(pack.cashback.percent)
    .div(100)
    .toDecimalPlaces(0, PricingDecimal.ROUND_DOWN)
    .toNumber();
}

/**
 * What buying a pack costs a buyer: the net price in the currency, VAT by the same rules as a
 * quote (seller country, buyer country and VAT id; a visitor pays the seller country's VAT),
 * rounded once to the currency.
 *
 * @example priceCreditPack(bulk, 'EUR', { sellerCountry: 'DE', buyer: { country: 'DE' } })
 * // { credits: '900.00', bonus: '100.00', cashback: '0.00', net: '900.00', tax: { rate: '0.19', amount: '171.00', … }, gross: '1071.00' }
 */
export function priceCreditPack(
  pack: Pick<CreditPack, 'id' | 'credits' | 'bonusCredits' | 'prices' | 'cashback'>,
  currency: CurrencyCode,
  context: { sellerCountry: string; buyer?: VatBuyer },
): CreditPackQuote {
  const price = pack.prices[currency];
  if (price === undefined) throw new CurrencyNotOfferedError(currency, Object.keys(pack.prices));
  const net = roundToMinorUnit(decimal(price), currency);
  const vat = vatTreatment(context.sellerCountry, context.buyer);
  const tax = roundToMinorUnit(net.times(vat.rate), currency);
  return {
    packId: pack.id,
    currency,
    credits: creditsToString(parseCredits(pack.credits)),
    bonus: creditsToString(parseCredits(pack.bonusCredits)),
    cashback: creditsToString(cashbackUnits(pack)),
    net: formatMinorUnits(net, currency),
    tax: {
      country: vat.country,
      rate: toDecimalString(vat.rate),
      amount: formatMinorUnits(tax, currency),
      reverseCharge: vat.reverseCharge,
      rule: vat.rule,
    },
    gross: formatMinorUnits(net.plus(tax), currency),
  };
}

/** Problems with a pack's prices: decimals beyond the currency, zero. Paths like `body.prices.EUR`. */
export function packPriceIssues(
  prices: CreditPack['prices'],
): Array<{ path: string; message: string; code: string }> {
  return Object.entries(prices).flatMap(([currency, price]) => {
    const path = `body.prices.${currency}`;
    const value = decimal(price as string);
    if (value.decimalPlaces() > minorUnitExponent(currency as CurrencyCode)) {
      return [
        {
          path,
          message: `${currency} has ${minorUnitExponent(currency as CurrencyCode)} decimals`,
          code: 'too_many_decimals',
        },
      ];
    }
    if (!value.gt(0)) return [{ path, message: 'must be more than zero', code: 'not_positive' }];
    return [];
  });
}
