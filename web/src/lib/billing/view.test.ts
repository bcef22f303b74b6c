import { describe, expect, it } from 'vitest';
import { checkSettings, formCurrencies, formOf, SETTINGS_LABELS } from './settings-form.ts';
import {
  checkDuration,
  checkoutRefusal,
  configurationFacts,
  creditsPhrase,
  formatAhead,
  formatCredits,
  formatRunway,
  serviceActions,
} from './view.ts';
import { SERVICE_STATE } from './words.ts';

describe('credit amounts', () => {
  it('group, pad and sign decimal strings without floats', () => {
    expect(formatCredits('1234.5', { locale: 'en' })).toBe('1,234.50');
    expect(formatCredits('-19', { locale: 'en' })).toBe('−19.00');
    expect(formatCredits('100', { locale: 'en', signed: true })).toBe('+100.00');
    expect(formatCredits('0.00', { locale: 'en', signed: true })).toBe('0.00');
    expect(formatCredits('12345678901.25', { locale: 'de' })).toBe('12.345.678.901,25');
    // A burn rate keeps more places and rounds half up.
    expect(formatCredits('0.07665', { locale: 'en', places: 4 })).toBe('0.0767');
    expect(creditsPhrase('1.00', 'en')).toBe('1.00 credit');
    expect(creditsPhrase('20.84', 'en')).toBe('20.84 credits');
  });

  it('say how long a balance lasts', () => {
    expect(formatRunway(undefined)).toBe('No running costs');
    expect(formatRunway(0.4)).toBe('less than an hour');
    expect(formatRunway(30.9)).toBe('30 hours');
    expect(formatRunway(76)).toBe('3 days, 4 hours');
    expect(formatRunway(72)).toBe('3 days');
  });
});

describe('service actions', () => {
  it('follow the shared lifecycle', () => {
    expect(serviceActions('active')).toEqual({ start: false, stop: true, resize: true, cancel: true });
    expect(serviceActions('stopped')).toEqual({ start: true, stop: false, resize: true, cancel: true });
    expect(serviceActions('terminated')).toEqual({ start: false, stop: false, resize: false, cancel: false });
    expect(SERVICE_STATE.active.word).toBe('Running');
  });
});

describe('a refused checkout', () => {
  const conflict = (code: string, details?: unknown) =>
    ({ kind: 'http', status: 409, code, message: `m:${code}`, details }) as const;

  it('says how many credits are missing', () => {
    const refusal = checkoutRefusal(
      conflict('insufficient_credits', { required: '20.84', balance: '5.00', missing: '15.84' }),
      'credits',
    );
    expect(refusal).toMatchObject({ kind: 'insufficient_credits', missing: '15.84', balance: '5.00' });
  });

  it('names the payment method the store refused, with the server’s message', () => {
    expect(
      checkoutRefusal(conflict('payment_method_unavailable', { paymentMethod: 'card' }), 'card'),
    ).toEqual({
      kind: 'payment_method_unavailable',
      method: 'card',
      message: 'm:payment_method_unavailable',
    });
    expect(checkoutRefusal(conflict('payment_method_unavailable'), 'invoice')).toMatchObject({
      method: 'invoice',
    });
  });

  it('passes anything else on as a problem', () => {
    expect(checkoutRefusal(conflict('basket_changed'), 'credits').kind).toBe('basket_changed');
    expect(checkoutRefusal(conflict('insufficient_credits', {}), 'credits').kind).toBe('other');
    expect(checkoutRefusal({ kind: 'unreachable', message: 'x' }, 'credits').kind).toBe('other');
  });
});

describe('test clock', () => {
  it('accepts the API’s durations and explains the rest', () => {
    expect(checkDuration('P2D')).toBeUndefined();
    expect(checkDuration('pt6h')).toBeUndefined();
    expect(checkDuration('P1DT12H')).toBeUndefined();
    expect(checkDuration('')).toMatch(/Enter a duration/);
    expect(checkDuration('2 days')).toMatch(/ISO 8601/);
    expect(checkDuration('P1M')).toMatch(/ISO 8601/); // months are not a fixed length
    expect(checkDuration('PT')).toMatch(/ISO 8601/);
    expect(checkDuration('P0D')).toMatch(/more than zero/);
  });

  it('says how far ahead the store is', () => {
    expect(formatAhead(0)).toBe('in step with real time');
    expect(formatAhead(90 * 60_000)).toBe('1 hour, 30 minutes ahead of real time');
    expect(formatAhead(86_400_000 + 2 * 3_600_000)).toBe('1 day, 2 hours ahead of real time');
  });
});

describe('billing settings form', () => {
  const settings = {
    creditPrices: { EUR: '1.00', USD: '1.10' },
    minimumRunwayHours: 24,
    lowBalanceRunwayHours: 72,
    graceHours: 24,
    retentionDays: 30,
  };

  it('round-trips the settings, offering the common currencies too', () => {
    expect(formCurrencies(settings)).toEqual(['EUR', 'USD', 'GBP', 'CHF']);
    const form = formOf(settings);
    expect(form.prices).toEqual({ EUR: '1.00', USD: '1.10', GBP: '', CHF: '' });
    expect(checkSettings(form)).toEqual({ settings });
  });

  it('labels every field, a price in any currency included', () => {
    expect(SETTINGS_LABELS.price_JPY).toBe('Price of a credit in JPY');
    expect(SETTINGS_LABELS.graceHours).toBe('Grace period');
  });

  it('says what to fix, field by field', () => {
    const form = {
      ...formOf(settings),
      prices: { EUR: '0,5', USD: '0', GBP: '', CHF: '' },
      graceHours: '1000',
    };
    expect(checkSettings(form).errors).toEqual({
      price_EUR: 'Use a point for decimals, e.g. 0.50.',
      price_USD: 'A credit must cost more than zero.',
      graceHours: 'Enter whole hours from 0 to 720.',
    });
    const none = { ...formOf(settings), prices: { EUR: '', USD: '' }, retentionDays: '0' };
    expect(checkSettings(none).errors).toMatchObject({
      creditPrices: expect.stringMatching(/at least one currency/),
      retentionDays: 'Enter whole days from 1 to 365.',
    });
  });
});

describe('configuration facts', () => {
  const item = {
    configuration: {
      dimensions: { vcpu: 2, ram_gb: 4 },
      options: { os: 'linux', backups: true, extras: [] },
    },
    inputs: { hostname: 'web-1' },
  };

  it('use the product’s labels, units and choices', () => {
    const product = {
      dimensions: [
        { key: 'vcpu', label: 'vCPU', unit: 'vCPU' },
        { key: 'ram_gb', label: 'RAM', unit: 'GB' },
      ],
      options: [
        { key: 'os', label: 'Operating system', type: 'single', choices: [{ key: 'linux', label: 'Linux' }] },
        { key: 'backups', label: 'Daily backups', type: 'toggle' },
        { key: 'extras', label: 'Extras', type: 'multi', choices: [] },
      ],
    };
    expect(configurationFacts(item, product, 'en')).toEqual([
      { label: 'vCPU', value: '2 vCPU' },
      { label: 'RAM', value: '4 GB' },
      { label: 'Operating system', value: 'Linux' },
      { label: 'Daily backups', value: 'Yes' },
      { label: 'Hostname', value: 'web-1' },
    ]);
  });

  it('fall back to the raw keys for a product no longer sold', () => {
    expect(configurationFacts(item, undefined, 'en')[1]).toEqual({ label: 'Ram gb', value: '4' });
  });
});
