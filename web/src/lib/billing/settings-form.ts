/**
 * The billing settings form: text fields for people, checked here with messages that say what to
 * type, then turned into the API's `BillingSettings`.
 */
import type { BillingSettings } from '#lib/api/billing.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';

/** Currencies offered in the form even when the store sells in none of them yet. */
export const COMMON_CURRENCIES: readonly CurrencyCode[] = ['EUR', 'USD', 'GBP', 'CHF'];

export type NumberField = 'minimumRunwayHours' | 'lowBalanceRunwayHours' | 'graceHours' | 'retentionDays';
export type PriceField = `price_${string}`;
export type SettingsField = NumberField | PriceField | 'creditPrices';

export type SettingsForm = {
  /** What one credit costs, by currency; empty: no credits in that currency. */
  prices: Record<string, string>;
} & Record<NumberField, string>;

export const NUMBER_FIELDS: readonly {
  key: NumberField;
  label: string;
  unit: string;
  min: number;
  max: number;
  hint: string;
}[] = [
  {
    key: 'minimumRunwayHours',
    label: 'Minimum runway',
    unit: 'hours',
    min: 0,
    max: 2160,
    hint: 'A credits order needs the setup fees plus this many hours of running.',
  },
  {
    key: 'lowBalanceRunwayHours',
    label: 'Low-balance warning',
    unit: 'hours',
    min: 0,
    max: 2160,
    hint: 'Buyers are warned when their credits last less than this.',
  },
  {
    key: 'graceHours',
    label: 'Grace period',
    unit: 'hours',
    min: 0,
    max: 720,
    hint: 'Services keep running this long after the credits run out, then they are suspended.',
  },
  {
    key: 'retentionDays',
    label: 'Retention',
    unit: 'days',
    min: 1,
    max: 365,
    hint: 'Suspended services are terminated after this many days.',
  },
];

export const priceField = (currency: string): PriceField => `price_${currency}`;

/** The currencies the form shows: the store's, then the common ones it does not have yet. */
export function formCurrencies(settings: BillingSettings | undefined): string[] {
  const own = Object.keys(settings?.creditPrices ?? {});
  return [...own, ...COMMON_CURRENCIES.filter((currency) => !own.includes(currency))];
}

export function formOf(settings: BillingSettings): SettingsForm {
  const prices: Record<string, string> = {};
  for (const currency of formCurrencies(settings)) {
    prices[currency] = settings.creditPrices[currency as CurrencyCode] ?? '';
  }
  return {
    prices,
    minimumRunwayHours: String(settings.minimumRunwayHours),
    lowBalanceRunwayHours: String(settings.lowBalanceRunwayHours),
    graceHours: String(settings.graceHours),
    retentionDays: String(settings.retentionDays),
  };
}

const PRICE = /^\d{1,9}(\.\d{1,6})?$/;

/**
 * The settings the form says, or what to fix field by field.
 *
 * @example checkSettings({ prices: { EUR: '0,5' }, … }) // { errors: { price_EUR: 'Use a point…' } }
 */
export function checkSettings(
  form: SettingsForm,
):
  | { settings: BillingSettings; errors?: undefined }
  | { settings?: undefined; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  const creditPrices: Record<string, string> = {};
  for (const [currency, raw] of Object.entries(form.prices)) {
    const text = raw.trim();
    if (text === '') continue;
    if (/^\d+,\d+$/.test(text)) errors[priceField(currency)] = 'Use a point for decimals, e.g. 0.50.';
    else if (!PRICE.test(text)) errors[priceField(currency)] = 'Enter a price like 1.00 (up to 6 decimals).';
    else if (!/[1-9]/.test(text)) errors[priceField(currency)] = 'A credit must cost more than zero.';
    else creditPrices[currency] = text;
  }
  if (Object.keys(form.prices).every((currency) => form.prices[currency]?.trim() === '')) {
    errors.creditPrices = 'Set the price of a credit in at least one currency.';
  }
  const numbers = {} as Record<NumberField, number>;
  for (const field of NUMBER_FIELDS) {
    const text = form[field.key].trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < field.min || value > field.max) {
      errors[field.key] = `Enter whole ${field.unit} from ${field.min} to ${field.max}.`;
    } else {
      numbers[field.key] = value;
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { settings: { creditPrices: creditPrices as BillingSettings['creditPrices'], ...numbers } };
}

/** The label of any field of the form, a price field of any currency included ("Price in EUR"). */
export function settingsLabel(field: string): string {
  if (field.startsWith('price_')) return `Price of a credit in ${field.slice(6)}`;
  if (field === 'creditPrices') return 'Credit prices';
  return NUMBER_FIELDS.find((candidate) => candidate.key === field)?.label ?? field;
}

/** Labels for FormState, whose price fields depend on the store's currencies. */
export const SETTINGS_LABELS = new Proxy({} as Record<SettingsField, string>, {
  get: (_target, field) => (typeof field === 'string' ? settingsLabel(field) : undefined),
});
