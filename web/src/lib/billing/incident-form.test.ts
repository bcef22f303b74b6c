import { describe, expect, it } from 'vitest';
import {
  checkIncident,
  fromLocalInput,
  lastHour,
  localInputValue,
  outageLength,
  productRegions,
} from './incident-form.ts';

const now = new Date(2026, 10, 23, 10, 30, 45); // local time, as the browser's inputs

describe('the incident form', () => {
  it('defaults to the last hour, ending now to the second', () => {
    expect(lastHour(now)).toEqual({ start: '2026-11-23T09:30:45', end: '2026-11-23T10:30:45' });
    expect(localInputValue(new Date(2026, 0, 5, 7, 3, 9))).toBe('2026-01-05T07:03:09');
  });

  it('turns local input values into UTC instants', () => {
    expect(fromLocalInput('2026-11-23T09:30')).toBe(new Date(2026, 10, 23, 9, 30).toISOString());
    expect(fromLocalInput('2026-11-23T09:30:15')).toBe(new Date(2026, 10, 23, 9, 30, 15).toISOString());
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('23.11.2026 09:30')).toBeUndefined();
  });

  it('builds the request with the products and/or a region', () => {
    const form = { title: ' Network outage ', products: ['prd_vm'], region: '', ...lastHour(now) };
    expect(checkIncident(form, now)).toEqual({
      request: {
        title: 'Network outage',
        products: ['prd_vm'],
        start: new Date(2026, 10, 23, 9, 30, 45).toISOString(),
        end: new Date(2026, 10, 23, 10, 30, 45).toISOString(),
      },
    });
    const region = checkIncident({ ...form, products: [], region: 'eu-central' }, now);
    expect(region.request).toMatchObject({ region: 'eu-central' });
    expect(region.request).not.toHaveProperty('products');
  });

  it('says what to fix', () => {
    expect(checkIncident({ title: 'x', products: [], region: '', start: '', end: '' }, now).errors).toEqual({
      title: expect.stringMatching(/at least 3 characters/),
      products: 'Choose the affected products, a region, or both.',
      start: 'Enter when the outage began.',
      end: 'Enter when it was over.',
    });
    const base = { title: 'Outage', products: ['prd_vm'], region: '' };
    expect(
      checkIncident({ ...base, start: '2026-11-23T10:00', end: '2026-11-23T11:00' }, now).errors,
    ).toEqual({
      end: 'The end cannot be in the future: record it once it is over.',
    });
    expect(
      checkIncident({ ...base, start: '2026-11-23T10:00', end: '2026-11-23T09:00' }, now).errors,
    ).toEqual({
      end: 'The end must be after the start.',
    });
  });

  it('says how long an outage lasted, and which regions the products are in', () => {
    expect(outageLength('2026-11-23T09:00:00Z', '2026-11-23T10:05:00Z')).toBe('1 hour, 5 minutes');
    expect(outageLength('2026-11-23T09:00:00Z', '2026-11-23T09:00:20Z')).toBe('less than a minute');
    expect(
      productRegions([{ attributes: { region: 'us-east' } }, { attributes: { region: 'eu-central' } }, {}]),
    ).toEqual(['eu-central', 'us-east']);
  });
});
