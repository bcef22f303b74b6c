import { describe, expect, it } from 'vitest';
import { buildCategoryTree, type Category, categoryPath, isWithin, localize } from './category-tree.ts';

const categories: Category[] = [
  { id: 'servers', parentId: 'compute', name: { en: 'Servers', de: 'Server' }, position: 0 },
  { id: 'databases', parentId: null, name: { en: 'Databases' }, position: 1 },
  { id: 'compute', parentId: null, name: { en: 'Compute' }, position: 0 },
  { id: 'virtual-servers', parentId: 'servers', name: { en: 'Virtual servers' }, position: 0 },
  { id: 'backup', parentId: 'servers', name: { en: 'Backup' }, position: 0 },
  { id: 'orphan', parentId: 'gone', name: { en: 'Orphan' }, position: 9 },
];

describe('category tree', () => {
  it('nests categories at any depth, siblings by position then name', () => {
    const tree = buildCategoryTree(categories, 'en');
    expect(tree.map((node) => node.id)).toEqual(['compute', 'databases', 'orphan']);
    const servers = tree[0]?.children[0];
    expect(servers?.name).toBe('Servers');
    expect(servers?.children.map((node) => [node.id, node.depth])).toEqual([
      ['backup', 2],
      ['virtual-servers', 2],
    ]);
  });

  it('cuts a cycle instead of looping', () => {
    const cyclic: Category[] = [
      { id: 'a', parentId: 'b', name: { en: 'A' }, position: 0 },
      { id: 'b', parentId: 'a', name: { en: 'B' }, position: 0 },
    ];
    expect(buildCategoryTree(cyclic, 'en')).toEqual([]);
    expect(categoryPath(cyclic, 'a').map((category) => category.id)).toEqual(['b', 'a']);
  });

  it('finds the path from the top and what lies within', () => {
    expect(categoryPath(categories, 'virtual-servers').map((category) => category.id)).toEqual([
      'compute',
      'servers',
      'virtual-servers',
    ]);
    expect(categoryPath(categories, undefined)).toEqual([]);
    expect(isWithin(categories, 'virtual-servers', 'compute')).toBe(true);
    expect(isWithin(categories, 'databases', 'compute')).toBe(false);
  });

  it('picks the language, then the fallback, then any', () => {
    expect(localize({ en: 'Servers', de: 'Server' }, 'de-AT', 'en')).toBe('Server');
    expect(localize({ en: 'Servers' }, 'fr', 'en')).toBe('Servers');
    expect(localize({ it: 'Server' }, 'fr', 'en')).toBe('Server');
    expect(localize(undefined, 'en', 'en')).toBe('');
  });
});
