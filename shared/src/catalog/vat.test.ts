import { describe, expect, it } from 'vitest';
import { EU_VAT_RATES, vatTreatment } from './vat.ts';

const treatment = (...args: Parameters<typeof vatTreatment>) => {
  const { country, rate, reverseCharge, rule } = vatTreatment(...args);
  return { country, rate: rate.toString(), reverseCharge, rule };
};

describe('vatTreatment', () => {
  it('charges the seller country’s VAT to an unknown visitor', () => {
    expect(treatment('DE', undefined)).toEqual({
      country: 'DE',
      rate: '0.19',
      reverseCharge: false,
      rule: 'domestic',
    });
  });

  it('charges domestic VAT inside one country, to consumers and businesses alike', () => {
    expect(treatment('DE', { country: 'DE' })).toMatchObject({ rate: '0.19', rule: 'domestic' });
    expect(treatment('DE', { country: 'DE', vatId: 'DE123456789', vatIdValid: true })).toMatchObject({
      rate: '0.19',
      reverseCharge: false,
      rule: 'domestic',
    });
  });

  it('charges an EU consumer abroad their own country’s VAT', () => {
    expect(treatment('DE', { country: 'FR' })).toEqual({
      country: 'FR',
      rate: '0.2',
      reverseCharge: false,
      rule: 'destination',
    });
    expect(treatment('DE', { country: 'HU' }).rate).toBe('0.27');
    expect(treatment('DE', { country: 'FI' }).rate).toBe('0.255');
  });

  it('reverse-charges an EU business abroad with a valid VAT id', () => {
    expect(treatment('DE', { country: 'FR', vatId: 'FR12345678901', vatIdValid: true })).toEqual({
      country: 'FR',
      rate: '0',
      reverseCharge: true,
      rule: 'reverse_charge',
    });
  });

  it('treats a VAT id that was not confirmed valid as a consumer', () => {
    expect(treatment('DE', { country: 'FR', vatId: 'FR12345678901' })).toMatchObject({
      rate: '0.2',
      reverseCharge: false,
    });
    expect(treatment('DE', { country: 'FR', vatId: 'FR12345678901', vatIdValid: false })).toMatchObject({
      rate: '0.2',
      reverseCharge: false,
    });
    expect(treatment('DE', { country: 'FR', vatIdValid: true })).toMatchObject({
      rate: '0.2',
      reverseCharge: false,
    });
  });

  it('applies GB, CH and NO VAT to their consumers and lets their businesses account for it', () => {
    expect(treatment('DE', { country: 'CH' })).toMatchObject({ rate: '0.081', rule: 'destination' });
    expect(treatment('DE', { country: 'GB' })).toMatchObject({ rate: '0.2', rule: 'destination' });
    expect(treatment('NL', { country: 'NO', vatId: 'NO123456789MVA', vatIdValid: true })).toMatchObject({
      rate: '0',
      reverseCharge: true,
    });
    expect(treatment('CH', { country: 'CH' })).toMatchObject({ rate: '0.081', rule: 'domestic' });
  });

  it('charges no VAT to buyers in countries outside the table', () => {
    expect(treatment('DE', { country: 'US' })).toEqual({
      country: 'US',
      rate: '0',
      reverseCharge: false,
      rule: 'outside_scope',
    });
  });

  it('reads country codes case-insensitively and EL as Greece', () => {
    expect(treatment('de', { country: 'el' })).toMatchObject({ country: 'GR', rate: '0.24' });
  });

  it('refuses sellers outside the table and malformed countries', () => {
    expect(() => vatTreatment('US', undefined)).toThrow(
      /Sellers must be established in the EU, GB, CH or NO, not US/,
    );
    expect(() => vatTreatment('DE', { country: 'Germany' })).toThrow(
      /The buyer country must be an ISO 3166 code like DE, not "Germany"/,
    );
  });

  it('knows all 27 member states', () => {
    expect(Object.keys(EU_VAT_RATES)).toHaveLength(27);
  });
});
