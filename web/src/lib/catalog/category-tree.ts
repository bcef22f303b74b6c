/**
 * The category tree for the catalog's navigation, built from the API's flat list (`parentId`,
 * `position`), and names in the store's language.
 */
import type { Category } from '#shared/catalog/catalog.ts';
import { localized } from '#shared/catalog/localized.ts';

export type { Category };

export type CategoryNode = {
  id: string;
  name: string;
  description: string;
  children: CategoryNode[];
};

/**
 * Top-level categories (parentId null) with their children, siblings by position then id (the
 * API's order). A category whose parent is missing is shown at the top rather than lost; a cycle
 * is cut.
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
  const build = (parent: string | null): CategoryNode[] =>
    [...(byParent.get(parent) ?? [])]
      .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
      .filter((category) => !seen.has(category.id) && seen.add(category.id))
      .map((category) => ({
        id: category.id,
        name: localized(category.name, locale, locale),
        description: localized(category.description, locale, locale),
        children: build(category.id),
      }));
  return build(null);
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
