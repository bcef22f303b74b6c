/**
 * Credit packs for people: what a pack gives (credits, bonus, cashback) and costs (net; VAT is
 * added at purchase), the Stripe return on the wallet and order pages, and the console's pack form
 * (text fields checked here, then turned into the API's body; field keys are the API's paths, so
 * the server's 400 issues land beside the same fields).
 */
import type { CreditPack, CreditPackBody } from '#lib/api/credits.ts';
import type { PaymentOptionsView } from '#lib/api/payments.ts';
import { formatMoney } from '#lib/catalog/money.ts';
import { localized } from '#shared/catalog/localized.ts';
import { creditsToString } from '#shared/credits/credit-units.ts';
import { cashbackUnits } from '#shared/credits/packs.ts';
import { COMMON_CURRENCIES } from './settings-form.ts';
import { creditsPhrase, formatCredits } from './view.ts';

export type PackOffer = {
  id: string;
  name: string;
  description: string;
  /** "900 credits + 100 bonus". */
  creditsLine: string;
  /** Credits paid for plus bonus (and cashback): what lands in the wallet. */
  total: string;
  /** "2 % back as credits (5.00 credits), valid 365 days". */
  cashbackLine?: string | undefined;
  /** The net price in the currency, formatted. */
  net: string;
};

const ZERO = /^0+(\.0+)?$/;

/** The pack as the wallet page offers it in `currency`; undefined when it has no price there. */
export function packOffer(pack: CreditPack, currency: string, locale: string): PackOffer | undefined {
  const price = pack.prices[currency as keyof CreditPack['prices']];
  if (price === undefined) return undefined;
  const bonus = ZERO.test(pack.bonusCredits) ? undefined : pack.bonusCredits;
  const cashback = creditsToString(cashbackUnits(pack));
  const total = addCredits(pack.credits, pack.bonusCredits);
  return {
    id: pack.id,
    name: localized(pack.name, locale, 'en'),
    description: localized(pack.description, locale, 'en'),
    creditsLine: bonus
      ? `${formatCredits(pack.credits, { locale })} credits + ${formatCredits(bonus, { locale })} bonus`
      : creditsPhrase(pack.credits, locale),
    total,
    cashbackLine: pack.cashback
      ? `${pack.cashback.percent} % back as credits (${creditsPhrase(cashback, locale)})${
          pack.cashback.expiresAfterDays ? `, valid ${pack.cashback.expiresAfterDays} days` : ''
        }`
      : undefined,
    net: formatMoney(price, currency, { locale }),
  };
}

/** Two credit amounts added on their hundredths (never floats): '900' + '100.50' → '1000.50'. */
export function addCredits(a: string, b: string): string {
  const hundredths = (value: string) => {
    const [whole = '0', fraction = ''] = value.split('.');
    return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
  };
  const sum = hundredths(a) + hundredths(b);
  return `${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`;
}

export type BuyMethod = 'card' | 'invoice';

/** The methods a credit pack can be bought with (never credits), with why one is off. */
export function buyMethods(
  options: PaymentOptionsView | undefined,
): { method: BuyMethod; available: boolean; message?: string | undefined; terms?: number | undefined }[] {
  if (!options) return [];
  return [
    { method: 'card', available: options.card.available, message: options.card.message },
    {
      method: 'invoice',
      available: options.invoice.available,
      message: options.invoice.message,
      terms: options.invoice.paymentTermsDays,
    },
  ];
}

/** Back from Stripe: `?purchase=cpp_…&payment=success|cancelled` (wallet) or `?payment=…` (order). */
export type PaymentReturn = { payment: 'success' | 'cancelled'; purchaseId?: string | undefined };

export function paymentReturn(search: Pick<URLSearchParams, 'get'>): PaymentReturn | undefined {
  const payment = search.get('payment');
  if (payment !== 'success' && payment !== 'cancelled') return undefined;
  const purchase = search.get('purchase');
  return { payment, ...(purchase && /^cpp_[0-9a-z]{26}$/.test(purchase) ? { purchaseId: purchase } : {}) };
}

/** Keys of the pack form's fields: the API's paths below `body`. */
export type PackFieldKey =
  | 'id'
  | 'name'
  | 'description'
  | 'credits'
  | 'bonusCredits'
  | 'prices'
  | `prices.${string}`
  | 'active'
  | 'position'
  | 'cashback.percent'
  | 'cashback.expiresAfterDays';

export type PackForm = {
  id: string;
  /** In the store's language; other languages of the pack are kept as they are. */
  name: string;
  description: string;
  credits: string;
  bonusCredits: string;
  prices: Record<string, string>;
  active: boolean;
  position: string;
  cashbackPercent: string;
  cashbackDays: string;
};

/**
 * The currencies the form shows: the store's (its credit prices), the pack's, then the common ones
 * (a price in a currency the store sells no credits in is refused by the API, beside its field).
 */
export function packCurrencies(storeCurrencies: readonly string[], pack?: CreditPack): string[] {
  return [...new Set([...storeCurrencies, ...Object.keys(pack?.prices ?? {}), ...COMMON_CURRENCIES])];
}

export function emptyPackForm(currencies: readonly string[], position = 0): PackForm {
  return {
    id: '',
    name: '',
    description: '',
    credits: '',
    bonusCredits: '0',
    prices: Object.fromEntries(currencies.map((currency) => [currency, ''])),
    active: true,
    position: String(position),
    cashbackPercent: '',
    cashbackDays: '',
  };
}

export function packFormOf(pack: CreditPack, currencies: readonly string[], language: string): PackForm {
  const prices: Record<string, string> = {};
  for (const currency of currencies)
    prices[currency] = pack.prices[currency as keyof CreditPack['prices']] ?? '';
  return {
    id: pack.id,
    name: localized(pack.name, language, 'en'),
    description: localized(pack.description, language, 'en'),
    credits: pack.credits,
    bonusCredits: pack.bonusCredits,
    prices,
    active: pack.active,
    position: String(pack.position),
    cashbackPercent: pack.cashback?.percent ?? '',
    cashbackDays: pack.cashback?.expiresAfterDays ? String(pack.cashback.expiresAfterDays) : '',
  };
}

const PACK_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
const CREDITS = /^\d{1,12}(\.\d{1,2})?$/;
const PRICE = /^\d{1,9}(\.\d{1,4})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const WHOLE = /^\d{1,5}$/;

/**
 * The pack's body for `PUT admin/credit-packs/{id}`, or what to fix field by field. `language` is
 * the store's; `existing` keeps the pack's other languages and guards against a lost update.
 *
 * @example checkPack({ …form, credits: '9,5' }, 'en').errors // Map { 'credits' => 'Use a point…' }
 */
export function checkPack(
  form: PackForm,
  language: string,
  existing?: CreditPack,
): { id: string; body: CreditPackBody; errors?: undefined } | { errors: Map<PackFieldKey, string> } {
  const errors = new Map<PackFieldKey, string>();
  const id = form.id.trim();
  if (!existing && !PACK_ID.test(id)) {
    errors.set('id', 'Use lowercase letters, digits and hyphens, like bulk-1000.');
  }
  const name = form.name.trim();
  if (name === '') errors.set('name', 'Give the pack a name buyers see.');
  const credits = form.credits.trim();
  const creditsProblem = creditsCheck(credits, false);
  if (creditsProblem) errors.set('credits', creditsProblem);
  const bonus = form.bonusCredits.trim() || '0';
  const bonusProblem = creditsCheck(bonus, true);
  if (bonusProblem) errors.set('bonusCredits', bonusProblem);

  const prices: Record<string, string> = {};
  for (const [currency, raw] of Object.entries(form.prices)) {
    const text = raw.trim();
    if (text === '') continue;
    if (/^\d+,\d+$/.test(text)) errors.set(`prices.${currency}`, 'Use a point for decimals, e.g. 90.00.');
    else if (!PRICE.test(text)) errors.set(`prices.${currency}`, 'Enter a net price like 90.00.');
    else if (!/[1-9]/.test(text)) errors.set(`prices.${currency}`, 'A pack must cost more than zero.');
    else prices[currency] = text;
  }
  if (Object.values(form.prices).every((price) => price.trim() === '')) {
    errors.set('prices', 'Set a net price in at least one currency.');
  }
  const position = form.position.trim() || '0';
  if (!WHOLE.test(position) || Number(position) > 10_000) {
    errors.set('position', 'Enter a whole number from 0 to 10000.');
  }
  const percent = form.cashbackPercent.trim();
  const days = form.cashbackDays.trim();
  if (percent !== '' && (!PERCENT.test(percent) || Number(percent) <= 0 || Number(percent) > 100)) {
    errors.set('cashback.percent', 'Enter a percentage above 0 and at most 100, like 2 or 2.5.');
  }
  if (days !== '' && (!WHOLE.test(days) || Number(days) < 1 || Number(days) > 3650)) {
    errors.set('cashback.expiresAfterDays', 'Enter whole days from 1 to 3650.');
  } else if (days !== '' && percent === '') {
    errors.set('cashback.percent', 'Set the cashback percentage, or leave the expiry empty.');
  }
  if (errors.size > 0) return { errors };

  const description = form.description.trim();
  const body: CreditPackBody = {
    name: { ...(existing?.name ?? {}), [language]: name },
    ...(description || existing?.description
      ? { description: withText(existing?.description, language, description) }
      : {}),
    credits,
    bonusCredits: bonus,
    prices: prices as CreditPackBody['prices'],
    active: form.active,
    position: Number(position),
    ...(percent ? { cashback: { percent, ...(days ? { expiresAfterDays: Number(days) } : {}) } } : {}),
    ...(existing ? { expectedRevision: existing.revision } : {}),
  };
  if (body.description && Object.keys(body.description).length === 0) delete body.description;
  return { id: existing?.id ?? id, body };
}

function creditsCheck(text: string, zeroAllowed: boolean): string | undefined {
  if (text === '') return 'Enter how many credits.';
  if (/^\d+,\d+$/.test(text)) return 'Use a point for decimals, e.g. 12.50.';
  if (!CREDITS.test(text)) return 'Enter credits like 900 or 12.50 (at most two decimals).';
  if (!zeroAllowed && ZERO.test(text)) return 'Enter more than zero.';
  return undefined;
}

/** A localized text with `language` set to `text`, or removed when `text` is empty. */
function withText(
  existing: Record<string, string> | undefined,
  language: string,
  text: string,
): Record<string, string> {
  const { [language]: _old, ...rest } = existing ?? {};
  return text ? { ...rest, [language]: text } : rest;
}

/** The label of any field of the pack form, a price in any currency included. */
export function packFieldLabel(key: string): string {
  if (key.startsWith('prices.')) return `Net price in ${key.slice(7)}`;
  return (
    (
      {
        id: 'Pack id',
        name: 'Name',
        description: 'Description',
        credits: 'Credits',
        bonusCredits: 'Bonus credits',
        prices: 'Prices',
        active: 'On sale',
        position: 'Position',
        'cashback.percent': 'Cashback',
        'cashback.expiresAfterDays': 'Cashback expires after',
      } as Record<string, string>
    )[key] ?? key
  );
}

/**
 * What the order page says after Stripe sent the buyer back (`?payment=…`), by the order's status
 * now; `waiting` while the page still asks for the payment's confirmation.
 */
export function orderPaymentNotice(
  back: PaymentReturn,
  status: string,
  waiting: boolean,
): { tone: 'ok' | 'info' | 'warning'; text: string } | undefined {
  if (status === 'cancelled') {
    return {
      tone: 'warning',
      text: 'The card payment did not go through: the order is cancelled and nothing was charged.',
    };
  }
  if (status === 'failed') return undefined; // the order's failure message says it
  if (status !== 'pending_payment') {
    return {
      tone: 'ok',
      text:
        status === 'completed'
          ? 'Payment received: your services are ready.'
          : 'Payment received: your services are being set up.',
    };
  }
  if (back.payment === 'cancelled') {
    return {
      tone: 'warning',
      text: 'You left the card payment page: the order waits for payment. Pay now, or it is cancelled when the payment page expires.',
    };
  }
  return waiting
    ? { tone: 'info', text: 'Waiting for the card payment to be confirmed. This takes a few seconds.' }
    : {
        tone: 'warning',
        text: 'The payment has not been confirmed yet. This page shows it once it is; reload it in a minute.',
      };
}
