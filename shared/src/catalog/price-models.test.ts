import { describe, expect, it } from 'vitest';
import { priceModelIssues, priceOf } from './price-models.ts';
import type { PriceModel, PriceTier } from './product.ts';

const at = (model: PriceModel, quantity: number) => priceOf(model, quantity).toString();

/** 0.10 per unit for the first 10, 0.08 for the next 40, 0.05 above 50. */
const tiers: PriceTier[] = [
  { upTo: 10, unitPrice: '0.10' },
  { upTo: 50, unitPrice: '0.08' },
  { upTo: null, unitPrice: '0.05' },
];

describe('perUnit', () => {
  it('prices every unit the same', () => {
    expect(at({ model: 'perUnit', unitPrice: '0.0125' }, 16)).toBe('0.2');
    expect(at({ model: 'perUnit', unitPrice: '0.0125' }, 0)).toBe('0');
    expect(at({ model: 'perUnit', unitPrice: '0.0000000001' }, 3)).toBe('0.0000000003');
  });

  it('takes the included quantity off first', () => {
    const model: PriceModel = { model: 'perUnit', unitPrice: '0.01', includedQuantity: 5 };
    expect(at(model, 3)).toBe('0');
    expect(at(model, 5)).toBe('0');
    expect(at(model, 8)).toBe('0.03');
    expect(at({ ...model, includedQuantity: 0.5 }, 2.25)).toBe('0.0175');
  });
});

describe('graduated and volume', () => {
  it('graduated prices each tier at its own rate', () => {
    // 10 × 0.10 + 40 × 0.08 + 10 × 0.05
    expect(at({ model: 'graduated', tiers }, 60)).toBe('4.7');
    expect(at({ model: 'graduated', tiers }, 10)).toBe('1'); // upTo is inclusive
    expect(at({ model: 'graduated', tiers }, 11)).toBe('1.08');
  });

  it('volume prices all units at the rate of the tier reached', () => {
    expect(at({ model: 'volume', tiers }, 60)).toBe('3'); // 60 × 0.05
    expect(at({ model: 'volume', tiers }, 10)).toBe('1'); // 10 × 0.10
    expect(at({ model: 'volume', tiers }, 11)).toBe('0.88'); // 11 × 0.08: cheaper than 10 units
  });

  it('adds a tier’s flat price once the tier is used', () => {
    const flat: PriceTier[] = [
      { upTo: 10, unitPrice: '0', flatPrice: '1' },
      { upTo: null, unitPrice: '0.5', flatPrice: '2' },
    ];
    expect(at({ model: 'graduated', tiers: flat }, 0)).toBe('0');
    expect(at({ model: 'graduated', tiers: flat }, 4)).toBe('1');
    expect(at({ model: 'graduated', tiers: flat }, 12)).toBe('4'); // 1 + 2 + 2 × 0.5
    expect(at({ model: 'volume', tiers: flat }, 12)).toBe('8'); // 2 + 12 × 0.5
  });

  it('takes the included quantity off before finding the tier', () => {
    expect(at({ model: 'graduated', tiers, includedQuantity: 20 }, 20)).toBe('0');
    expect(at({ model: 'graduated', tiers, includedQuantity: 20 }, 80)).toBe('4.7');
    expect(at({ model: 'volume', tiers, includedQuantity: 20 }, 30)).toBe('1');
    expect(at({ model: 'volume', tiers, includedQuantity: 20 }, 31)).toBe('0.88');
  });

  it('is exact with fractional quantities', () => {
    expect(at({ model: 'graduated', tiers }, 10.5)).toBe('1.04');
    expect(at({ model: 'graduated', tiers, includedQuantity: 0.1 }, 10.3)).toBe('1.016');
  });
});

describe('package', () => {
  const model: PriceModel = { model: 'package', blockSize: 10, blockPrice: '0.5' };

  it('charges whole blocks, a started block as a block', () => {
    expect(at(model, 0)).toBe('0');
    expect(at(model, 1)).toBe('0.5');
    expect(at(model, 10)).toBe('0.5');
    expect(at(model, 11)).toBe('1');
    expect(at(model, 25)).toBe('1.5');
  });

  it('takes the included quantity off first', () => {
    expect(at({ ...model, includedQuantity: 5 }, 15)).toBe('0.5');
    expect(at({ ...model, includedQuantity: 5 }, 16)).toBe('1');
  });

  it('handles fractional quantities and block sizes', () => {
    expect(at({ model: 'package', blockSize: 0.5, blockPrice: '1' }, 1.2)).toBe('3');
    expect(at({ model: 'package', blockSize: 0.1, blockPrice: '1' }, 0.3)).toBe('3'); // 0.3 / 0.1 is 2.9999… in floats
    expect(at({ model: 'package', blockSize: 3, blockPrice: '1' }, 999_999_999)).toBe('333333333');
    expect(at({ model: 'package', blockSize: 3, blockPrice: '1' }, 1_000_000_000)).toBe('333333334');
  });
});

describe('priceModelIssues', () => {
  it('accepts ascending tiers ending unbounded', () => {
    expect(priceModelIssues({ model: 'graduated', tiers }, 'm')).toEqual([]);
  });

  it('names tiers that do not ascend, and where', () => {
    const issues = priceModelIssues(
      {
        model: 'volume',
        tiers: [
          { upTo: 10, unitPrice: '1' },
          { upTo: 10, unitPrice: '1' },
          { upTo: null, unitPrice: '1' },
        ],
      },
      'prices.EUR.dimensions.vcpu',
    );
    expect(issues).toEqual([
      {
        path: 'prices.EUR.dimensions.vcpu.tiers[1].upTo',
        code: 'tiers_not_ascending',
        message: "tiers must ascend: upTo 10 is not above the previous tier's 10",
      },
    ]);
  });

  it('wants only and exactly the last tier unbounded', () => {
    const codes = (list: PriceTier[]) =>
      priceModelIssues({ model: 'graduated', tiers: list }, 'm').map(
        (issue) => `${issue.path} ${issue.code}`,
      );
    expect(codes([{ upTo: 10, unitPrice: '1' }])).toEqual(['m.tiers[0].upTo last_tier_bounded']);
    expect(
      codes([
        { upTo: null, unitPrice: '1' },
        { upTo: null, unitPrice: '1' },
      ]),
    ).toEqual(['m.tiers[0].upTo unbounded_tier_not_last']);
  });

  it('limits quantities to 6 decimals', () => {
    expect(priceModelIssues({ model: 'package', blockSize: 0.0000001, blockPrice: '1' }, 'm')).toEqual([
      { path: 'm.blockSize', code: 'too_many_decimals', message: '1e-7 has more than 6 decimals' },
    ]);
  });
});
