/**
 * Pure view logic of the money pages: credit amounts and runways for people, which actions a
 * service offers in its state, what a refused checkout means, and the test clock's durations.
 */
import type { ApiProblem } from '#lib/api/http.ts';
import { isRecord } from '#lib/api/http.ts';
import type { PaymentMethod } from '#lib/api/orders.ts';
import type { SubscriptionState } from '#lib/api/services.ts';
import { type Fact, itemFacts } from '#lib/catalog/basket-view.ts';
import { humanizeKey } from '#lib/catalog/configuration.ts';
import { formatQuantity, roundDecimalString } from '#lib/catalog/money.ts';
import { AdvanceClockRequest } from '#shared/billing/settings.ts';
import { canTransition } from '#shared/subscriptions/lifecycle.ts';

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A credit amount (a decimal string, never a float) for people, with grouping: '1234.5' →
 * '1,234.50'. `places` rounds (half up) first; `signed` puts a + before positive amounts.
 *
 * @example formatCredits('-12.5', { signed: true }) // '−12.50'
 */
export function formatCredits(
  amount: string,
  {
    locale,
    places = 2,
    signed = false,
  }: { locale?: string | undefined; places?: number; signed?: boolean } = {},
): string {
  const match = DECIMAL.exec(roundDecimalString(amount.trim(), places));
  if (!match) return amount;
  const [, minus, integer = '0', fraction = ''] = match;
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(integer));
  const separator =
    new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  const digits = fraction.padEnd(Math.min(places, 2), '0');
  const zero = /^0*$/.test(`${integer}${fraction}`);
  const sign = minus && !zero ? '−' : signed && !zero ? '+' : '';
  return `${sign}${grouped}${digits ? `${separator}${digits}` : ''}`;
}

/** "12.50 credits", "1 credit". */
export function creditsPhrase(amount: string, locale?: string): string {
  return `${formatCredits(amount, { locale })} ${/^1(\.0+)?$/.test(amount) ? 'credit' : 'credits'}`;
}

/**
 * How long a balance lasts: "No running costs" without burn, "less than an hour", "30 hours",
 * "3 days, 4 hours".
 */
export function formatRunway(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return 'No running costs';
  if (hours < 1) return 'less than an hour';
  const whole = Math.floor(hours);
  if (whole < 48) return `${whole} ${whole === 1 ? 'hour' : 'hours'}`;
  const days = Math.floor(whole / 24);
  const rest = whole % 24;
  return `${days} days${rest ? `, ${rest} ${rest === 1 ? 'hour' : 'hours'}` : ''}`;
}

export type ServiceActions = { start: boolean; stop: boolean; resize: boolean; cancel: boolean };

/** What the buyer can do to a service in `state` (the API refuses the rest with 409). */
export function serviceActions(state: SubscriptionState): ServiceActions {
  return {
    start: canTransition(state, 'start'),
    stop: canTransition(state, 'stop'),
    resize: canTransition(state, 'resize'),
    cancel: canTransition(state, 'terminate'),
  };
}

/** What a refused checkout means for the page. */
export type CheckoutRefusal =
  | { kind: 'insufficient_credits'; missing: string; required: string; balance: string; message: string }
  | { kind: 'payment_method_unavailable'; method: PaymentMethod; message: string }
  | { kind: 'basket_changed' | 'basket_not_ready' | 'basket_empty'; message: string }
  | { kind: 'other'; problem: ApiProblem };

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function checkoutRefusal(problem: ApiProblem, method: PaymentMethod): CheckoutRefusal {
  if (problem.kind !== 'http' || problem.status !== 409) return { kind: 'other', problem };
  const details = isRecord(problem.details) ? problem.details : {};
  const { code, message } = problem;
  if (code === 'insufficient_credits') {
    const missing = str(details.missing);
    const required = str(details.required);
    const balance = str(details.balance);
    if (missing && required && balance) return { kind: code, missing, required, balance, message };
  }
  if (code === 'payment_method_unavailable') {
    const named = str(details.paymentMethod);
    const chosen = named === 'card' || named === 'invoice' || named === 'credits' ? named : method;
    return { kind: code, method: chosen, message };
  }
  if (code === 'basket_changed' || code === 'basket_not_ready' || code === 'basket_empty') {
    return { kind: code, message };
  }
  return { kind: 'other', problem };
}

/** The test clock's one-click advances. */
export const CLOCK_PRESETS = [
  { label: '1 hour', by: 'PT1H' },
  { label: '1 day', by: 'P1D' },
  { label: '30 days', by: 'P30D' },
] as const;

/** Why a typed duration cannot be sent, or undefined when it can. */
export function checkDuration(text: string): string | undefined {
  const value = text.trim().toUpperCase();
  if (value === '') return 'Enter a duration, e.g. P2D or PT6H.';
  // The API's own grammar (weeks, days, hours, minutes, seconds); "P" alone or a bare "T" says nothing.
  if (!AdvanceClockRequest.safeParse({ by: value }).success || value === 'P' || value.endsWith('T')) {
    return 'Use an ISO 8601 duration: P2D is 2 days, PT6H 6 hours, P1DT12H a day and a half.';
  }
  if (!/[1-9]/.test(value)) return 'Advance by more than zero.';
  return undefined;
}

/** "3 days, 2 hours ahead of real time"; "in step with real time" at 0. */
export function formatAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes <= 0) return 'in step with real time';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
    rest && !days ? `${rest} ${rest === 1 ? 'minute' : 'minutes'}` : '',
  ].filter(Boolean);
  return `${parts.join(', ') || 'less than a minute'} ahead of real time`;
}

type Shape = {
  dimensions: readonly { key: string; label: string; unit: string }[];
  options: readonly {
    key: string;
    label: string;
    type: string;
    choices?: readonly { key: string; label: string }[] | undefined;
  }[];
};

/**
 * What a service or an ordered item is, in the product's words ("RAM: 4 GB", "Operating system:
 * Linux") when the product is known, else from the raw configuration (a retired product).
 */
export function configurationFacts(
  item: Pick<Parameters<typeof itemFacts>[0], 'configuration' | 'inputs'>,
  product: Shape | undefined,
  locale?: string,
): Fact[] {
  if (!product) return itemFacts(item, locale);
  const facts: Fact[] = [];
  for (const dimension of product.dimensions) {
    const value = item.configuration.dimensions?.[dimension.key];
    if (value !== undefined)
      facts.push({ label: dimension.label, value: formatQuantity(value, dimension.unit, locale) });
  }
  for (const option of product.options) {
    const value = item.configuration.options?.[option.key];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    const choice = (key: string) => option.choices?.find((candidate) => candidate.key === key)?.label ?? key;
    const text = value === true ? 'Yes' : Array.isArray(value) ? value.map(choice).join(', ') : choice(value);
    facts.push({ label: option.label, value: text });
  }
  for (const [key, value] of Object.entries(item.inputs)) {
    if (value) facts.push({ label: humanizeKey(key), value });
  }
  return facts;
}
