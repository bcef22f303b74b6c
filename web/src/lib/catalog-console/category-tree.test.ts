import { describe, expect, it } from 'vitest';
import { Category } from '#shared/catalog/catalog.ts';
import { demoCategories } from '#shared/catalog/demo-catalog.ts';
import {
  breadcrumb,
  buildTree,
  descendantsOf,
  flattenTree,
  indentedName,
  moveAmongSiblings,
  nextPosition,
} from './category-tree.ts';

const categories = demoCategories.map((category) => Category.parse(category));
const ids = (list: readonly { id: string }[]) => list.map((category) => category.id);

describe('the category tree', () => {
  it('nests the flat list, siblings by position', () => {
    const tree = buildTree(categories);
    expect(tree.map((node) => node.category.id)).toEqual([
      'compute',
      'databases',
      'storage',
      'productivity',
      'domains',
      'services',
    ]);
    const compute = tree[0];
    expect(compute?.children.map((node) => node.category.id)).toEqual(['servers']);
    expect(compute?.children[0]?.children.map((node) => [node.category.id, node.depth])).toEqual([
      ['virtual-servers', 2],
      ['server-backup', 2],
    ]);
    expect(flattenTree(tree)).toHaveLength(categories.length);
  });

  it('keeps a category whose parent is missing, at the top', () => {
    const orphan = { id: 'lost', parentId: 'gone', name: { en: 'Lost' }, position: 0 };
    expect(buildTree([...categories, orphan]).map((node) => node.category.id)).toContain('lost');
  });

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

  it('names and places categories', () => {
    expect(breadcrumb(categories, 'virtual-servers', 'en')).toBe('Compute › Servers › Virtual servers');
    expect(breadcrumb(categories, 'virtual-servers', 'de')).toBe(
      'Rechenleistung › Server › Virtuelle Server',
    );
    const node = flattenTree(buildTree(categories)).find((entry) => entry.category.id === 'virtual-servers');
    expect(node && indentedName(node, 'en')).toBe('\u00a0\u00a0\u00a0\u00a0– Virtual servers');
    expect(nextPosition(categories, 'servers')).toBe(2);
    expect(nextPosition(categories, 'nothing-under')).toBe(0);
  });
});
