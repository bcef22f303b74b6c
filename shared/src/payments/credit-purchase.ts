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
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'CreditPurchase' });
export type CreditPurchaseView = z.infer<typeof CreditPurchaseView>;
