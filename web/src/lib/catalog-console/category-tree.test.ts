import { describe, expect, it } from 'vitest';
import { buildCategoryTree, flattenTree } from '#lib/catalog/category-tree.ts';
import { Category } from '#shared/catalog/catalog.ts';
import { demoCategories } from '#shared/catalog/demo-catalog.ts';
import { descendantsOf, indentedName, moveAmongSiblings, nextPosition } from './category-tree.ts';

const categories = demoCategories.map((category) => Category.parse(category));
const ids = (list: readonly { id: string }[]) => list.map((category) => category.id);

describe('the category tree in the console', () => {
  it('knows what sits under a category (no moving it there)', () => {
    expect([...descendantsOf(categories, 'compute')].sort()).toEqual([
      'server-backup',
      'servers',
      'virtual-servers',
    ]);
    expect(descendantsOf(categories, 'virtual-servers').size).toBe(0);
  });

  it('moves a category among its siblings and renumbers them', () => {
    const moved = moveAmongSiblings(categories, 'server-backup', 'up');
    expect(moved.map((category) => [category.id, category.position])).toEqual([
      ['server-backup', 0],
      ['virtual-servers', 1],
    ]);
    expect(moveAmongSiblings(categories, 'server-backup', 'down')).toEqual([]);
    expect(moveAmongSiblings(categories, 'compute', 'up')).toEqual([]);
    // Equal positions: numbered in the shown order, only the changed ones returned.
    const tied = [
      { id: 'a', parentId: null, name: { en: 'A' }, position: 0 },
      { id: 'b', parentId: null, name: { en: 'B' }, position: 0 },
      { id: 'c', parentId: null, name: { en: 'C' }, position: 0 },
    ];
    expect(ids(moveAmongSiblings(tied, 'c', 'up'))).toEqual(['c', 'b']);
  });

  it('labels and places categories', () => {
    const flat = flattenTree(buildCategoryTree(categories, 'en'));
    const node = flat.find((entry) => entry.category.id === 'virtual-servers');
    expect(node && indentedName(node)).toBe('\u00a0\u00a0\u00a0\u00a0– Virtual servers');
    expect(flat[0] && indentedName(flat[0])).toBe('Compute');
    expect(nextPosition(categories, 'servers')).toBe(2);
    expect(nextPosition(categories, 'nothing-under')).toBe(0);
  });
});
