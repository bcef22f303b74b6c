import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSearchFilter, parseSearchFilter } from './search-filter.ts';

describe('the search filter grammar', () => {
  it('reads values and ranges', () => {
    expect(parseSearchFilter('region:eu-central')).toEqual({
      kind: 'value',
      key: 'region',
      value: 'eu-central',
    });
    expect(parseSearchFilter(' vcpu>=4 ')).toEqual({ kind: 'range', key: 'vcpu', operator: '>=', value: 4 });
    expect(parseSearchFilter('price<=0.05')).toEqual({
      kind: 'range',
      key: 'price',
      operator: '<=',
      value: 0.05,
    });
    expect(parseSearchFilter('temp>-3.5')).toEqual({
      kind: 'range',
      key: 'temp',
      operator: '>',
      value: -3.5,
    });
  });

  it('refuses what is not a filter', () => {
    for (const text of [
      '',
      'region',
      'Region:x',
      'vcpu>=four',
      'vcpu=>4',
      ':x',
      '1abc:x',
      `k:${'x'.repeat(101)}`,
    ]) {
      expect(parseSearchFilter(text), text).toBeUndefined();
    }
  });

  it('writes what it reads', () => {
    const filter = fc.oneof(
      fc.record({
        kind: fc.constant('value' as const),
        key: fc.stringMatching(/^[a-z][a-z0-9_]{0,39}$/),
        value: fc.stringMatching(/^[a-z0-9.-]{1,100}$/),
      }),
      fc.record({
        kind: fc.constant('range' as const),
        key: fc.stringMatching(/^[a-z][a-z0-9_]{0,39}$/),
        operator: fc.constantFrom('>=' as const, '<=' as const, '>' as const, '<' as const),
        value: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 100 || 0), // never -0: it reads back as 0
      }),
    );
    fc.assert(
      fc.property(filter, (original) => {
        expect(parseSearchFilter(formatSearchFilter(original))).toEqual(original);
      }),
    );
  });
});
