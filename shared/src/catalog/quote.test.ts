import { describe, expect, it } from 'vitest';
import { compilePricing } from './compile.ts';
import { largeWindowsServer, virtualServer } from './demo-virtual-server.ts';
import {
  CurrencyNotOfferedError,
  InvalidConfigurationError,
  InvalidProductPricingError,
  InvalidQuoteContextError,
} from './pricing-errors.ts';
import type { PricedProduct, PriceModel } from './product.ts';
import { type PriceRef, Quote, type QuoteContext, quote } from './quote.ts';

const pricing = compilePricing(virtualServer);
const germany: QuoteContext = { currency: 'EUR', sellerCountry: 'DE', buyer: { country: 'DE' } };

/** Lines as `kind key: hourly / monthly [/ oneTime]`, to read a quote at a glance. */
const summary = (q: Quote) =>
  q.lines.map((line) =>
    [`${line.kind} ${line.choice ? `${line.key}.${line.choice}` : line.key}:`, line.hourly, '/', line.monthly]
      .concat(line.oneTime ? ['/', line.oneTime] : [])
      .join(' '),
  );

/** A one-dimension product for cases the demo server does not show. */
function tinyProduct(prices: PricedProduct['prices']): PricedProduct {
  return {
    id: 'prd_tiny',
    kind: 'saas',
    dimensions: [
      {
        key: 'seats',
        label: 'Seats',
        unit: 'seat',
        min: 1,
        max: 100,
        step: 1,
        default: 1,
        control: 'stepper',
      },
    ],
    options: [],
    prices,
    presets: [],
  };
}

describe('quote', () => {
  it('prices the large Windows server line by line (the worked example of docs/pricing.md)', () => {
    const q = quote(pricing, largeWindowsServer, germany);
    expect(summary(q)).toEqual([
      'base base: 0.005 / 3.65',
      'dimension vcpu: 0.176 / 128.48', // 8 × 0.0120 + 8 × 0.0100
      'dimension ram_gb: 0.328 / 239.44', // 16 × 0.0040 + 48 × 0.0035 + 32 × 0.0030
      'dimension disk_gb: 0.2236 / 163.23', // 20 GB free, then 500 × 0.00011 + 1500 × 0.00009 + 480 × 0.00007
      'dimension public_ips: 0.0055 / 4.02', // 1 × 0.0010 + 3 × 0.0015
      'dimension backup_gb: 0.07 / 51.10', // 1000 × 0.000050 + 500 × 0.000040
      'dimension bandwidth_mbps: 0.04 / 29.20', // 1000 free + flat 0.0020 + 4000 × 0.0000080 + 1000 × 0.0000060
      'option os.windows: 0.096 / 70.08', // 16 vCPU × 0.0060
      'option backups.on: 0.075 / 54.75', // 2500 GB × 0.000030
      'option extras.monitoring: 0.003 / 2.19',
      'option extras.ddos_protection: 0.01 / 7.30',
      'setup setup: 0 / 0.00 / 19.00',
    ]);
    expect(q).toMatchObject({
      productId: 'prd_demo_virtual_server',
      currency: 'EUR',
      hourly: '1.0321',
      monthlyEstimate: '753.44', // the sum of the rounded lines; round(1.0321 × 730) would be 753.43
      setup: '19.00',
      discounts: { hourly: '0', monthly: '0.00', oneTime: '0.00' },
      tax: { country: 'DE', rate: '0.19', amount: '146.76', reverseCharge: false, rule: 'domestic' },
      totals: { net: '772.44', tax: '146.76', gross: '919.20' },
    });
    expect(q.lines[1]).toEqual({
      kind: 'dimension',
      key: 'vcpu',
      label: 'vCPU',
      quantity: 16,
      unit: 'vCPU',
      hourly: '0.176',
      monthly: '128.48',
    });
    expect(q.lines[7]).toMatchObject({
      label: 'Operating system: Windows Server 2025',
      quantity: 16,
      unit: 'vCPU',
    });
    expect(Quote.parse(q)).toEqual(q);
  });

  it('prices in another currency from its own price list', () => {
    const q = quote(pricing, largeWindowsServer, { ...germany, currency: 'USD' });
    expect(q.currency).toBe('USD');
    expect(q.lines[1]).toMatchObject({ key: 'vcpu', hourly: '0.192' }); // 8 × 0.0130 + 8 × 0.0110
    expect(q.setup).toBe('21.00');
  });

  it('fills in defaults and orders multi choices as the product does', () => {
    const q = quote(pricing, { options: { extras: ['ddos_protection', 'monitoring'] } }, germany);
    expect(q.configuration).toEqual({
      dimensions: { vcpu: 2, ram_gb: 4, disk_gb: 80, public_ips: 1, backup_gb: 0, bandwidth_mbps: 1000 },
      options: { os: 'linux', backups: false, extras: ['monitoring', 'ddos_protection'] },
    });
    expect(q.lines.filter((line) => line.kind === 'option').map((line) => line.choice)).toEqual([
      'linux',
      'monitoring',
      'ddos_protection',
    ]);
    expect(q.lines.find((line) => line.choice === 'linux')).toMatchObject({ hourly: '0', monthly: '0.00' });
  });

  it('prices an option flat when it is not priced per a dimension', () => {
    const product = structuredClone(virtualServer);
    for (const prices of Object.values(product.prices)) {
      prices.options.os = { windows: { price: { model: 'perUnit', unitPrice: '0.0500' } } };
    }
    const q = quote(product, largeWindowsServer, germany);
    const windows = q.lines.find((line) => line.choice === 'windows');
    expect(windows).toEqual({
      kind: 'option',
      key: 'os',
      choice: 'windows',
      label: 'Operating system: Windows Server 2025',
      hourly: '0.05',
      monthly: '36.50',
    });
  });

  it('rejects a configuration that does not fit, listing every issue', () => {
    const bad = {
      dimensions: { vcpu: 65, disk_gb: 25, ram_gb: Number.NaN, gpus: 1 },
      options: { os: 'solaris', backups: 'yes', extras: ['monitoring', 'monitoring', 'coffee'] },
    };
    let error: unknown;
    try {
      quote(pricing, bad as never, germany);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).issues).toEqual([
      { path: 'dimensions.vcpu', code: 'out_of_range', message: 'vCPU must be from 1 to 64 vCPU, not 65' },
      { path: 'dimensions.ram_gb', code: 'invalid_type', message: 'RAM must be a number' },
      {
        path: 'dimensions.disk_gb',
        code: 'off_step',
        message: 'Disk goes in steps of 10 GB from 20: 25 is not one, 20 or 30 is',
      },
      {
        path: 'dimensions.gpus',
        code: 'unknown_dimension',
        message:
          'no dimension "gpus"; there are vcpu, ram_gb, disk_gb, public_ips, backup_gb, bandwidth_mbps',
      },
      {
        path: 'options.os',
        code: 'unknown_choice',
        message: '"solaris" is not a choice of Operating system: linux, windows',
      },
      { path: 'options.backups', code: 'invalid_type', message: 'Daily backups must be true or false' },
      { path: 'options.extras[1]', code: 'duplicate_choice', message: '"monitoring" is chosen twice' },
      {
        path: 'options.extras[2]',
        code: 'unknown_choice',
        message: '"coffee" is not a choice of Extras: monitoring, ddos_protection',
      },
    ]);
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid_configuration' });
  });

  it('asks for a single option without a default', () => {
    const product = structuredClone(virtualServer);
    delete product.options[0]?.default;
    product.presets = [];
    expect(() => quote(product, {}, germany)).toThrow(
      'Invalid configuration: options.os: Operating system: choose one of linux, windows',
    );
  });

  it('refuses a currency the product is not sold in', () => {
    expect(() => quote(pricing, {}, { ...germany, currency: 'GBP' })).toThrow(CurrencyNotOfferedError);
    expect(() => quote(pricing, {}, { ...germany, currency: 'GBP' })).toThrow(
      'This product is not sold in GBP; it is in EUR, USD',
    );
  });

  it('refuses an invalid raw product', () => {
    expect(() => quote({ ...virtualServer, prices: {} }, {}, germany)).toThrow(InvalidProductPricingError);
  });

  it('gives the same quote for a raw product and its compiled pricing', () => {
    expect(quote(virtualServer, largeWindowsServer, germany)).toEqual(
      quote(pricing, largeWindowsServer, germany),
    );
  });
});

describe('quote: VAT', () => {
  it('charges an EU consumer abroad their country’s VAT', () => {
    const q = quote(pricing, largeWindowsServer, { ...germany, buyer: { country: 'FR' } });
    expect(q.tax).toEqual({
      country: 'FR',
      rate: '0.2',
      amount: '154.49',
      reverseCharge: false,
      rule: 'destination',
    });
    expect(q.totals).toEqual({ net: '772.44', tax: '154.49', gross: '926.93' });
  });

  it('reverse-charges an EU business abroad: no VAT, and says so', () => {
    const q = quote(pricing, largeWindowsServer, {
      ...germany,
      buyer: { country: 'AT', vatId: 'ATU12345678', vatIdValid: true },
    });
    expect(q.tax).toEqual({
      country: 'AT',
      rate: '0',
      amount: '0.00',
      reverseCharge: true,
      rule: 'reverse_charge',
    });
    expect(q.totals).toEqual({ net: '772.44', tax: '0.00', gross: '772.44' });
  });

  it('rounds VAT once, on the net total', () => {
    const q = quote(pricing, {}, { ...germany, buyer: { country: 'CH' } }); // 8.1 %
    expect(q.totals.net).toBe('57.40');
    expect(q.tax.amount).toBe('4.65'); // 57.40 × 0.081 = 4.6494
  });
});

describe('quote: price resolver', () => {
  it('substitutes the prices it returns and keeps the product’s for the rest', () => {
    const asked: PriceRef[] = [];
    const customerPrices = (ref: PriceRef): PriceModel | undefined => {
      asked.push(ref);
      if (ref.kind === 'base') return { model: 'perUnit', unitPrice: '0' };
      if (ref.kind === 'setup') return { model: 'perUnit', unitPrice: '9.999' };
      if (ref.kind === 'dimension' && ref.key === 'vcpu') return { model: 'perUnit', unitPrice: '0.009' };
      if (ref.kind === 'option' && ref.choice === 'windows') return { model: 'perUnit', unitPrice: '0.005' };
      return undefined;
    };
    const q = quote(pricing, largeWindowsServer, { ...germany, priceResolver: customerPrices });
    expect(summary(q)).toEqual(
      expect.arrayContaining([
        'base base: 0 / 0.00',
        'dimension vcpu: 0.144 / 105.12', // 16 × 0.009, flat instead of graduated
        'dimension ram_gb: 0.328 / 239.44', // the product's
        'option os.windows: 0.08 / 58.40', // still per vCPU: 16 × 0.005
        'setup setup: 0 / 0.00 / 10.00', // rounded once to the cent
      ]),
    );
    expect(asked).toContainEqual({
      productId: 'prd_demo_virtual_server',
      currency: 'EUR',
      kind: 'option',
      key: 'backups',
      choice: 'on',
    });
    expect(asked.map((ref) => ref.kind)).toEqual([
      'base',
      ...Array(6).fill('dimension'),
      ...Array(4).fill('option'),
      'setup',
    ]);
  });

  it('can price a choice the product gives away', () => {
    const q = quote(
      pricing,
      { options: { os: 'linux' } },
      {
        ...germany,
        priceResolver: (ref) =>
          ref.kind === 'option' && ref.choice === 'linux'
            ? { model: 'perUnit', unitPrice: '0.001' }
            : undefined,
      },
    );
    expect(q.lines.find((line) => line.choice === 'linux')).toMatchObject({
      hourly: '0.001',
      monthly: '0.73',
    });
  });

  it('refuses a resolved price that does not validate', () => {
    const resolver = (ref: PriceRef): PriceModel | undefined =>
      ref.kind === 'dimension' && ref.key === 'vcpu'
        ? { model: 'graduated', tiers: [{ upTo: 8, unitPrice: '0.01' }] }
        : undefined;
    expect(() => quote(pricing, {}, { ...germany, priceResolver: resolver })).toThrow(
      'Invalid product pricing: priceResolver(dimension vcpu).tiers[0].upTo: the last tier must have upTo: null so that quantities above 8 have a price',
    );
  });
});

describe('quote: discounts', () => {
  it('takes a percentage off recurring amounts, the setup fee or both', () => {
    const q = quote(pricing, largeWindowsServer, {
      ...germany,
      discounts: [
        { key: 'contract', label: 'Two-year contract', percent: '10' },
        { key: 'launch', label: 'Launch offer', percent: '50', appliesTo: 'setup' },
      ],
    });
    expect(q.lines.slice(-2)).toEqual([
      {
        kind: 'discount',
        key: 'contract',
        label: 'Two-year contract',
        hourly: '-0.10321',
        monthly: '-75.34',
      },
      {
        kind: 'discount',
        key: 'launch',
        label: 'Launch offer',
        hourly: '0',
        monthly: '0.00',
        oneTime: '-9.50',
      },
    ]);
    expect(q).toMatchObject({
      hourly: '0.92889',
      monthlyEstimate: '678.10', // 753.44 − 75.34
      setup: '9.50',
      discounts: { hourly: '-0.10321', monthly: '-75.34', oneTime: '-9.50' },
      totals: { net: '687.60', tax: '130.64', gross: '818.24' },
    });
  });

  it('rounds discounts cumulatively, so they never take off more than there is', () => {
    // monthly 0.049999963 → 0.05; two halves would be 0.03 + 0.03 if rounded one by one
    const product = tinyProduct({
      EUR: {
        baseRate: '0.0000684931',
        setupFee: '0',
        dimensions: { seats: { model: 'perUnit', unitPrice: '0' } },
        options: {},
      },
    });
    const q = quote(
      product,
      {},
      {
        ...germany,
        discounts: [
          { key: 'a', label: 'Half', percent: '50' },
          { key: 'b', label: 'Other half', percent: '50' },
        ],
      },
    );
    expect(q.lines.filter((line) => line.kind === 'discount').map((line) => line.monthly)).toEqual([
      '-0.03',
      '-0.02',
    ]);
    expect(q.monthlyEstimate).toBe('0.00');
    expect(q.hourly).toBe('0');
  });

  it('refuses discounts above 100 % or written oddly', () => {
    const discounts = [
      { key: 'a', label: 'A', percent: '60' },
      { key: 'b', label: 'B', percent: '41' },
    ];
    expect(() => quote(pricing, {}, { ...germany, discounts })).toThrow(InvalidQuoteContextError);
    expect(() =>
      quote(pricing, {}, { ...germany, discounts: [{ key: 'a', label: 'A', percent: '1e1' }] }),
    ).toThrow(/percent must be a decimal string/);
  });
});

describe('quote: currencies without minor units', () => {
  it('rounds yen to whole yen', () => {
    const product = tinyProduct({
      JPY: {
        baseRate: '1.5',
        setupFee: '3000',
        dimensions: { seats: { model: 'perUnit', unitPrice: '0.35' } },
        options: {},
      },
    });
    const q = quote(
      product,
      { dimensions: { seats: 3 } },
      { currency: 'JPY', sellerCountry: 'DE', buyer: { country: 'US' } },
    );
    expect(summary(q)).toEqual([
      'base base: 1.5 / 1095',
      'dimension seats: 1.05 / 767',
      'setup setup: 0 / 0 / 3000',
    ]);
    expect(q.totals).toEqual({ net: '4862', tax: '0', gross: '4862' });
  });
});
