import { describe, expect, it } from 'vitest';
import { checkSlug, slugify } from './slug.ts';

describe('slugify', () => {
  it('makes a valid slug from a store name', () => {
    expect(slugify('Acme Cloud GmbH')).toBe('acme-cloud-gmbh');
    expect(slugify('  Müller & Söhne — Straße 9 ')).toBe('muller-sohne-strasse-9');
    expect(slugify('---')).toBe('');
    const long = slugify(`${'a'.repeat(39)} b`);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('-')).toBe(false);
    for (const name of ['Acme Cloud GmbH', 'x1', 'Zürich Hosting AG'])
      expect(checkSlug(slugify(name))).toBeUndefined();
  });

  it('checkSlug follows the API rule', () => {
    expect(checkSlug('')).toMatch(/Choose/);
    expect(checkSlug('a')).toMatch(/2 to 40/);
    expect(checkSlug('Acme')).toMatch(/lowercase/);
    expect(checkSlug('-acme')).toMatch(/lowercase/);
    expect(checkSlug('acme-cloud')).toBeUndefined();
  });
});
