/** The demo store's credit packs (a credit costs 1.00 in EUR and USD there): seeded by `npm start`. */
import type * as z from 'zod';
import type { CreditPackInput } from './packs.ts';

export const demoCreditPacks: Array<{ id: string } & z.input<typeof CreditPackInput>> = [
  {
    id: 'starter-100',
    name: { en: '100 credits', de: '100 Credits' },
    description: { en: 'To try things out.', de: 'Zum Ausprobieren.' },
    credits: '100',
    prices: { EUR: '100.00', USD: '100.00' },
    position: 10,
  },
  {
    id: 'bulk-1000',
    name: { en: '1,000 credits for the price of 900', de: '1.000 Credits zum Preis von 900' },
    description: {
      en: '900 credits plus 100 bonus credits: 10 % off in bulk.',
      de: '900 Credits plus 100 Bonus-Credits: 10 % Mengenrabatt.',
    },
    credits: '900',
    bonusCredits: '100',
    prices: { EUR: '900.00', USD: '900.00' },
    position: 20,
  },
  {
    id: 'business-5000',
    name: { en: '5,000 credits, 2 % cashback', de: '5.000 Credits, 2 % Cashback' },
    description: {
      en: '4,250 credits plus 750 bonus credits, and 2 % of the credits back after purchase (valid one year).',
      de: '4.250 Credits plus 750 Bonus-Credits und 2 % der Credits zurück nach dem Kauf (ein Jahr gültig).',
    },
    credits: '4250',
    bonusCredits: '750',
    prices: { EUR: '4250.00', USD: '4250.00' },
    position: 30,
    cashback: { percent: '2', expiresAfterDays: 365 },
  },
];
