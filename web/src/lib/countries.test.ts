import { describe, expect, it } from 'vitest';
import { countryOptions, guessCountry, isCountryCode } from './countries.ts';

describe('countries', () => {
  it('names every ISO 3166 country, sorted by name', () => {
    const options = countryOptions('en');
    expect(options).toHaveLength(249);
    expect(options.find((option) => option.code === 'DE')?.name).toBe('Germany');
    const names = options.map((option) => option.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('en').compare));
  });

  it('guesses the country from the browser languages', () => {
    expect(guessCountry(['de-AT', 'de'])).toBe('AT');
    expect(guessCountry(['en', 'en-GB'])).toBe('GB');
    expect(guessCountry(['en'])).toBeUndefined();
    expect(guessCountry(['not a tag'])).toBeUndefined();
    expect(isCountryCode('XX')).toBe(false);
  });
});
