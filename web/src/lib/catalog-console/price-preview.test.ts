import { describe, expect, it } from 'vitest';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import { quote } from '#shared/catalog/quote.ts';
import { loadPricingEngine, pricePreview } from './price-preview.ts';

describe('the price preview', () => {
  it('prices the defaults and each preset in every currency, as the engine does', async () => {
    const engine = await loadPricingEngine();
    const preview = pricePreview(engine, virtualServer, 'DE');
    if (!preview.ok) throw new Error(preview.problems.join('; '));
    expect(preview.currencies).toEqual(Object.keys(virtualServer.prices));
    expect(preview.rows.map((row) => row.label)).toEqual([
      'Default configuration',
      ...virtualServer.presets.map((preset) => `Preset ${preset.label}`),
    ]);
    const expected = quote(virtualServer, {}, { currency: 'EUR', sellerCountry: 'DE' });
    expect(preview.rows[0]?.cells[0]).toEqual({
      currency: 'EUR',
      monthly: expected.monthlyEstimate,
      hourly: expected.hourly,
      setup: expected.setup,
    });
  });

  it('says in words why a product cannot be priced yet', async () => {
    const engine = await loadPricingEngine();
    const [vcpu, ...rest] = virtualServer.dimensions;
    if (!vcpu) throw new Error('no vcpu');
    const broken = { ...virtualServer, dimensions: [{ ...vcpu, min: 8, max: 4 }, ...rest] };
    const preview = pricePreview(engine, broken, 'DE');
    expect(preview).toEqual({
      ok: false,
      problems: ['Dimension 1 › maximum: max (4) must not be below min (8)'],
    });
  });

  it('names a preset that does not fit the dimensions', async () => {
    const engine = await loadPricingEngine();
    const preset = { key: 'huge', label: 'Huge', configuration: { dimensions: { vcpu: 1000 } } };
    const preview = pricePreview(engine, { ...virtualServer, presets: [preset] }, 'DE');
    expect(preview.ok).toBe(false);
    expect(!preview.ok && preview.problems[0]).toMatch(/^Preset 1 › configuration › dimension “vcpu”: /);
  });
});
