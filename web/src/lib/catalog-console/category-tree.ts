/**
 * The category tree from the API's flat list (`parentId`, `position`): nested for the tree view,
 * flattened with depths for selects, and the position changes that move a category among its
 * siblings.
 */
import type { Category, LocalizedText } from '#lib/api/catalog-admin.ts';

export type CategoryNode = { category: Category; children: CategoryNode[]; depth: number };

/** Siblings in the storefront's order: position, then id. */
function bySiblingOrder(a: Category, b: Category): number {
  return a.position - b.position || a.id.localeCompare(b.id);
}

/**
 * Nested nodes, siblings in order. A category whose parent is missing (or that sits in a cycle the
 * API should have refused) is shown at the top level rather than lost.
 */
export function buildTree(categories: readonly Category[]): CategoryNode[] {
  const ids = new Set(categories.map((category) => category.id));
  const children = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parentId !== null && ids.has(category.parentId) ? category.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const seen = new Set<string>();
  const grow = (parent: string | null, depth: number): CategoryNode[] =>
    (children.get(parent) ?? [])
      .sort(bySiblingOrder)
      .filter((category) => !seen.has(category.id))
      .map((category) => {
        seen.add(category.id);
        return { category, depth, children: grow(category.id, depth + 1) };
      });
  const roots = grow(null, 0);
  // Whatever a cycle kept unreachable still shows, at the top.
  const orphans = categories.filter((category) => !seen.has(category.id));
  return [
    ...roots,
    ...orphans
      .sort(bySiblingOrder)
      .map((category) => ({ category, depth: 0, children: grow(category.id, 1) })),
  ];
}

/** Every node, depth first, in tree order: for selects ("— Virtual servers"). */
export function flattenTree(nodes: readonly CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
}

/** The ids of a category's descendants (not itself): a category cannot move under one of them. */
export function descendantsOf(categories: readonly Category[], id: string): Set<string> {
  const found = new Set<string>();
  let frontier = [id];
  while (frontier.length > 0) {
    const next = categories
      .filter(
        (category) =>
          category.parentId !== null && frontier.includes(category.parentId) && !found.has(category.id),
      )
      .map((category) => category.id);
    for (const child of next) found.add(child);
    frontier = next;
  }
  found.delete(id);
  return found;
}

/** "Compute › Servers › Virtual servers". */
export function breadcrumb(categories: readonly Category[], id: string, locale: string): string {
  const byId = new Map(categories.map((category) => [category.id, category]));
  const names: string[] = [];
  let current = byId.get(id);
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(nameIn(current.name, locale));
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return names.join(' › ');
}

export function nameIn(text: LocalizedText, locale: string): string {
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
}

/** A label for a select: indented by depth with non-breaking spaces and a dash. */
export function indentedName(node: CategoryNode, locale: string): string {
  return `${'\u00a0\u00a0'.repeat(node.depth)}${node.depth > 0 ? '– ' : ''}${nameIn(node.category.name, locale)}`;
}

/**
 * Moves a category one place up or down among its siblings and numbers them 0, 1, 2 … in the new
 * order; returns only the categories whose position changes (each is one PUT). Nothing at the edge.
 *
 * @example moveAmongSiblings(categories, 'server-backup', 'up') // [{ …server-backup, position: 0 }, { …virtual-servers, position: 1 }]
 */
export function moveAmongSiblings(
  categories: readonly Category[],
  id: string,
  direction: 'up' | 'down',
): Category[] {
  const moving = categories.find((category) => category.id === id);
  if (!moving) return [];
  const siblings = categories
    .filter((category) => category.parentId === moving.parentId)
    .sort(bySiblingOrder);
  const index = siblings.findIndex((category) => category.id === id);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= siblings.length) return [];
  const reordered = [...siblings];
  reordered.splice(index, 1);
  reordered.splice(target, 0, moving);
  return reordered
    .map((category, position) => ({ ...category, position }))
    .filter(
      (category, position) => siblings.find((sibling) => sibling.id === category.id)?.position !== position,
    );
}

/** The next free position under a parent: new categories go last. */
export function nextPosition(categories: readonly Category[], parentId: string | null): number {
  const positions = categories
    .filter((category) => category.parentId === parentId)
    .map((category) => category.position);
  return positions.length === 0 ? 0 : Math.max(...positions) + 1;
}
