import { type Category, fetchCategories, saveCategory } from '#lib/api/catalog-admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import {
  buildCategoryTree,
  bySiblingOrder,
  type CategoryNode,
  flattenTree,
} from '#lib/catalog/category-tree.ts';
import {
  descendantsOf,
  indentedName,
  moveAmongSiblings,
  nextPosition,
} from '#lib/catalog-console/category-tree.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import { numberOf } from '#lib/catalog-console/product-form.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { slugify } from '#lib/slug.ts';
import { localized } from '#shared/catalog/localized.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

export const CATEGORY_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
export const CATEGORY_LOCALES = ['en', 'de'] as const;

export type CategoryForm = {
  id: string;
  /** '' for the top level. */
  parentId: string;
  name: Record<string, string>;
  description: Record<string, string>;
  position: string;
};

/** The console shows categories in English (falling back to any language they have). */
const english = (text: Category['name']): string => localized(text, 'en', 'en');

const emptyTexts = (): Record<string, string> =>
  Object.fromEntries(CATEGORY_LOCALES.map((locale) => [locale, '']));

function texts(fields: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(fields)
    .map(([locale, text]) => [locale, text.trim()] as const)
    .filter(([, text]) => text !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The category tree (catalog:read) and its editor (catalog:manage): add a category under any node,
 * rename it, move it under another parent, reorder it among its siblings.
 */
export class CategoriesPage {
  readonly frame: ConsoleFrame;
  readonly categories: Resource<Category[]>;
  readonly issues = new IssueForm('category');
  /** The category being changed; undefined while adding one. */
  editing: string | undefined = $state();
  form: CategoryForm = $state({
    id: '',
    parentId: '',
    name: emptyTexts(),
    description: emptyTexts(),
    position: '0',
  });
  /** The id follows the English name until someone types one. */
  idTyped = $state(false);
  announcement = $state('');
  /** Category id while it moves; a failed move's problem. */
  moving: string | undefined = $state();
  moveProblem: { id: string; problem: ApiProblem } | undefined = $state();
  /** The category last saved, to point at it in the tree. */
  saved: string | undefined = $state();

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.categories = new Resource((signal) =>
      frame.guard(fetchCategories(frame.store, { signal, fetch: frame.fetch })),
    );
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly tree: CategoryNode[] = $derived.by(() => buildCategoryTree(this.categories.data ?? [], 'en'));
  readonly fieldKeys: Set<string> = $derived(
    new Set([
      'id',
      'parentId',
      'position',
      ...CATEGORY_LOCALES.flatMap((l) => [`name.${l}`, `description.${l}`]),
    ]),
  );

  /** "Top level" and every category; in the editor, not itself nor what is under it (no cycles). */
  readonly parentOptions: { value: string; label: string; disabled?: boolean }[] = $derived.by(() => {
    const all = this.categories.data ?? [];
    const blocked = this.editing
      ? new Set([this.editing, ...descendantsOf(all, this.editing)])
      : new Set<string>();
    return [
      { value: '', label: 'Top level' },
      ...flattenTree(this.tree).map((node) => ({
        value: node.category.id,
        label: `${indentedName(node)}${blocked.has(node.category.id) ? ' (under this category)' : ''}`,
        disabled: blocked.has(node.category.id),
      })),
    ];
  });

  readonly editingName: string | undefined = $derived.by(() => {
    const category = this.categories.data?.find((candidate) => candidate.id === this.editing);
    return category ? english(category.name) : undefined;
  });

  load(): Promise<void> {
    return this.categories.refresh();
  }

  dispose(): void {
    this.categories.dispose();
  }

  name(id: string | null): string {
    const category = this.categories.data?.find((candidate) => candidate.id === id);
    return category ? english(category.name) : 'the top level';
  }

  /** A new category under `parentId` (null: the top level), last among its siblings. */
  startNew(parentId: string | null): void {
    this.editing = undefined;
    this.idTyped = false;
    this.form = {
      id: '',
      parentId: parentId ?? '',
      name: emptyTexts(),
      description: emptyTexts(),
      position: String(nextPosition(this.categories.data ?? [], parentId)),
    };
    this.issues.clear();
  }

  startEdit(category: Category): void {
    this.editing = category.id;
    this.form = {
      id: category.id,
      parentId: category.parentId ?? '',
      name: { ...emptyTexts(), ...category.name },
      description: { ...emptyTexts(), ...category.description },
      position: String(category.position),
    };
    this.issues.clear();
  }

  /** The English name changed: a new category's id follows it until one is typed. */
  nameChanged(): void {
    if (!this.editing && !this.idTyped) this.form.id = slugify(this.form.name.en ?? '');
  }

  async save(): Promise<Category | undefined> {
    if (this.issues.submitting) return undefined;
    const id = this.editing ?? this.form.id.trim();
    const position = numberOf(this.form.position);
    const errors = new Map<string, string>();
    if (!this.editing) {
      if (id === '') errors.set('id', 'Give the category an id, like “gpu-servers”.');
      else if (!CATEGORY_ID.test(id))
        errors.set('id', 'Use lowercase letters, digits and hyphens, starting with a letter or digit.');
      else if (this.categories.data?.some((category) => category.id === id))
        errors.set('id', `There is a category “${id}” already: choose another id, or edit that one.`);
    }
    if (!texts(this.form.name)?.en) errors.set('name.en', 'Enter the category’s name.');
    if (position === undefined || !Number.isInteger(position) || position < 0)
      errors.set('position', 'Enter a whole number, 0 or more: lower numbers come first.');
    if (errors.size > 0) {
      this.issues.reject(errors);
      return undefined;
    }
    const description = texts(this.form.description);
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const result = await this.frame.guard(
        saveCategory(
          this.frame.store,
          id,
          {
            parentId: this.form.parentId || null,
            name: texts(this.form.name) ?? {},
            ...(description ? { description } : {}),
            position: position ?? 0,
          },
          { fetch: this.frame.fetch },
        ),
      );
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.issues.fail(result.problem, this.fieldKeys);
        return undefined;
      }
      this.#replace([result.data]);
      this.saved = result.data.id;
      this.announcement = `${this.editing ? 'Saved' : 'Added'} the category ${english(result.data.name)} under ${this.name(result.data.parentId)}.`;
      if (this.editing) this.startEdit(result.data);
      else this.startNew(result.data.parentId);
      return result.data;
    } finally {
      this.issues.submitting = false;
    }
  }

  /** Moves a category one place among its siblings: its siblings are renumbered 0, 1, 2 …. */
  async move(category: Category, direction: 'up' | 'down'): Promise<boolean> {
    if (this.moving) return false;
    const changes = moveAmongSiblings(this.categories.data ?? [], category.id, direction);
    if (changes.length === 0) return false;
    this.moving = category.id;
    this.moveProblem = undefined;
    try {
      for (const change of changes) {
        const { id, ...body } = change;
        const result = await this.frame.guard(
          saveCategory(this.frame.store, id, body, { fetch: this.frame.fetch }),
        );
        if (!result.ok) {
          if (!isUnauthenticated(result.problem))
            this.moveProblem = { id: category.id, problem: result.problem };
          await this.categories.refresh();
          return false;
        }
        this.#replace([result.data]);
      }
      this.announcement = `Moved ${english(category.name)} ${direction}.`;
      return true;
    } finally {
      this.moving = undefined;
    }
  }

  #replace(saved: Category[]): void {
    const byId = new Map(saved.map((category) => [category.id, category]));
    const current = this.categories.data ?? [];
    this.categories.data = [
      ...current.map((category) => byId.get(category.id) ?? category),
      ...saved.filter((category) => !current.some((existing) => existing.id === category.id)),
    ];
  }

  /** Whether a category is first / last among its siblings (no move that way). */
  edge(category: Category): { first: boolean; last: boolean } {
    const siblings = (this.categories.data ?? [])
      .filter((candidate) => candidate.parentId === category.parentId)
      .sort(bySiblingOrder);
    return { first: siblings[0]?.id === category.id, last: siblings.at(-1)?.id === category.id };
  }
}
