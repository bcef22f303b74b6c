/**
 * What the console does with the category tree beyond showing it (`#lib/catalog/category-tree.ts`
 * builds and walks it): labels for selects, what sits under a category, and the position changes
 * that move a category among its siblings.
 */
import { bySiblingOrder, type Category, type CategoryNode } from '#lib/catalog/category-tree.ts';

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

/** A label for a select: indented by depth with non-breaking spaces and a dash. */
export function indentedName(node: CategoryNode): string {
  return `${'\u00a0\u00a0'.repeat(node.depth)}${node.depth > 0 ? '– ' : ''}${node.name}`;
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
