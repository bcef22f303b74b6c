/**
 * The category tree, built from the API's flat list (`parentId`, `position`), for the catalog's
 * navigation, the home page and the console: nested, flattened with depths for selects, the path
 * down to a category, and names in one language.
 */
import type { Category } from '#shared/catalog/catalog.ts';
import { localized } from '#shared/catalog/localized.ts';

export type { Category };

export type CategoryNode = {
  category: Category;
  /** The category's name and description in the tree's language ('' without a description). */
  name: string;
  description: string;
  /** 0 at the top level. */
  depth: number;
  children: CategoryNode[];
};

/** Siblings in the API's order: position, then id. */
export function bySiblingOrder(a: Category, b: Category): number {
  return a.position - b.position || a.id.localeCompare(b.id);
}

/**
 * Top-level categories (parentId null) with their children at any depth, siblings in order, names
 * in `locale`. A category whose parent is missing is shown at the top rather than lost; so are the
 * categories of a cycle the API should have refused (each once, the cycle cut where it closes).
 */
export function buildCategoryTree(categories: readonly Category[], locale: string): CategoryNode[] {
  const ids = new Set(categories.map((category) => category.id));
  const byParent = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parentId !== null && ids.has(category.parentId) ? category.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), category]);
  }
  const seen = new Set<string>();
  const node = (category: Category, depth: number): CategoryNode => {
    seen.add(category.id);
    return {
      category,
      name: localized(category.name, locale, locale),
      description: localized(category.description, locale, locale),
      depth,
      children: grow(category.id, depth + 1),
    };
  };
  const grow = (parent: string | null, depth: number): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .sort(bySiblingOrder)
      .filter((category) => !seen.has(category.id))
      .map((category) => node(category, depth));
  const roots = grow(null, 0);
  for (const category of categories.filter((entry) => !seen.has(entry.id)).sort(bySiblingOrder)) {
    if (!seen.has(category.id)) roots.push(node(category, 0));
  }
  return roots;
}

/** Every node, depth first, in tree order: for selects ("– Virtual servers"). */
export function flattenTree(nodes: readonly CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
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

/** "Compute › Servers › Virtual servers". */
export function breadcrumb(categories: readonly Category[], id: string, locale: string): string {
  return categoryPath(categories, id)
    .map((category) => localized(category.name, locale, locale))
    .join(' › ');
}
