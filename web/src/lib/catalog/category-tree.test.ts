import { describe, expect, it } from 'vitest';
import { buildCategoryTree, type Category, categoryPath } from './category-tree.ts';

const categories: Category[] = [
  { id: 'servers', parentId: 'compute', name: { en: 'Servers', de: 'Server' }, position: 0 },
  { id: 'databases', parentId: null, name: { en: 'Databases' }, position: 1 },
  { id: 'compute', parentId: null, name: { en: 'Compute' }, position: 0 },
  { id: 'virtual-servers', parentId: 'servers', name: { en: 'Virtual servers' }, position: 0 },
  { id: 'backup', parentId: 'servers', name: { en: 'Backup' }, position: 0 },
  { id: 'orphan', parentId: 'gone', name: { en: 'Orphan' }, position: 9 },
  { id: 'zebra', parentId: 'servers', name: { en: 'Archive' }, position: 0 },
];

describe('category tree', () => {
  it('nests categories at any depth, siblings by position then id (as the API orders them)', () => {
    const tree = buildCategoryTree(categories, 'en');
    expect(tree.map((node) => node.id)).toEqual(['compute', 'databases', 'orphan']);
    const servers = tree[0]?.children[0];
    expect(servers?.name).toBe('Servers');
    // 'Virtual servers' sorts after 'Backup' by name too: 'zebra' (named 'Archive') tells them apart.
    expect(servers?.children.map((node) => [node.id, node.children.length])).toEqual([
      ['backup', 0],
      ['virtual-servers', 0],
      ['zebra', 0],
    ]);
  });

  it('names categories in the store’s language, falling back to any', () => {
    const tree = buildCategoryTree(categories, 'de-AT');
    expect(tree[0]?.name).toBe('Compute');
    expect(tree[0]?.children[0]?.name).toBe('Server');
    expect(tree[0]?.description).toBe('');
  });

  it('cuts a cycle instead of looping', () => {
    const cyclic: Category[] = [
      { id: 'a', parentId: 'b', name: { en: 'A' }, position: 0 },
      { id: 'b', parentId: 'a', name: { en: 'B' }, position: 0 },
    ];
    expect(buildCategoryTree(cyclic, 'en')).toEqual([]);
    expect(categoryPath(cyclic, 'a').map((category) => category.id)).toEqual(['b', 'a']);
  });

  it('finds the path from the top', () => {
    expect(categoryPath(categories, 'virtual-servers').map((category) => category.id)).toEqual([
      'compute',
      'servers',
      'virtual-servers',
    ]);
    expect(categoryPath(categories, undefined)).toEqual([]);
    expect(categoryPath(categories, 'gone')).toEqual([]);
  });
});
