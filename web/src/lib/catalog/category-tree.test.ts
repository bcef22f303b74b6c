import { describe, expect, it } from 'vitest';
import { Category as CategorySchema } from '#shared/catalog/catalog.ts';
import { demoCategories } from '#shared/catalog/demo-catalog.ts';
import {
  breadcrumb,
  buildCategoryTree,
  type Category,
  type CategoryNode,
  categoryPath,
  flattenTree,
} from './category-tree.ts';

const categories: Category[] = [
  { id: 'servers', parentId: 'compute', name: { en: 'Servers', de: 'Server' }, position: 0 },
  { id: 'databases', parentId: null, name: { en: 'Databases' }, position: 1 },
  { id: 'compute', parentId: null, name: { en: 'Compute' }, position: 0 },
  { id: 'virtual-servers', parentId: 'servers', name: { en: 'Virtual servers' }, position: 0 },
  { id: 'backup', parentId: 'servers', name: { en: 'Backup' }, position: 0 },
  { id: 'orphan', parentId: 'gone', name: { en: 'Orphan' }, position: 9 },
  { id: 'zebra', parentId: 'servers', name: { en: 'Archive' }, position: 0 },
];
const demo = demoCategories.map((category) => CategorySchema.parse(category));
const ids = (nodes: readonly CategoryNode[]) => nodes.map((node) => node.category.id);
/** The tree as [id, children] pairs, to compare shapes. */
type Shape = [string, Shape[]];
const shape = (nodes: readonly CategoryNode[]): Shape[] =>
  nodes.map((node) => [node.category.id, shape(node.children)]);

describe('category tree', () => {
  it('nests categories at any depth, siblings by position then id (as the API orders them)', () => {
    const tree = buildCategoryTree(categories, 'en');
    expect(ids(tree)).toEqual(['compute', 'databases', 'orphan']);
    const servers = tree[0]?.children[0];
    expect(servers?.name).toBe('Servers');
    // 'Virtual servers' sorts after 'Backup' by name too: 'zebra' (named 'Archive') tells them apart.
    expect(servers?.children.map((node) => [node.category.id, node.children.length])).toEqual([
      ['backup', 0],
      ['virtual-servers', 0],
      ['zebra', 0],
    ]);
  });

  it('nests the demo store’s list with depths, and flattens it in tree order', () => {
    const tree = buildCategoryTree(demo, 'en');
    expect(ids(tree)).toEqual(['compute', 'databases', 'storage', 'productivity', 'domains', 'services']);
    const compute = tree[0];
    expect(ids(compute?.children ?? [])).toEqual(['servers']);
    expect(compute?.children[0]?.children.map((node) => [node.category.id, node.depth])).toEqual([
      ['virtual-servers', 2],
      ['server-backup', 2],
    ]);
    const flat = flattenTree(tree);
    expect(flat).toHaveLength(demo.length);
    expect(ids(flat.slice(0, 4))).toEqual(['compute', 'servers', 'virtual-servers', 'server-backup']);
  });

  it('names categories in the store’s language, falling back to any', () => {
    const tree = buildCategoryTree(categories, 'de-AT');
    expect(tree[0]?.name).toBe('Compute');
    expect(tree[0]?.children[0]?.name).toBe('Server');
    expect(tree[0]?.description).toBe('');
  });

  it('keeps a category whose parent is missing, at the top', () => {
    const orphan = { id: 'lost', parentId: 'gone', name: { en: 'Lost' }, position: 0 };
    const tree = buildCategoryTree([...demo, orphan], 'en');
    expect(ids(tree)).toContain('lost');
    expect(tree.find((node) => node.category.id === 'lost')?.depth).toBe(0);
  });

  it('shows the categories of a cycle once each, at the top, instead of looping or losing them', () => {
    const cyclic: Category[] = [
      { id: 'a', parentId: 'b', name: { en: 'A' }, position: 0 },
      { id: 'b', parentId: 'a', name: { en: 'B' }, position: 0 },
      { id: 'c', parentId: 'b', name: { en: 'C' }, position: 1 },
      { id: 'top', parentId: null, name: { en: 'Top' }, position: 5 },
    ];
    const tree = buildCategoryTree(cyclic, 'en');
    expect(shape(tree)).toEqual([
      ['top', []],
      ['a', [['b', [['c', []]]]]],
    ]);
    expect(flattenTree(tree).map((node) => [node.category.id, node.depth])).toEqual([
      ['top', 0],
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
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

  it('names the path in a language', () => {
    expect(breadcrumb(demo, 'virtual-servers', 'en')).toBe('Compute › Servers › Virtual servers');
    expect(breadcrumb(demo, 'virtual-servers', 'de')).toBe('Rechenleistung › Server › Virtuelle Server');
    expect(breadcrumb(demo, 'gone', 'en')).toBe('');
  });
});
