import {
  type BasketRule,
  fetchBasketRules,
  fetchProducts,
  type Product,
  type ProductPage,
  type RuleTestResult,
  saveBasketRule,
  testBasketRule,
} from '#lib/api/catalog-admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import { problemIssues, type Segment } from '#lib/catalog-console/issue-paths.ts';
import { splitList } from '#lib/catalog-console/product-form.ts';
import {
  emptyRuleForm,
  newSampleItem,
  type RuleForm,
  ruleBody,
  ruleChecks,
  ruleFieldKeys,
  ruleFormOf,
  ruleIssueRewrite,
  ruleOf,
  type SampleItem,
  sampleItemOfMessage,
  sampleRequest,
  sortIssues,
} from '#lib/catalog-console/rule-form.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

/** Codes of a 400 about the rule itself (its expressions, its shape), not the sample basket. */
const RULE_PROBLEMS = new Set(['invalid_basket_rule', 'invalid_rule_expression']);

/**
 * Basket rules (catalog:read): the list, an editor for one rule (catalog:manage) whose expressions
 * the API parses on save (a 400 names the field and the character), and a test on a sample basket.
 */
export class RulesPage {
  readonly frame: ConsoleFrame;
  readonly rules: Resource<BasketRule[]>;
  readonly products: Resource<ProductPage>;
  readonly issues = new IssueForm('rule');
  readonly testIssues = new IssueForm('rule-test');

  /** The rule being changed; undefined while writing a new one. */
  editing: string | undefined = $state();
  /** Whether the editor is open at all. */
  open = $state(false);
  form: RuleForm = $state(emptyRuleForm());
  announcement = $state('');
  savedRule: string | undefined = $state();

  sample: SampleItem[] = $state([]);
  accountUsers = $state('1');
  testing = $state(false);
  testResult: RuleTestResult | undefined = $state();
  /** The set keys of the rule as tested, to name what a fix changes. */
  testedSetKeys: string[] = $state([]);

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    const options = (signal: AbortSignal) => ({ signal, fetch: frame.fetch });
    this.rules = new Resource((signal) => frame.guard(fetchBasketRules(frame.store, options(signal))));
    this.products = new Resource((signal) =>
      frame.guard(fetchProducts(frame.store, { limit: 200 }, options(signal))),
    );
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));
  readonly isNew: boolean = $derived.by(() => this.editing === undefined);
  readonly productList: Product[] = $derived.by(() =>
    [...(this.products.data?.items ?? [])].sort((a, b) => a.slug.localeCompare(b.slug)),
  );
  readonly fieldKeys: Set<string> = $derived.by(() => ruleFieldKeys(this.form));
  readonly testKeys: Set<string> = $derived.by(() => {
    const keys = new Set(['items', 'accountUsers']);
    this.sample.forEach((item, index) => {
      for (const field of ['product', 'preset', 'quantity', 'configuration', 'dimensions', 'options'])
        keys.add(`items.${index}.${field}`);
      for (const dimension of this.productOf(item.product)?.dimensions ?? [])
        keys.add(`items.${index}.dimensions.${dimension.key}`);
      for (const option of this.productOf(item.product)?.options ?? [])
        keys.add(`items.${index}.options.${option.key}`);
    });
    return keys;
  });
  readonly sortedIssues = $derived.by(() => sortIssues(this.testResult?.issues ?? []));

  async load(): Promise<void> {
    await Promise.all([this.rules.refresh(), this.products.refresh()]);
  }

  dispose(): void {
    this.rules.dispose();
    this.products.dispose();
  }

  productOf(slugOrId: string): Product | undefined {
    return this.productList.find((product) => product.slug === slugOrId || product.id === slugOrId);
  }

  /** A sample item of the first product the rule is about (or the first product there is). */
  #sampleFor(form: RuleForm): SampleItem[] {
    const inScope = splitList(form.products).find((slug) => this.productOf(slug));
    const product = inScope ?? this.productList[0]?.slug ?? '';
    return [newSampleItem(product)];
  }

  startEdit(rule: BasketRule): void {
    this.editing = rule.id;
    this.open = true;
    this.form = ruleFormOf(rule);
    this.issues.clear();
    this.testIssues.clear();
    this.testResult = undefined;
    this.savedRule = undefined;
    this.sample = this.#sampleFor(this.form);
  }

  startNew(): void {
    this.editing = undefined;
    this.open = true;
    this.form = emptyRuleForm();
    this.issues.clear();
    this.testIssues.clear();
    this.testResult = undefined;
    this.savedRule = undefined;
    this.sample = this.#sampleFor(this.form);
  }

  close(): void {
    this.open = false;
    this.editing = undefined;
    this.issues.clear();
  }

  toggleKind(kind: RuleForm['kinds'][number], on: boolean): void {
    const others = this.form.kinds.filter((existing) => existing !== kind);
    this.form.kinds = on ? [...others, kind] : others;
  }

  toggleProduct(slug: string, on: boolean): void {
    const others = splitList(this.form.products).filter((existing) => existing !== slug);
    this.form.products = (on ? [...others, slug] : others).join(', ');
    this.issues.touch('scope.products');
  }

  addSetRow(): void {
    this.form.set.push({ key: '', expression: '' });
  }

  removeSetRow(index: number): void {
    this.form.set.splice(index, 1);
    this.issues.errors = Object.fromEntries(
      Object.entries(this.issues.errors).filter(([key]) => !key.startsWith('fix.set.')),
    );
  }

  #ruleFailed(problem: ApiProblem): void {
    this.issues.fail(problem, this.fieldKeys, { rewrite: ruleIssueRewrite(this.form) });
    if (this.issues.general.length === 0)
      this.issues.general = ['The rule has mistakes: see the fields marked below.'];
  }

  async save(): Promise<BasketRule | undefined> {
    if (this.issues.submitting || !this.canManage) return undefined;
    const form = $state.snapshot(this.form) as RuleForm;
    const checks = ruleChecks(form, this.isNew);
    if (!this.isNew) checks.delete('id');
    if (this.isNew && this.rules.data?.some((rule) => rule.id === form.id.trim()))
      checks.set('id', `There is a rule “${form.id.trim()}” already: choose another id, or edit that one.`);
    if (checks.size > 0) {
      this.issues.reject(checks, ['Nothing was saved: check the fields marked below.']);
      return undefined;
    }
    const rule = ruleOf(form);
    const id = this.editing ?? rule.id;
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const result = await this.frame.guard(
        saveBasketRule(this.frame.store, id, ruleBody(rule), { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.#ruleFailed(result.problem);
        return undefined;
      }
      const saved = result.data;
      const current = this.rules.data ?? [];
      this.rules.data = current.some((existing) => existing.id === saved.id)
        ? current.map((existing) => (existing.id === saved.id ? saved : existing))
        : [...current, saved];
      this.editing = saved.id;
      this.form = ruleFormOf(saved);
      this.savedRule = saved.id;
      this.announcement = `Saved the rule ${saved.id}. Baskets are checked with it from now on.`;
      return saved;
    } finally {
      this.issues.submitting = false;
    }
  }

  addSampleItem(): void {
    this.sample.push(newSampleItem(this.productList[0]?.slug ?? ''));
  }

  removeSampleItem(index: number): void {
    this.sample.splice(index, 1);
    this.testIssues.clear();
  }

  /** Tries the rule as it stands in the editor (saved or not) on the sample basket. */
  async test(): Promise<RuleTestResult | undefined> {
    if (this.testing || !this.canManage) return undefined;
    const form = $state.snapshot(this.form) as RuleForm;
    const ruleProblems = ruleChecks({ ...form, id: form.id || this.editing || 'draft-rule' }, false);
    const request = sampleRequest(
      $state.snapshot(this.sample) as SampleItem[],
      this.accountUsers,
      this.productList,
    );
    if (ruleProblems.size > 0)
      this.issues.reject(ruleProblems, ['Finish the rule first: check the fields marked below.']);
    if (!request.ok) this.testIssues.reject(request.errors);
    if (ruleProblems.size > 0 || !request.ok) return undefined;
    const rule = { ...ruleOf(form), id: this.editing ?? (form.id.trim() || 'draft-rule') };
    this.issues.clear();
    this.testIssues.clear();
    this.testing = true;
    this.testResult = undefined;
    try {
      const result = await this.frame.guard(
        testBasketRule(
          this.frame.store,
          { rule, items: request.items, accountUsers: request.accountUsers },
          { fetch: this.frame.fetch },
        ),
      );
      if (!result.ok) {
        if (isUnauthenticated(result.problem)) return undefined;
        this.#testFailed(result.problem);
        return undefined;
      }
      this.testResult = result.data;
      this.testedSetKeys = Object.keys(rule.fix?.set ?? {});
      const count = result.data.issues.length;
      this.announcement =
        count === 0
          ? 'The test found nothing to report.'
          : `The test found ${count} ${count === 1 ? 'issue' : 'issues'}.`;
      return result.data;
    } finally {
      this.testing = false;
    }
  }

  #testFailed(problem: ApiProblem): void {
    if (problem.kind === 'http' && RULE_PROBLEMS.has(problem.code)) {
      this.#ruleFailed(problem);
      this.testIssues.general = ['The rule has mistakes: fix them in the editor, then test again.'];
      return;
    }
    // The details of a sample item's 400 leave the item out of the path; its message names it.
    const item = problem.kind === 'http' ? sampleItemOfMessage(problem.message) : undefined;
    const rewrite = (segments: Segment[]): Segment[] => {
      if (segments[0] === 'items') return segments.filter((segment) => segment !== 'configuration');
      return item === undefined ? segments : ['items', item, ...segments];
    };
    const rulePaths = problemIssues(problem).some((issue) => issue.path.startsWith('body.rule'));
    if (rulePaths) this.#ruleFailed(problem);
    this.testIssues.fail(problem, this.testKeys, { rewrite });
  }
}
