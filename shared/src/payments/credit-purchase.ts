/** Buying a credit pack: by card (Stripe Checkout) or on account (an invoice), never with credits. */
import * as z from 'zod';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';
import { CreditAmount } from '../credits/credit-units.ts';
import { CreditPackId } from '../credits/packs.ts';

export const CreditPurchaseId = z.string().regex(/^cpp_[0-9a-z]{26}$/, 'must be a cpp_… id');

export const BuyCreditPackRequest = z
  .object({
    paymentMethod: z.enum(['card', 'invoice']),
    /** Default: the store's default currency. */
    currency: CurrencyCode.optional(),
  })
  .strict()
  .meta({ id: 'BuyCreditPackRequest' });
export type BuyCreditPackRequest = z.infer<typeof BuyCreditPackRequest>;

export const CreditPurchaseView = z
  .object({
    id: CreditPurchaseId,
    customerId: z.string(),
    packId: CreditPackId,
    packName: z.string(),
    paymentMethod: z.enum(['card', 'invoice']),
    /** pending_payment (card, until Stripe says paid) → paid; cancelled when the session expires. */
    status: z.enum(['pending_payment', 'paid', 'cancelled']),
    currency: CurrencyCode,
    credits: CreditAmount,
    bonus: CreditAmount,
    cashback: CreditAmount,
    net: DecimalString,
    tax: DecimalString,
    gross: DecimalString,
    /** Card: where the buyer pays. */
    checkoutUrl: z.string().optional(),
    /** Once paid (card) or at once (on account). */
    invoiceId: z.string().optional(),
    /** Credits are in the wallet. */
    credited: z.boolean(),
    /** Bought by the wallet's auto top-up, with the saved card. */
    automatic: z.boolean().optional(),
    /** Why a cancelled purchase was not paid (a declined card, say). */
    failure: z.string().optional(),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'CreditPurchase' });
export type CreditPurchaseView = z.infer<typeof CreditPurchaseView>;

export const SetAutoTopUpRequest = z
  .object({
    enabled: z.boolean(),
    /** When the balance drops below this many credits… */
    belowCredits: CreditAmount.optional(),
    /** …this pack is bought with the card saved by an earlier card payment. */
    packId: CreditPackId.optional(),
    /** Default: the store's default currency. */
    currency: CurrencyCode.optional(),
  })
  .strict()
  .refine(
    (request) => !request.enabled || (request.belowCredits !== undefined && request.packId !== undefined),
    {
      message: 'auto top-up needs belowCredits and packId',
      path: ['packId'],
    },
  )
  .meta({ id: 'SetAutoTopUpRequest' });
export type SetAutoTopUpRequest = z.infer<typeof SetAutoTopUpRequest>;
