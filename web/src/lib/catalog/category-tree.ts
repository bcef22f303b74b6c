/**
 * The category tree for the catalog's navigation, built from the API's flat list (`parentId`,
 * `position`), and names in the store's language.
 */
import type { Category, LocalizedText } from '#shared/catalog/catalog.ts';

export type { Category, LocalizedText };

/**
 * Text for a language, falling back to the store's, then to any: the rule of `localized()` in
 * shared/src/catalog/catalog.ts, repeated so that pages without the pricing engine stay free of zod.
 *
 * @example localize({ en: 'Servers', de: 'Server' }, 'de-AT', 'en') // 'Server'
 */
export function localize(text: LocalizedText | undefined, locale: string, fallback: string): string {
  if (!text) return '';
  return text[locale] ?? text[locale.slice(0, 2)] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

export type CategoryNode = {
  id: string;
  name: string;
  description: string;
  depth: number;
  children: CategoryNode[];
};

/**
 * Top-level categories (parentId null) with their children, siblings by position then name. A
 * category whose parent is missing is shown at the top rather than lost; a cycle is cut.
 */
export function buildCategoryTree(categories: readonly Category[], locale: string): CategoryNode[] {
  const ids = new Set(categories.map((category) => category.id));
  const byParent = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parentId && ids.has(category.parentId) ? category.parentId : null;
    const siblings = byParent.get(parent) ?? [];
    siblings.push(category);
    byParent.set(parent, siblings);
  }
  const seen = new Set<string>();
  const build = (parent: string | null, depth: number): CategoryNode[] =>
    [...(byParent.get(parent) ?? [])]
      .sort(
        (a, b) =>
          a.position - b.position ||
          localize(a.name, locale, locale).localeCompare(localize(b.name, locale, locale), locale),
      )
      .filter((category) => !seen.has(category.id) && seen.add(category.id))
      .map((category) => ({
        id: category.id,
        name: localize(category.name, locale, locale),
        description: localize(category.description, locale, locale),
        depth,
        children: build(category.id, depth + 1),
      }));
  return build(null, 0);
}

/** The categories from the top down to `id` (inclusive); empty for an unknown id. */
export function categoryPath(categories: readonly Category[], id: string | undefined): Category[] {
  const byId = new Map(categories.map((category) => [category.id, category]));
  const path: Category[] = [];
  let current = id ? byId.get(id) : undefined;
  while (current && !path.includes(current)) {
    path.unshift(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path;
}

/** True when `id` is `ancestor` or sits below it. */
export function isWithin(categories: readonly Category[], id: string | undefined, ancestor: string): boolean {
  return categoryPath(categories, id).some((category) => category.id === ancestor);
}
