import { describe, expect, it } from 'vitest';
import { meterRows } from './meters.ts';

describe('meterRows', () => {
  it('names each metered counter with its unit and price', () => {
    expect(meterRows({ egress_gb: { unitPrice: '0.05' } })).toEqual([
      { metric: 'egress_gb', label: 'Outbound traffic', unit: 'GB', unitPrice: '0.05' },
    ]);
  });

  it('has no rows for a product without metered usage', () => {
    expect(meterRows(undefined)).toEqual([]);
    expect(meterRows({})).toEqual([]);
  });
});
