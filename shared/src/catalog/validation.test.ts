import { describe, expect, it } from 'vitest';
import { compilePricing } from './compile.ts';
import { virtualServer } from './demo-virtual-server.ts';
import { InvalidProductPricingError } from './pricing-errors.ts';
import type { PricedProduct } from './product.ts';
import { validateProductPricing } from './validation.ts';

/** The demo server, changed by `change` (on a deep copy). */
function changed(change: (product: PricedProduct) => void): PricedProduct {
  const product = structuredClone(virtualServer);
  change(product);
  return product;
}
const eur = (product: PricedProduct) => product.prices.EUR as NonNullable<PricedProduct['prices'][string]>;

describe('validateProductPricing', () => {
  it('accepts the demo virtual server', () => {
    expect(validateProductPricing(virtualServer)).toEqual([]);
  });

  it('reports shape errors with their path, before any other rule', () => {
    const issues = validateProductPricing({
      ...virtualServer,
      colour: 'blue',
      dimensions: [{ ...virtualServer.dimensions[0], step: 0 }],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '', code: 'unrecognized_keys' }),
        expect.objectContaining({ path: 'dimensions[0].step', code: 'too_small' }),
      ]),
    );
  });

  it('rejects rates with more than 10 decimals or written as numbers', () => {
    const issues = validateProductPricing(
      changed((product) => {
        eur(product).baseRate = '0.00000000001';
        (eur(product) as { setupFee: unknown }).setupFee = 19;
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['prices.EUR.baseRate', 'prices.EUR.setupFee']);
    expect(issues[0]?.message).toBe('must be a decimal string with up to 10 decimals, like "0.0125"');
  });

  describe('dimensions', () => {
    it('wants min ≤ max', () => {
      const issues = validateProductPricing(
        changed((product) => {
          Object.assign(product.dimensions[0] as object, { min: 8, max: 4, default: 8 });
        }),
      );
      expect(issues).toEqual([
        { path: 'dimensions[0].max', code: 'range_inverted', message: 'max (4) must not be below min (8)' },
      ]);
    });

    it('wants the step to divide the range', () => {
      const issues = validateProductPricing(
        changed((product) => {
          Object.assign(product.dimensions[2] as object, { min: 20, max: 4000, step: 30, default: 80 });
        }),
      );
      expect(issues).toEqual([
        {
          path: 'dimensions[2].step',
          code: 'step_not_dividing_range',
          message: 'step 30 must divide the range 20–4000 GB (3980 is not a multiple of 30)',
        },
      ]);
    });

    it('checks divisibility exactly with fractional steps', () => {
      const valid = changed((product) => {
        Object.assign(product.dimensions[1] as object, { min: 0.5, max: 256, step: 0.1, default: 4 });
        Object.assign(product.presets[0]?.configuration.dimensions ?? {}, { ram_gb: 4.3 });
      });
      expect(validateProductPricing(valid)).toEqual([]); // 255.5 / 0.1 is 2554.9999… in floats
    });

    it('wants the default within the range and on the step grid', () => {
      const issues = validateProductPricing(
        changed((product) => {
          Object.assign(product.dimensions[0] as object, { default: 65 });
          Object.assign(product.dimensions[2] as object, { default: 85 });
        }),
      );
      expect(issues).toEqual([
        {
          path: 'dimensions[0].default',
          code: 'default_out_of_range',
          message: 'default 65 must be from 1 to 64',
        },
        {
          path: 'dimensions[2].default',
          code: 'default_off_step',
          message: 'default 85 must be 20 plus a multiple of the step 10',
        },
      ]);
    });

    it('wants keys unique across dimensions and options', () => {
      const issues = validateProductPricing(
        changed((product) => {
          Object.assign(product.options[1] as object, { key: 'vcpu' });
        }),
      );
      expect(issues).toContainEqual({
        path: 'options[1].key',
        code: 'duplicate_key',
        message:
          'key "vcpu" is already used by dimensions[0].key; dimensions and options share one set of keys',
      });
    });
  });

  describe('options', () => {
    it('wants choices on single and multi options, none on toggles', () => {
      const issues = validateProductPricing(
        changed((product) => {
          delete (product.options[0] as { choices?: unknown }).choices;
          (product.options[1] as { choices?: unknown }).choices = [{ key: 'yes', label: 'Yes' }];
        }),
      );
      expect(issues).toEqual(
        expect.arrayContaining([
          {
            path: 'options[0].choices',
            code: 'choices_required',
            message: 'a single option needs at least one choice',
          },
          { path: 'options[1].choices', code: 'choices_not_allowed', message: 'a toggle has no choices' },
        ]),
      );
    });

    it('wants defaults that match the option', () => {
      const issues = validateProductPricing(
        changed((product) => {
          (product.options[0] as { default?: unknown }).default = 'solaris';
          (product.options[1] as { default?: unknown }).default = 'yes';
          (product.options[2] as { default?: unknown }).default = ['monitoring', 'monitoring'];
        }),
      );
      expect(issues).toEqual([
        {
          path: 'options[0].default',
          code: 'invalid_default',
          message: 'the default of a single option is one of its choices: linux, windows',
        },
        {
          path: 'options[1].default',
          code: 'invalid_default',
          message: 'a toggle defaults to true or false',
        },
        {
          path: 'options[2].default',
          code: 'invalid_default',
          message:
            'the default of a multi option is a list of distinct choices among: monitoring, ddos_protection',
        },
      ]);
    });
  });

  describe('prices', () => {
    it('knows its currencies', () => {
      const issues = validateProductPricing(
        changed((product) => {
          product.prices.EUX = eur(product);
        }),
      );
      expect(issues).toEqual([
        {
          path: 'prices.EUX',
          code: 'unknown_currency',
          message:
            'unknown currency "EUX"; known: EUR, USD, GBP, CHF, JPY, SEK, NOK, DKK, PLN, CZK, CAD, AUD',
        },
      ]);
    });

    it('needs at least one currency', () => {
      expect(validateProductPricing({ ...virtualServer, prices: {} })).toEqual([
        { path: 'prices', code: 'no_prices', message: 'a product needs prices in at least one currency' },
      ]);
    });

    it('wants a price for every dimension, and only for dimensions that exist', () => {
      const issues = validateProductPricing(
        changed((product) => {
          const prices = eur(product);
          prices.dimensions.ram = prices.dimensions.ram_gb as NonNullable<(typeof prices.dimensions)[string]>;
          delete prices.dimensions.ram_gb;
        }),
      );
      expect(issues).toEqual([
        {
          path: 'prices.EUR.dimensions',
          code: 'missing_price',
          message: 'no EUR price for dimension "ram_gb" (a perUnit price of "0" makes it free)',
        },
        {
          path: 'prices.EUR.dimensions.ram',
          code: 'unknown_dimension',
          message: 'the product has no dimension "ram"',
        },
      ]);
    });

    it('checks the tiers of every model', () => {
      const issues = validateProductPricing(
        changed((product) => {
          eur(product).dimensions.vcpu = {
            model: 'graduated',
            tiers: [
              { upTo: 32, unitPrice: '0.01' },
              { upTo: 8, unitPrice: '0.01' },
            ],
          };
        }),
      );
      expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual([
        'prices.EUR.dimensions.vcpu.tiers[1].upTo last_tier_bounded',
        'prices.EUR.dimensions.vcpu.tiers[1].upTo tiers_not_ascending',
      ]);
    });

    it('wants option prices to refer to options, choices and dimensions that exist', () => {
      const issues = validateProductPricing(
        changed((product) => {
          const options = eur(product).options;
          options.support = { gold: { price: { model: 'perUnit', unitPrice: '1' } } };
          options.os = { solaris: { price: { model: 'perUnit', unitPrice: '1' } } };
          options.backups = { yes: { price: { model: 'perUnit', unitPrice: '1' } } };
          options.extras = { monitoring: { per: 'cores', price: { model: 'perUnit', unitPrice: '1' } } };
          delete (product.prices as Record<string, unknown>).USD;
        }),
      );
      expect(issues).toEqual([
        {
          path: 'prices.EUR.options.os.solaris',
          code: 'unknown_choice',
          message: 'option "os" has no choice "solaris"; it has linux, windows',
        },
        {
          path: 'prices.EUR.options.backups.yes',
          code: 'unknown_choice',
          message: 'a toggle is priced under "on", not "yes"',
        },
        {
          path: 'prices.EUR.options.extras.monitoring.per',
          code: 'unknown_dimension',
          message: 'the product has no dimension "cores" to price per',
        },
        {
          path: 'prices.EUR.options.support',
          code: 'unknown_option',
          message: 'the product has no option "support"',
        },
      ]);
    });

    it('wants a choice priced in one currency priced in all of them', () => {
      const issues = validateProductPricing(
        changed((product) => {
          delete (product.prices.USD as { options: Record<string, unknown> }).options.os;
        }),
      );
      expect(issues).toEqual([
        {
          path: 'prices.USD.options',
          code: 'missing_price',
          message: '"os" choice "windows" is priced in EUR but not in USD; it would be free in USD',
        },
      ]);
    });

    it('wants setup fees in whole minor units', () => {
      const issues = validateProductPricing(
        changed((product) => {
          eur(product).setupFee = '19.005';
        }),
      );
      expect(issues).toEqual([
        {
          path: 'prices.EUR.setupFee',
          code: 'too_many_decimals',
          message: 'a setup fee in EUR has at most 2 decimals, not 19.005',
        },
      ]);
    });
  });

  it('checks presets like a buyer’s configuration', () => {
    const issues = validateProductPricing(
      changed((product) => {
        product.presets.push({
          key: 's',
          label: 'XL',
          configuration: { dimensions: { vcpu: 128, disk_gb: 85 }, options: { os: 'solaris', gpu: true } },
        });
      }),
    );
    expect(issues).toEqual([
      { path: 'presets[3].key', code: 'duplicate_key', message: 'preset "s" is defined twice' },
      {
        path: 'presets[3].configuration.dimensions.vcpu',
        code: 'out_of_range',
        message: 'vCPU must be from 1 to 64 vCPU, not 128',
      },
      {
        path: 'presets[3].configuration.dimensions.disk_gb',
        code: 'off_step',
        message: 'Disk goes in steps of 10 GB from 20: 85 is not one, 80 or 90 is',
      },
      {
        path: 'presets[3].configuration.options.os',
        code: 'unknown_choice',
        message: '"solaris" is not a choice of Operating system: linux, windows',
      },
      {
        path: 'presets[3].configuration.options.gpu',
        code: 'unknown_option',
        message: 'no option "gpu"; there are os, backups, extras',
      },
    ]);
  });

  it('lists every issue at once, and compilePricing throws them as one validation error', () => {
    const product = changed((p) => {
      Object.assign(p.dimensions[0] as object, { default: 65 });
      eur(p).setupFee = '19.005';
    });
    expect(validateProductPricing(product)).toHaveLength(2);
    expect(() => compilePricing(product)).toThrow(InvalidProductPricingError);
    try {
      compilePricing(product);
    } catch (error) {
      expect(error).toMatchObject({
        kind: 'validation',
        code: 'invalid_product_pricing',
        message:
          'Invalid product pricing: dimensions[0].default: default 65 must be from 1 to 64; prices.EUR.setupFee: a setup fee in EUR has at most 2 decimals, not 19.005',
        details: validateProductPricing(product),
      });
    }
  });
});
