import { describe, expect, it } from 'vitest';
import type { PaymentProvider } from './payment-provider.ts';
import { applicationFee } from './payment-settings.ts';

const provider = {} as PaymentProvider;

describe('the platform fee of a charge (Stripe Connect)', () => {
  it('is the percentage of the amount in minor units, rounded half up in decimal, never a float', () => {
    expect(applicationFee({ provider, platformFeePercent: '2.5' }, 1999)).toEqual({
      applicationFeeMinor: 50,
    });
    // 2.5 % of 1,010 is exactly 25.25: half up gives 25 (no float drift past the half).
    expect(applicationFee({ provider, platformFeePercent: '2.5' }, 1010)).toEqual({
      applicationFeeMinor: 25,
    });
    expect(applicationFee({ provider, platformFeePercent: '10' }, 11900)).toEqual({
      applicationFeeMinor: 1190,
    });
  });

  it('is left out without a fee or when it rounds to nothing', () => {
    expect(applicationFee({ provider }, 11900)).toEqual({});
    expect(applicationFee({ provider, platformFeePercent: '1' }, 40)).toEqual({});
  });
});
