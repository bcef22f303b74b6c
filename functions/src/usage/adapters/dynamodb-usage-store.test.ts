import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '#shared/usage/metrics.ts';
import { METRIC_CODES, sampleAttribute } from './dynamodb-usage-store.ts';

describe('usage sample attributes', () => {
  it('give every metric its own one-letter code, so a bucket keeps each metric’s samples apart', () => {
    const codes = METRIC_NAMES.map((metric) => METRIC_CODES[metric]);
    expect(codes.every((code) => /^[a-z]$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(METRIC_NAMES.length);
  });

  it('name a sample by metric code and record key', () => {
    expect(sampleAttribute('cpu_pct', 'AbC-123_xyz0')).toBe('c#AbC-123_xyz0');
    expect(sampleAttribute('egress_gb', 'AbC-123_xyz0')).toBe('e#AbC-123_xyz0');
  });
});
