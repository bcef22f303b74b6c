/**
 * Checking a basket against the merchant's rules (docs/basket-rules.md): for each enabled rule and
 * each item in its scope where `when` holds, `assert` must hold, or the rule reports its message,
 * with a fix the client can apply when the fix really resolves the issue.
 *
 * A merchant's broken rule must not block a buyer: a rule that fails to compile or evaluate
 * becomes a warning `rule_error:<id>`, never an error.
 */
import type { Configurator, ProductInput } from '../../catalog/catalog.ts';
import {
  configurationRulesOf,
  type ResolvedConfiguration,
  resolveConfiguration,
} from '../../catalog/configuration.ts';
import { decimal } from '../../catalog/money.ts';
import { InvalidConfigurationError } from '../../catalog/pricing-errors.ts';
import type {
  CapacityDimension,
  Configuration,
  OptionValue,
  Preset,
  ProductKind,
  ProductOption,
} from '../../catalog/product.ts';
import type { FieldIssue } from '../../http/error-body.ts';
import type { BasketFix, BasketIssue, BasketRule } from '../basket.ts';
import { validDomain } from '../checks/domain-names.ts';
import {
  type CompiledExpression,
  type CompiledTemplate,
  type CompileOptions,
  ceilIgnoringNoise,
  compileExpression,
  compileTemplate,
  type EvaluationScope,
  formatRuleValue,
  InvalidRuleExpressionError,
  RuleEvaluationError,
  type RuleValue,
  type RuleValueType,
  type ScopeItem,
} from './expression.ts';

/** What the checks need of a product in the basket. */
export type SnapshotProduct = {
  id: string;
  slug: string;
  kind: ProductKind;
  /** The product's categories and all their ancestors: `category:servers` matches a product under it. */
  categoryIds: string[];
  configurator: Configurator;
  dimensions: CapacityDimension[];
  options: ProductOption[];
  presets: Preset[];
  inputs: ProductInput[];
};

export type SnapshotItem = {
  id: string;
  product: SnapshotProduct;
  /** Every dimension and option filled in (resolveConfiguration). */
  configuration: ResolvedConfiguration;
  inputs: Readonly<Record<string, string>>;
  quantity: number;
};

type DomainConfigurator = Extract<Configurator, { type: 'domain' }>;

/** Everything checking a basket reads: its items, the buyer's account and domains. */
export type BasketSnapshot = {
  items: SnapshotItem[];
  account: { users: number };
  /** Domains the buyer already owns (as typed; normalised when compared). */
  ownedDomains: string[];
  /** The store's domain product, to suggest adding a domain the basket needs. */
  domainProduct?: { slug: string; configurator: DomainConfigurator; options: ProductOption[] };
};

const QUANTITY_LIMITS = { min: 1, max: 100 };

/**
 * A basket item as the checks see it, its configuration resolved against the product.
 *
 * @example snapshotItemOf('bki_…', serverProduct, { configuration: { dimensions: { vcpu: 4 } } })
 * @throws InvalidConfigurationError when the configuration does not fit the product
 */
export function snapshotItemOf(
  id: string,
  product: SnapshotProduct,
  chosen: { configuration?: Configuration; inputs?: Record<string, string>; quantity?: number } = {},
): SnapshotItem {
  const resolved = resolveConfiguration(configurationRulesOf(product), chosen.configuration ?? {});
  if (resolved.issues.length > 0) throw new InvalidConfigurationError(resolved.issues);
  return {
    id,
    product,
    configuration: resolved.configuration,
    inputs: chosen.inputs ?? {},
    quantity: chosen.quantity ?? 1,
  };
}

// ---------------------------------------------------------------------------------------------
// The basket as expressions see it

function scopeItemOf(item: SnapshotItem): ScopeItem {
  const configurator = item.product.configurator;
  return {
    productId: item.product.id,
    productSlug: item.product.slug,
    kind: item.product.kind,
    configuratorType: item.product.configurator.type,
    categoryIds: item.product.categoryIds,
    quantity: item.quantity,
    dimensions: item.configuration.dimensions,
    domain:
      configurator.type === 'domain' ? validDomain(item.inputs[configurator.domainInput])?.ascii : undefined,
  };
}

function basketScopeOf(snapshot: BasketSnapshot): EvaluationScope {
  return {
    items: snapshot.items.map(scopeItemOf),
    accountUsers: snapshot.account.users,
    ownedDomains: new Set(snapshot.ownedDomains.flatMap((name) => validDomain(name)?.ascii ?? [])),
  };
}

/** An item's names for expressions: dimension, option and input keys, and `quantity`. */
function itemValuesOf(item: SnapshotItem): Record<string, RuleValue> {
  const values: Record<string, RuleValue> = {};
  for (const dimension of item.product.dimensions) {
    values[dimension.key] = item.configuration.dimensions[dimension.key] ?? dimension.default;
  }
  for (const option of item.product.options) {
    values[option.key] =
      item.configuration.options[option.key] ??
      (option.type === 'toggle' ? false : option.type === 'multi' ? [] : '');
  }
  for (const input of item.product.inputs) values[input.key] = item.inputs[input.key] ?? '';
  values.quantity = item.quantity;
  return values;
}

/**
 * The names and types a product gives expressions, to check a rule's names when it is saved.
 *
 * @example itemNamesOf(virtualServer).os // 'string'
 */
export function itemNamesOf(
  product: Pick<SnapshotProduct, 'dimensions' | 'options'> & { inputs?: readonly ProductInput[] },
): Record<string, RuleValueType> {
  const names: Record<string, RuleValueType> = { quantity: 'number' };
  for (const dimension of product.dimensions) names[dimension.key] = 'number';
  for (const option of product.options) {
    names[option.key] = option.type === 'single' ? 'string' : option.type === 'multi' ? 'list' : 'boolean';
  }
  for (const input of product.inputs ?? []) names[input.key] = 'string';
  return names;
}

/** Items match a rule's scope by product (id or slug), category (ancestors included) and kind, all given. */
export function inRuleScope(scope: NonNullable<BasketRule['scope']>, product: SnapshotProduct): boolean {
  const { products, categories, kinds } = scope;
  if (products?.length && !products.some((key) => key === product.id || key === product.slug)) return false;
  if (categories?.length && !categories.some((category) => product.categoryIds.includes(category)))
    return false;
  if (kinds?.length && !kinds.includes(product.kind)) return false;
  return true;
}

/**
 * The nearest value on a dimension's grid at or above `value`, kept within min and max.
 *
 * @example snapUpToGrid({ min: 20, max: 4000, step: 10 }, 31) // 40
 */
export function snapUpToGrid(
  dimension: Pick<CapacityDimension, 'min' | 'max' | 'step'>,
  value: number,
): number {
  const { min, max, step } = dimension;
  const lastStep = decimal(max).minus(min).div(step).floor();
  const steps = (value - min) / step;
  const wanted = decimal(steps <= 0 ? 0 : ceilIgnoringNoise(steps));
  return decimal(min)
    .plus((wanted.gt(lastStep) ? lastStep : wanted).times(step))
    .toNumber();
}

// ---------------------------------------------------------------------------------------------
// Compiling rules

type CompiledFix = {
  label: CompiledTemplate;
  set: Array<[key: string, value: CompiledExpression]>;
  quantity?: CompiledExpression;
  add?: { product: string; preset?: string };
  remove: boolean;
};

type CompiledRule = {
  when?: CompiledExpression;
  assert: CompiledExpression;
  message: CompiledTemplate;
  fix?: CompiledFix;
};

type RuleSource = Pick<BasketRule, 'scope' | 'when' | 'assert' | 'message' | 'fix'>;
type ProblemSink = (path: string, code: string, message: string) => void;

/** Compiles every part of a rule, reporting each problem; undefined when there was one. */
function compileRule(
  rule: RuleSource,
  names: CompileOptions['names'],
  report: ProblemSink,
): CompiledRule | undefined {
  const basketWide = !rule.scope;
  const options: CompileOptions = basketWide ? { basketWide } : { names };
  let valid = true;
  const attempt = <T>(path: string, compile: () => T): T | undefined => {
    try {
      return compile();
    } catch (error) {
      if (!(error instanceof InvalidRuleExpressionError)) throw error;
      valid = false;
      report(path, error.code, error.message);
      return undefined;
    }
  };
  const fixProblem = (path: string, message: string) => {
    valid = false;
    report(path, 'invalid_rule_fix', message);
  };

  const { when: whenSource } = rule;
  const when =
    whenSource === undefined
      ? undefined
      : attempt('when', () => compileExpression(whenSource, { ...options, expect: 'boolean' }));
  const assert = attempt('assert', () => compileExpression(rule.assert, { ...options, expect: 'boolean' }));
  const message = attempt('message', () => compileTemplate(rule.message, options));

  let fix: CompiledFix | undefined;
  if (rule.fix) {
    const { label: labelSource, set = {}, quantity, add, remove } = rule.fix;
    const changes = Object.keys(set).length > 0 || quantity !== undefined;
    const actions = [changes, add !== undefined, remove === true].filter(Boolean).length;
    if (actions === 0) fixProblem('fix', 'A fix needs set, quantity, add or remove');
    if (actions > 1) fixProblem('fix', 'A fix does one thing: set and quantity, add, or remove');
    if (basketWide && (changes || remove)) {
      fixProblem('fix', 'A basket-wide rule has no item to change: its fix can only add a product');
    }
    const label = attempt('fix.label', () => compileTemplate(labelSource, options));
    const compiledSet: CompiledFix['set'] = [];
    for (const [key, source] of Object.entries(set)) {
      if (key === 'quantity') {
        fixProblem('fix.set.quantity', 'Set the quantity with fix.quantity');
        continue;
      }
      if (names && !Object.hasOwn(names, key)) {
        fixProblem(`fix.set.${key}`, `"${key}" is not a dimension, option or input of the products in scope`);
        continue;
      }
      const expect = names?.[key];
      const value = attempt(`fix.set.${key}`, () => compileExpression(source, { ...options, expect }));
      if (value) compiledSet.push([key, value]);
    }
    const compiledQuantity =
      quantity === undefined
        ? undefined
        : attempt('fix.quantity', () => compileExpression(quantity, { ...options, expect: 'number' }));
    if (label) fix = { label, set: compiledSet, quantity: compiledQuantity, add, remove: remove === true };
  }
  if (!valid || !assert || !message) return undefined;
  return { when, assert, message, fix };
}

/**
 * Checks a rule's expressions and fix before it is saved (a 400 lists the issues). `names`, when
 * given, are the names of the products in scope (itemNamesOf), so unknown names are caught too.
 *
 * @example checkRuleSyntax({ assert: 'ram_gb <= 8 *', … })
 * // [{ path: 'body.assert', code: 'invalid_rule_expression', message: 'Expected expression after * at character 14' }]
 */
export function checkRuleSyntax(
  rule: RuleSource,
  options: { at?: string; names?: Readonly<Record<string, RuleValueType>> } = {},
): FieldIssue[] {
  const prefix = options.at ?? 'body';
  const issues: FieldIssue[] = [];
  compileRule(rule, options.names, (path, code, message) =>
    issues.push({ path: `${prefix}.${path}`, code, message }),
  );
  return issues;
}

/**
 * Rules are compiled once per rule object, not per basket check: a catalog version's rules stay the
 * same objects (CatalogView.rules) for as long as the instance keeps that version, and are
 * collected with it.
 */
const compiledRules = new WeakMap<BasketRule, CompiledRule | { problem: string }>();

function compiledRuleOf(rule: BasketRule): CompiledRule | { problem: string } {
  let compiled = compiledRules.get(rule);
  if (!compiled) {
    let problem = '';
    compiled = compileRule(rule, undefined, (path, _code, message) => {
      problem ||= `${path}: ${message}`;
    }) ?? { problem };
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Evaluating rules

/** A rule that could not be evaluated, and where. */
class RuleFailure extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function inPart<T>(path: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof RuleEvaluationError) throw new RuleFailure(path, error.message);
    throw error;
  }
}

function ruleError(rule: BasketRule, problem: string, itemId?: string): BasketIssue {
  return {
    severity: 'warning',
    code: `rule_error:${rule.id}`,
    message: `The store's rule "${rule.id}" could not be checked (${problem})`,
    ...(itemId ? { itemId } : {}),
  };
}

/** `when` holds (or is absent) and `assert` fails: the rule reports. */
function ruleBroken(compiled: CompiledRule, scope: EvaluationScope): boolean {
  if (compiled.when && inPart('when', () => compiled.when?.evaluate(scope)) !== true) return false;
  return inPart('assert', () => compiled.assert.evaluate(scope)) !== true;
}

/**
 * Is the rule satisfied once a fix is applied: the basket's items become `items`, the item checked
 * becomes `item` (none for a basket-wide rule)? Errors count as no.
 */
function satisfiedAfter(
  compiled: CompiledRule,
  scope: EvaluationScope,
  items: readonly ScopeItem[],
  item: SnapshotItem | undefined,
): boolean {
  try {
    return !ruleBroken(compiled, { ...scope, items, item: item && itemValuesOf(item) });
  } catch (error) {
    if (error instanceof RuleFailure) return false;
    throw error;
  }
}

/** The item an `add` fix would add, when the product is known from the basket; else undefined. */
function itemToAdd(snapshot: BasketSnapshot, add: NonNullable<CompiledFix['add']>): SnapshotItem | undefined {
  const product = snapshot.items.find(
    (item) => item.product.id === add.product || item.product.slug === add.product,
  )?.product;
  if (!product) return undefined;
  const preset = product.presets.find((candidate) => candidate.key === add.preset);
  const resolved = resolveConfiguration(configurationRulesOf(product), preset?.configuration ?? {});
  if (resolved.issues.length > 0) return undefined;
  return { id: 'bki_fix', product, configuration: resolved.configuration, inputs: {}, quantity: 1 };
}

/** The value an item's key takes under a fix, checked against the product. */
function fixedValue(
  item: SnapshotItem,
  key: string,
  value: RuleValue,
): { dimension?: number; option?: OptionValue; input?: string } {
  const product = item.product;
  const path = `fix.set.${key}`;
  const dimension = product.dimensions.find((candidate) => candidate.key === key);
  if (dimension) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RuleFailure(
        path,
        `${dimension.label} must be set to a number, not ${formatRuleValue(value)}`,
      );
    }
    return { dimension: snapUpToGrid(dimension, value) };
  }
  const option = product.options.find((candidate) => candidate.key === key);
  if (option) {
    const choices = (option.choices ?? []).map((choice) => choice.key);
    if (option.type === 'toggle' && typeof value === 'boolean') return { option: value };
    if (option.type === 'single' && typeof value === 'string' && choices.includes(value))
      return { option: value };
    if (
      option.type === 'multi' &&
      Array.isArray(value) &&
      value.every((choice) => choices.includes(choice))
    ) {
      return { option: choices.filter((choice) => value.includes(choice)) };
    }
    throw new RuleFailure(
      path,
      `${option.label} cannot be set to "${formatRuleValue(value)}"${choices.length ? `: its choices are ${choices.join(', ')}` : ''}`,
    );
  }
  if (product.inputs.some((input) => input.key === key)) {
    if (typeof value !== 'string') throw new RuleFailure(path, `the input "${key}" must be set to text`);
    return { input: value };
  }
  throw new RuleFailure(path, `"${key}" is not a dimension, option or input of ${product.slug}`);
}

/**
 * The fix of a rule broken by the item at `index` (undefined: by the basket), or undefined when it
 * would not fix it. An add is checked when the product is known from the basket, offered as is
 * otherwise.
 */
function fixOf(
  compiled: CompiledRule,
  fix: CompiledFix,
  snapshot: BasketSnapshot,
  scope: EvaluationScope,
  index: number | undefined,
): BasketFix | undefined {
  const label = inPart('fix.label', () => fix.label.render(scope));
  const item = index === undefined ? undefined : snapshot.items[index];
  if (fix.add) {
    const { product, preset } = fix.add;
    const added = itemToAdd(snapshot, fix.add);
    if (added && !satisfiedAfter(compiled, scope, [...scope.items, scopeItemOf(added)], item))
      return undefined;
    return { label, action: { kind: 'addItem', product, ...(preset ? { preset } : {}) } };
  }
  // set, quantity and remove change the item: compileRule lets no basket-wide rule have them
  if (!item) return undefined;
  if (fix.remove) return { label, action: { kind: 'removeItem', itemId: item.id } };

  const dimensions = { ...item.configuration.dimensions };
  const options = { ...item.configuration.options };
  const inputs = { ...item.inputs };
  let configurationChanged = false;
  let inputsChanged = false;
  for (const [key, expression] of fix.set) {
    const value = fixedValue(
      item,
      key,
      inPart(`fix.set.${key}`, () => expression.evaluate(scope)),
    );
    if (value.dimension !== undefined) dimensions[key] = value.dimension;
    if (value.option !== undefined) options[key] = value.option;
    if (value.input !== undefined) inputs[key] = value.input;
    configurationChanged ||= value.input === undefined;
    inputsChanged ||= value.input !== undefined;
  }
  let quantity: number | undefined;
  if (fix.quantity) {
    const wanted = inPart('fix.quantity', () => fix.quantity?.evaluate(scope)) as number;
    quantity = Math.min(QUANTITY_LIMITS.max, Math.max(QUANTITY_LIMITS.min, ceilIgnoringNoise(wanted)));
  }

  const fixed: SnapshotItem = {
    ...item,
    configuration: { dimensions, options },
    inputs,
    quantity: quantity ?? item.quantity,
  };
  const items = scope.items.map((each, position) => (position === index ? scopeItemOf(fixed) : each));
  if (!satisfiedAfter(compiled, scope, items, fixed)) return undefined;
  return {
    label,
    action: {
      kind: 'updateItem',
      itemId: item.id,
      // the whole configuration: an update that replaced it would otherwise reset the rest to defaults
      ...(configurationChanged ? { configuration: { dimensions, options } } : {}),
      ...(inputsChanged ? { inputs } : {}),
      ...(quantity !== undefined ? { quantity } : {}),
    },
  };
}

/** The key a form should highlight: what the fix sets, else the first item name the assert reads. */
function fieldOf(compiled: CompiledRule): string | undefined {
  const set = compiled.fix?.set[0]?.[0];
  if (set) return set;
  for (const name of compiled.assert.names) if (name !== 'quantity') return name;
  return undefined;
}

/**
 * Evaluates the merchant's rules against a basket.
 *
 * @example evaluateRules([ramPerVcpu], snapshot)
 * // [{ severity: 'error', code: 'rule:ram-per-vcpu', message: 'At most 8 GB RAM per vCPU: 24 GB needs 3 vCPU',
 * //    itemId: 'bki_…', field: 'vcpu', fix: { label: 'Set vCPU to 3', action: { kind: 'updateItem', … } } }]
 */
export function evaluateRules(rules: readonly BasketRule[], snapshot: BasketSnapshot): BasketIssue[] {
  const issues: BasketIssue[] = [];
  const basketScope = basketScopeOf(snapshot);
  for (const rule of rules) {
    if (rule.enabled === false) continue;
    const compiled = compiledRuleOf(rule);
    if ('problem' in compiled) {
      issues.push(ruleError(rule, compiled.problem));
    } else if (!rule.scope) {
      issues.push(...checkRule(rule, compiled, snapshot, basketScope, undefined));
    } else {
      for (const [index, item] of snapshot.items.entries()) {
        if (inRuleScope(rule.scope, item.product)) {
          issues.push(...checkRule(rule, compiled, snapshot, basketScope, index));
        }
      }
    }
  }
  return issues;
}

/** A rule for the item at `index` (undefined: for the basket): its issue, or what kept it from being checked. */
function checkRule(
  rule: BasketRule,
  compiled: CompiledRule,
  snapshot: BasketSnapshot,
  basketScope: EvaluationScope,
  index: number | undefined,
): BasketIssue[] {
  const item = index === undefined ? undefined : snapshot.items[index];
  const scope = item ? { ...basketScope, item: itemValuesOf(item) } : basketScope;
  let issue: BasketIssue;
  try {
    if (!ruleBroken(compiled, scope)) return [];
    const message = inPart('message', () => compiled.message.render(scope));
    const field = item && fieldOf(compiled);
    issue = {
      severity: rule.severity,
      code: `rule:${rule.id}`,
      message,
      ...(item ? { itemId: item.id } : {}),
      ...(field ? { field } : {}),
    };
  } catch (error) {
    if (error instanceof RuleFailure) return [ruleError(rule, error.message, item?.id)];
    throw error;
  }
  if (!compiled.fix) return [issue];
  try {
    const fix = fixOf(compiled, compiled.fix, snapshot, scope, index);
    return [fix ? { ...issue, fix } : issue];
  } catch (error) {
    // the rule was checked; only its fix is broken: report both, without the fix
    if (error instanceof RuleFailure) return [issue, ruleError(rule, error.message, item?.id)];
    throw error;
  }
}
