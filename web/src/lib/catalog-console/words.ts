/** The catalog console's words: product statuses and kinds, for people. */
import {
  type Product,
  type ProductKind,
  type ProductStatus,
  revisionConflict,
  type ZeroResultSearch,
} from '#lib/api/catalog-admin.ts';
import { describeIssue } from '#lib/api/field-errors.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import type { PillTone } from '#lib/status.ts';
import { localized } from '#shared/catalog/localized.ts';
import { pathInWords, pathSegments, problemIssues } from './issue-paths.ts';

/** A product's status as a word and a symbol, so it never relies on colour alone. */
export const PRODUCT_STATUS: Record<
  ProductStatus,
  { word: string; symbol: string; tone: PillTone; meaning: string }
> = {
  draft: { word: 'Draft', symbol: '✎', tone: 'neutral', meaning: 'Only staff see it.' },
  published: { word: 'Published', symbol: '✓', tone: 'ok', meaning: 'Buyers find, configure and order it.' },
  retired: {
    word: 'Retired',
    symbol: '⊘',
    tone: 'warning',
    meaning: 'No longer sold; running services go on.',
  },
};

export const PRODUCT_KIND: Record<ProductKind, { short: string; long: string }> = {
  iaas: { short: 'IaaS', long: 'Infrastructure (IaaS)' },
  paas: { short: 'PaaS', long: 'Platform (PaaS)' },
  saas: { short: 'SaaS', long: 'Software (SaaS)' },
};

/** What the merchant may do with a product in its status. */
export function statusActions(status: ProductStatus): { publish: boolean; retire: boolean } {
  return { publish: status !== 'published', retire: status !== 'retired' };
}

/** The product's name in `locale`, else in English, else any; its slug without a name. */
export function productName(product: Pick<Product, 'name' | 'slug'>, locale = 'en'): string {
  return localized(product.name, locale, 'en') || product.slug;
}

/** By name, as a catalog is browsed; ties by slug. */
export function sortProducts(products: readonly Product[], locale = 'en'): Product[] {
  return [...products].sort(
    (a, b) =>
      productName(a, locale).localeCompare(productName(b, locale), locale) || a.slug.localeCompare(b.slug),
  );
}

/** Why publishing or retiring a product failed, in sentences for the row. */
export function statusChangeProblem(problem: ApiProblem): string[] {
  if (revisionConflict(problem))
    return ['Someone changed this product since the list was loaded. Reload the list and try again.'];
  const issues = problemIssues(problem);
  if (issues.length > 0)
    return issues.map((issue) => `${pathInWords(pathSegments(issue.path))}: ${describeIssue(issue)}`);
  return [problem.message];
}

/** Most often first, then the latest: what to add to the catalog or the synonyms first. */
export function sortSearches(searches: readonly ZeroResultSearch[]): ZeroResultSearch[] {
  return [...searches].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

/** `region:eu-central,vcpu>=4` → "region: eu-central · vcpu ≥ 4". */
export function filtersInWords(filters: string | undefined): string {
  if (!filters) return '';
  return filters
    .split(',')
    .filter((filter) => filter.trim() !== '')
    .map((filter) =>
      filter
        .trim()
        .replace(/^([a-z0-9_]+):/, '$1: ')
        .replace(/>=/, ' ≥ ')
        .replace(/<=/, ' ≤ ')
        .replace(/([a-z0-9_])([<>])(\d)/, '$1 $2 $3'),
    )
    .join(' · ');
}
