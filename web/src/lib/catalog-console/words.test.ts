import { describe, expect, it } from 'vitest';
import type { Product } from '#lib/api/catalog-admin.ts';
import { filtersInWords, sortProducts, sortSearches, statusActions, statusChangeProblem } from './words.ts';

describe('catalog words', () => {
  it('offers publish and retire by status', () => {
    expect(statusActions('draft')).toEqual({ publish: true, retire: true });
    expect(statusActions('published')).toEqual({ publish: false, retire: true });
    expect(statusActions('retired')).toEqual({ publish: true, retire: false });
  });

  it('sorts products by name', () => {
    const product = (slug: string, name: string) => ({ slug, name: { en: name } }) as unknown as Product;
    expect(
      sortProducts([product('b', 'Virtual server'), product('a', 'Domain name')]).map((p) => p.slug),
    ).toEqual(['a', 'b']);
  });

  it('says why a status change failed', () => {
    expect(
      statusChangeProblem({
        kind: 'http',
        status: 400,
        code: 'invalid_product',
        message: 'The product cannot be published',
        details: [
          { path: 'body.prices.USD', code: 'missing_currency', message: 'add prices in USD to publish' },
        ],
      }),
    ).toEqual(['Prices in USD: Add prices in USD to publish.']);
    expect(
      statusChangeProblem({
        kind: 'http',
        status: 409,
        code: 'revision_conflict',
        message: 'x',
        details: { revision: 3 },
      })[0],
    ).toMatch(/Someone changed this product/);
  });

  it('puts the most frequent searches first and writes filters in words', () => {
    const search = (query: string, count: number, lastAt: string) => ({
      query,
      count,
      firstAt: lastAt,
      lastAt,
    });
    expect(
      sortSearches([
        search('a', 1, '2026-01-02T00:00:00Z'),
        search('b', 3, '2026-01-01T00:00:00Z'),
        search('c', 1, '2026-01-03T00:00:00Z'),
      ]).map((s) => s.query),
    ).toEqual(['b', 'c', 'a']);
    expect(filtersInWords('region:eu-central,vcpu>=4,price<0.05')).toBe(
      'region: eu-central · vcpu ≥ 4 · price < 0.05',
    );
    expect(filtersInWords(undefined)).toBe('');
  });
});
