/**
 * The basket rule language (docs/basket-rules.md): small, typed expressions over an item's
 * configuration and the basket, parsed by jsep and compiled once into closures. No eval, no
 * `new Function`: merchants write these and the API runs them on buyers' baskets.
 *
 * Errors a rule has on its own (syntax, unknown function, mixing text and numbers) are found when
 * it is compiled, with the character they are at; what depends on the item (a name the product
 * does not have) is found when it is evaluated.
 */
import jsep from 'jsep';
import { CategoryId, type Configurator } from '../../catalog/catalog.ts';
import { ProductKind } from '../../catalog/product.ts';
import { ValidationError } from '../../errors.ts';
import { validDomain } from '../checks/domain-names.ts';

/** What an expression computes: dimensions are numbers, options text / lists / booleans, inputs text. */
export type RuleValue = number | string | boolean | readonly string[];
export type RuleValueType = 'number' | 'string' | 'boolean' | 'list';

/** What selectors and functions know of a basket item. */
export type ScopeItem = {
  productId: string;
  productSlug: string;
  kind: ProductKind;
  configuratorType: Configurator['type'];
  /** The product's categories and all their ancestors. */
  categoryIds: readonly string[];
  quantity: number;
  dimensions: Readonly<Record<string, number>>;
  /** A domain item's domain, in ASCII. */
  domain?: string;
};

/** Everything an expression can read. */
export type EvaluationScope = {
  /** The item's names (dimension, option, input keys and `quantity`); absent for a basket-wide rule. */
  item?: Readonly<Record<string, RuleValue>>;
  items: readonly ScopeItem[];
  accountUsers: number;
  /** The buyer's domains, in ASCII. */
  ownedDomains: ReadonlySet<string>;
};

export type CompileOptions = {
  /** The expression must give this type (`assert` gives a boolean). */
  expect?: RuleValueType;
  /** No item: any name but `account.users` and `basket.items` is an error at compile time. */
  basketWide?: boolean;
  /** The item names there will be, with their types: unknown names become compile-time errors. */
  names?: Readonly<Record<string, RuleValueType>>;
  /** Where the expression starts in a larger text (a message template), for error positions. */
  offset?: number;
};

export type CompiledExpression = {
  source: string;
  /** The type the expression gives, when known without an item. */
  type: RuleValueType | undefined;
  /** The item names it reads. */
  names: ReadonlySet<string>;
  evaluate(scope: EvaluationScope): RuleValue;
};

/** What is wrong with an expression and where; `position` counts characters from 1. */
abstract class RuleExpressionError extends ValidationError {
  readonly position: number;
  constructor(
    code: string,
    readonly description: string,
    index: number,
  ) {
    super(code, `${description} at character ${index + 1}`, { position: index + 1, description });
    this.position = index + 1;
  }
}

/** A rule expression that cannot be compiled. */
export class InvalidRuleExpressionError extends RuleExpressionError {
  constructor(description: string, index: number) {
    super('invalid_rule_expression', description, index);
  }
}

/** A rule expression that compiled but cannot be evaluated for this item or basket. */
export class RuleEvaluationError extends RuleExpressionError {
  constructor(description: string, index: number) {
    super('rule_evaluation_failed', description, index);
  }
}

const TOLERANCE = 1e-9;
const MAX_SOURCE_LENGTH = 1000;

/** Equal up to float noise: 1e-9, relative for numbers above 1. */
export function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

const nearlyInteger = (value: number) => nearlyEqual(value, Math.round(value));
/** ceil that ignores float noise: 3.0000000000000004 ((0.1 + 0.2) / 0.1) gives 3, not 4. */
export const ceilIgnoringNoise = (value: number) =>
  nearlyInteger(value) ? Math.round(value) : Math.ceil(value);
const floorIgnoringNoise = (value: number) => (nearlyInteger(value) ? Math.round(value) : Math.floor(value));

/**
 * A value as text for a buyer: numbers to at most 6 decimals, without float noise.
 *
 * @example formatRuleValue(4.000000001) // '4'
 */
export function formatRuleValue(value: RuleValue): string {
  if (typeof value === 'number') {
    const rounded = Number(value.toFixed(6));
    return String(rounded === 0 ? 0 : rounded);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Selectors

const CONFIGURATOR_TYPES: Record<Configurator['type'], true> = {
  generic: true,
  server: true,
  domain: true,
  cloudService: true,
  productivitySuite: true,
};

/** Which basket items a function looks at: `product:<id or slug>`, `category:<id>`, `kind:…`, `type:…`, `*`. */
export type Selector = { by: 'all' } | { by: 'product' | 'category' | 'kind' | 'type'; value: string };

/** @example parseSelector('category:servers') // { by: 'category', value: 'servers' } */
export function parseSelector(text: string): Selector | { error: string } {
  if (text === '*') return { by: 'all' };
  const colon = text.indexOf(':');
  const by = text.slice(0, colon);
  const value = text.slice(colon + 1);
  const expected = `a selector is "product:<id or slug>", "category:<id>", "kind:<${ProductKind.options.join('|')}>", "type:<configurator type>" or "*"`;
  if (colon < 0) return { error: `"${text}" is not a selector: ${expected}` };
  if (by === 'product') {
    return /^[a-z0-9_-]{1,80}$/.test(value)
      ? { by, value }
      : { error: `"${text}": a product id or slug has lowercase letters, digits, - and _` };
  }
  if (by === 'category') {
    return CategoryId.safeParse(value).success
      ? { by, value }
      : { error: `"${text}": "${value}" is not a category id` };
  }
  if (by === 'kind') {
    return (ProductKind.options as readonly string[]).includes(value)
      ? { by, value }
      : { error: `"${text}": the kinds are ${ProductKind.options.join(', ')}` };
  }
  if (by === 'type') {
    return Object.hasOwn(CONFIGURATOR_TYPES, value)
      ? { by, value }
      : { error: `"${text}": the configurator types are ${Object.keys(CONFIGURATOR_TYPES).join(', ')}` };
  }
  return { error: `"${text}" is not a selector: ${expected}` };
}

/** A category selector matches items in the category or under it (`categoryIds` has the ancestors). */
export function matchesSelector(selector: Selector, item: ScopeItem): boolean {
  switch (selector.by) {
    case 'all':
      return true;
    case 'product':
      return item.productId === selector.value || item.productSlug === selector.value;
    case 'category':
      return item.categoryIds.includes(selector.value);
    case 'kind':
      return item.kind === selector.value;
    case 'type':
      return item.configuratorType === selector.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Node = jsep.Expression & { start?: number; end?: number };

type JsepParser = {
  index: number;
  gobbleSpaces(): void;
  gobbleToken(): Node | false | undefined;
  gobbleBinaryOp(): string | false;
  throwError(message: string): never;
  parse(): Node;
};
/** jsep's parser class: its typings only describe the function, but the module exports both. */
const Jsep = (jsep as unknown as { Jsep: new (expression: string) => JsepParser }).Jsep;

const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const OPERATOR_HINTS: Record<string, string> = { '===': ' (use ==)', '!==': ' (use !=)', '**': '' };

/** jsep keeps no positions; this parser notes where each token starts and ends. */
class PositionedParser extends Jsep {
  override gobbleToken(): Node | false | undefined {
    this.gobbleSpaces();
    const start = this.index;
    const node = super.gobbleToken();
    if (node) {
      node.start ??= start;
      node.end = this.index;
    }
    return node;
  }

  override gobbleBinaryOp(): string | false {
    this.gobbleSpaces();
    const at = this.index;
    const operator = super.gobbleBinaryOp();
    if (operator && !BINARY_OPERATORS.has(operator)) {
      this.index = at;
      this.throwError(
        `Operator ${operator} is not part of the rule language${OPERATOR_HINTS[operator] ?? ''}`,
      );
    }
    return operator;
  }
}

function isJsepError(error: unknown): error is Error & { index: number; description: string } {
  return error instanceof Error && typeof (error as { index?: unknown }).index === 'number';
}

function parse(source: string, offset: number): Node {
  try {
    return new PositionedParser(source).parse();
  } catch (error) {
    if (isJsepError(error)) throw new InvalidRuleExpressionError(error.description, offset + error.index);
    throw error;
  }
}

const startOf = (node: Node): number => {
  if (node.start !== undefined) return node.start;
  if (node.type === 'BinaryExpression') return startOf(node.left as Node);
  if (node.type === 'ConditionalExpression') return startOf(node.test as Node);
  if (node.type === 'Compound') return startOf((node.body as Node[])[0] ?? { type: 'Compound', start: 0 });
  return 0;
};

const endOf = (node: Node): number => {
  if (node.end !== undefined) return node.end;
  if (node.type === 'BinaryExpression') return endOf(node.right as Node);
  if (node.type === 'ConditionalExpression') return endOf(node.alternate as Node);
  return 0;
};

// ---------------------------------------------------------------------------------------------
// Compiling

type Run = (scope: EvaluationScope) => RuleValue;
type Compiled = { type: RuleValueType | undefined; at: number; run: Run };

const TYPE_NAMES: Record<RuleValueType, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  list: 'a list',
};

const UNSUPPORTED_SYNTAX: Record<string, string> = {
  ThisExpression: '"this"',
  SequenceExpression: 'A comma-separated sequence',
};

const typeOf = (value: RuleValue): RuleValueType =>
  Array.isArray(value) ? 'list' : (typeof value as 'number' | 'string' | 'boolean');

const FUNCTION_NAMES = [
  'count',
  'has',
  'sum',
  'min',
  'max',
  'ceil',
  'floor',
  'round',
  'includes',
  'ownsDomain',
  'domainInBasket',
] as const;
type FunctionName = (typeof FUNCTION_NAMES)[number];
const isFunctionName = (name: string): name is FunctionName =>
  (FUNCTION_NAMES as readonly string[]).includes(name);

/** Compiles one expression; positions in errors are offset by `offset` (0-based). */
class Compiler {
  readonly names = new Set<string>();

  constructor(
    private readonly options: CompileOptions,
    private readonly offset: number,
    private readonly source: string,
  ) {}

  invalid(at: number, description: string): InvalidRuleExpressionError {
    return new InvalidRuleExpressionError(description, this.offset + at);
  }

  private failure(at: number, description: string): RuleEvaluationError {
    return new RuleEvaluationError(description, this.offset + at);
  }

  /** A run that checks, when the type was not known at compile time, that the value has `type`. */
  private as<T extends RuleValue>(operand: Compiled, type: RuleValueType, role: string) {
    if (operand.type !== undefined && operand.type !== type) {
      throw this.invalid(operand.at, `${role} must be ${TYPE_NAMES[type]}, not ${TYPE_NAMES[operand.type]}`);
    }
    if (operand.type === type) return operand.run as (scope: EvaluationScope) => T;
    return (scope: EvaluationScope): T => {
      const value = operand.run(scope);
      const actual = typeOf(value);
      if (actual !== type) {
        throw this.failure(operand.at, `${role} must be ${TYPE_NAMES[type]}, not ${TYPE_NAMES[actual]}`);
      }
      return value as T;
    };
  }

  private finite(at: number, value: number): number {
    if (!Number.isFinite(value)) throw this.failure(at, 'the result is too large');
    return value;
  }

  compile(node: Node): Compiled {
    const at = startOf(node);
    switch (node.type) {
      case 'Literal':
        return this.literal(node as jsep.Literal & Node, at);
      case 'Identifier':
        return this.identifier((node as jsep.Identifier).name, at);
      case 'MemberExpression':
        return this.member(node as jsep.MemberExpression & Node, at);
      case 'CallExpression':
        return this.call(node as jsep.CallExpression & Node, at);
      case 'UnaryExpression':
        return this.unary(node as jsep.UnaryExpression & Node, at);
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression & Node);
      case 'ConditionalExpression':
        return this.conditional(node as jsep.ConditionalExpression & Node, at);
      case 'ArrayExpression':
        return this.array(node as jsep.ArrayExpression & Node, at);
      case 'Compound': {
        const body = (node as jsep.Compound).body as Node[];
        const second = body[1];
        if (!second) throw this.invalid(at, 'The expression is empty');
        throw this.invalid(startOf(second), 'Expected an operator between two values');
      }
      default:
        throw this.invalid(
          at,
          `${UNSUPPORTED_SYNTAX[node.type] ?? node.type} is not part of the rule language`,
        );
    }
  }

  private literal(node: jsep.Literal, at: number): Compiled {
    const value = node.value;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      return { type: typeOf(value), at, run: () => value };
    }
    throw this.invalid(at, `${node.raw} is not a value of the rule language`);
  }

  private identifier(name: string, at: number): Compiled {
    if (name === 'account' || name === 'basket') {
      throw this.invalid(at, `"${name}" is not a value: use account.users or basket.items`);
    }
    if (this.options.basketWide) {
      throw this.invalid(
        at,
        `"${name}" is not known in a basket-wide rule (it has no item; give the rule a scope, or use count, has, sum)`,
      );
    }
    const names = this.options.names;
    if (names && name !== 'quantity' && !Object.hasOwn(names, name)) {
      throw this.invalid(
        at,
        `Unknown name "${name}"; the items have ${[...new Set(['quantity', ...Object.keys(names)])].join(', ')}`,
      );
    }
    this.names.add(name);
    const type = name === 'quantity' ? 'number' : names?.[name];
    return {
      type,
      at,
      run: (scope) => {
        if (!scope.item) throw this.failure(at, `"${name}" is not known in a basket-wide rule`);
        if (!Object.hasOwn(scope.item, name)) {
          throw this.failure(
            at,
            `Unknown name "${name}"; this item has ${Object.keys(scope.item).join(', ')}`,
          );
        }
        return scope.item[name] as RuleValue;
      },
    };
  }

  private member(node: jsep.MemberExpression & Node, at: number): Compiled {
    const object = node.object as Node;
    const property = node.property as Node;
    const path =
      !node.computed && !node.optional && object.type === 'Identifier' && property.type === 'Identifier'
        ? `${(object as jsep.Identifier).name}.${(property as jsep.Identifier).name}`
        : undefined;
    if (path === 'account.users') return { type: 'number', at, run: (scope) => scope.accountUsers };
    if (path === 'basket.items') return { type: 'number', at, run: (scope) => scope.items.length };
    throw this.invalid(
      at,
      `${path ? `"${path}"` : 'This property access'} is not known: the properties are account.users and basket.items`,
    );
  }

  private unary(node: jsep.UnaryExpression & Node, at: number): Compiled {
    const operand = this.compile(node.argument as Node);
    if (node.operator === '-') {
      const run = this.as<number>(operand, 'number', 'The operand of -');
      return { type: 'number', at, run: (scope) => -run(scope) };
    }
    if (node.operator === '!') {
      const run = this.as<boolean>(operand, 'boolean', 'The operand of !');
      return { type: 'boolean', at, run: (scope) => !run(scope) };
    }
    throw this.invalid(at, `Operator ${node.operator} is not part of the rule language`);
  }

  private binary(node: jsep.BinaryExpression & Node): Compiled {
    const operator = node.operator;
    const leftNode = node.left as Node;
    // jsep keeps no operator positions: the operator is the first one after the left operand
    const found = this.source.indexOf(operator, endOf(leftNode));
    const at = found >= 0 ? found : startOf(node);
    const left = this.compile(leftNode);
    const right = this.compile(node.right as Node);
    const role = (side: string) => `The ${side} side of ${operator}`;

    if (operator === '&&' || operator === '||') {
      const l = this.as<boolean>(left, 'boolean', role('left'));
      const r = this.as<boolean>(right, 'boolean', role('right'));
      return {
        type: 'boolean',
        at,
        run: operator === '&&' ? (scope) => l(scope) && r(scope) : (scope) => l(scope) || r(scope),
      };
    }
    if (operator === '==' || operator === '!=') return this.equality(operator, left, right, at);

    const l = this.as<number>(left, 'number', role('left'));
    const r = this.as<number>(right, 'number', role('right'));
    switch (operator) {
      case '<':
        return { type: 'boolean', at, run: (scope) => !atLeast(l(scope), r(scope)) };
      case '<=':
        return { type: 'boolean', at, run: (scope) => atMost(l(scope), r(scope)) };
      case '>':
        return { type: 'boolean', at, run: (scope) => !atMost(l(scope), r(scope)) };
      case '>=':
        return { type: 'boolean', at, run: (scope) => atLeast(l(scope), r(scope)) };
      case '+':
        return { type: 'number', at, run: (scope) => this.finite(at, l(scope) + r(scope)) };
      case '-':
        return { type: 'number', at, run: (scope) => this.finite(at, l(scope) - r(scope)) };
      case '*':
        return { type: 'number', at, run: (scope) => this.finite(at, l(scope) * r(scope)) };
      default: {
        // / and %: the parser lets no other operator through
        const divide = operator === '/';
        return {
          type: 'number',
          at,
          run: (scope) => {
            const dividend = l(scope);
            const divisor = r(scope);
            if (divisor === 0)
              throw this.failure(at, `Division by zero (${formatRuleValue(dividend)} ${operator} 0)`);
            return this.finite(at, divide ? dividend / divisor : dividend % divisor);
          },
        };
      }
    }
  }

  private equality(operator: '==' | '!=', left: Compiled, right: Compiled, at: number): Compiled {
    const check = (l: RuleValueType, r: RuleValueType, fail: (d: string) => Error) => {
      if (l === 'list' || r === 'list')
        throw fail(`${operator} does not compare lists; use includes(list, value)`);
      if (l !== r)
        throw fail(`${operator} compares values of one type, not ${TYPE_NAMES[l]} and ${TYPE_NAMES[r]}`);
    };
    const known = left.type !== undefined && right.type !== undefined;
    if (known) check(left.type as RuleValueType, right.type as RuleValueType, (d) => this.invalid(at, d));
    const equal = (scope: EvaluationScope): boolean => {
      const l = left.run(scope);
      const r = right.run(scope);
      if (!known) check(typeOf(l), typeOf(r), (d) => this.failure(at, d));
      return typeof l === 'number' ? nearlyEqual(l, r as number) : l === r;
    };
    return { type: 'boolean', at, run: operator === '==' ? equal : (scope) => !equal(scope) };
  }

  private conditional(node: jsep.ConditionalExpression & Node, at: number): Compiled {
    const test = this.as<boolean>(this.compile(node.test as Node), 'boolean', 'The condition of ?:');
    const yes = this.compile(node.consequent as Node);
    const no = this.compile(node.alternate as Node);
    if (yes.type !== undefined && no.type !== undefined && yes.type !== no.type) {
      throw this.invalid(
        no.at,
        `Both branches of ?: must give the same type, not ${TYPE_NAMES[yes.type]} and ${TYPE_NAMES[no.type]}`,
      );
    }
    return {
      type: yes.type === no.type ? yes.type : undefined,
      at,
      run: (scope) => (test(scope) ? yes.run(scope) : no.run(scope)),
    };
  }

  private array(node: jsep.ArrayExpression & Node, at: number): Compiled {
    const elements = node.elements.map((element) => {
      if (!element) throw this.invalid(at, 'A list must not have empty places');
      return this.as<string>(this.compile(element as Node), 'string', 'A list element');
    });
    return { type: 'list', at, run: (scope) => elements.map((element) => element(scope)) };
  }

  private call(node: jsep.CallExpression & Node, at: number): Compiled {
    const callee = node.callee as Node;
    const name = callee.type === 'Identifier' ? (callee as jsep.Identifier).name : undefined;
    if (name === undefined || !isFunctionName(name)) {
      throw this.invalid(
        at,
        `${name ? `Unknown function "${name}"` : 'Only functions can be called'}; the functions are ${FUNCTION_NAMES.join(', ')}`,
      );
    }
    const args = node.arguments as Node[];
    const arity = (min: number, max: number, signature: string) => {
      if (args.length < min || args.length > max) throw this.invalid(at, `${name} takes ${signature}`);
    };

    switch (name) {
      case 'count':
      case 'has': {
        arity(1, 1, '(selector)');
        const selector = this.selector(args[0] as Node);
        const count = (scope: EvaluationScope) =>
          scope.items.reduce(
            (total, item) => total + (matchesSelector(selector, item) ? item.quantity : 0),
            0,
          );
        return name === 'count'
          ? { type: 'number', at, run: count }
          : { type: 'boolean', at, run: (scope) => count(scope) > 0 };
      }
      case 'sum': {
        arity(2, 2, "(selector, 'dimension key')");
        const selector = this.selector(args[0] as Node);
        const key = this.stringLiteral(args[1] as Node, 'The dimension key of sum');
        return {
          type: 'number',
          at,
          // items without the dimension add nothing: sum('*', 'vcpu') counts the servers only
          run: (scope) =>
            scope.items.reduce(
              (total, item) =>
                total + (matchesSelector(selector, item) ? (item.dimensions[key] ?? 0) * item.quantity : 0),
              0,
            ),
        };
      }
      case 'min':
      case 'max': {
        if (args.length === 0) throw this.invalid(at, `${name} takes one number or more`);
        const runs = args.map((arg) =>
          this.as<number>(this.compile(arg), 'number', `An argument of ${name}`),
        );
        const pick = name === 'min' ? Math.min : Math.max;
        return { type: 'number', at, run: (scope) => pick(...runs.map((run) => run(scope))) };
      }
      case 'ceil':
      case 'floor':
      case 'round': {
        arity(1, 1, '(number)');
        const run = this.as<number>(this.compile(args[0] as Node), 'number', `The argument of ${name}`);
        const apply =
          name === 'ceil'
            ? ceilIgnoringNoise
            : name === 'floor'
              ? floorIgnoringNoise
              : (value: number) => floorIgnoringNoise(value + 0.5);
        return { type: 'number', at, run: (scope) => apply(run(scope)) };
      }
      case 'includes': {
        arity(2, 2, '(list, value)');
        const list = this.as<readonly string[]>(
          this.compile(args[0] as Node),
          'list',
          'The first argument of includes',
        );
        const value = this.as<string>(
          this.compile(args[1] as Node),
          'string',
          'The second argument of includes',
        );
        return { type: 'boolean', at, run: (scope) => list(scope).includes(value(scope)) };
      }
      case 'ownsDomain':
      case 'domainInBasket': {
        arity(1, 1, '(domain name)');
        const domain = this.as<string>(this.compile(args[0] as Node), 'string', `The argument of ${name}`);
        return {
          type: 'boolean',
          at,
          run: (scope) => {
            const ascii = validDomain(domain(scope))?.ascii;
            // a name that is no domain is neither owned nor in the basket
            if (ascii === undefined) return false;
            return name === 'ownsDomain'
              ? scope.ownedDomains.has(ascii)
              : scope.items.some((item) => item.domain === ascii);
          },
        };
      }
    }
  }

  private stringLiteral(node: Node, role: string): string {
    if (node.type !== 'Literal' || typeof node.value !== 'string') {
      throw this.invalid(startOf(node), `${role} must be written as text in quotes`);
    }
    return node.value;
  }

  private selector(node: Node): Selector {
    const selector = parseSelector(this.stringLiteral(node, 'A selector'));
    if ('error' in selector) throw this.invalid(startOf(node), selector.error);
    return selector;
  }
}

const atMost = (a: number, b: number) => a <= b || nearlyEqual(a, b);
const atLeast = (a: number, b: number) => a >= b || nearlyEqual(a, b);

/**
 * Compiles a rule expression once, to evaluate it for many items.
 *
 * @example compileExpression('ram_gb <= 8 * vcpu').evaluate({ item: { ram_gb: 16, vcpu: 2 }, … }) // true
 * @throws InvalidRuleExpressionError what is wrong and at which character
 */
export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  const offset = options.offset ?? 0;
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new InvalidRuleExpressionError(
      `The expression is longer than ${MAX_SOURCE_LENGTH} characters`,
      offset,
    );
  }
  const compiler = new Compiler(options, offset, source);
  const root = compiler.compile(parse(source, offset));
  const expect = options.expect;
  if (expect && root.type !== undefined && root.type !== expect) {
    throw compiler.invalid(
      root.at,
      `The expression must give ${TYPE_NAMES[expect]}, not ${TYPE_NAMES[root.type]}`,
    );
  }
  return {
    source,
    type: root.type ?? expect,
    names: compiler.names,
    evaluate(scope) {
      const value = root.run(scope);
      if (expect && typeOf(value) !== expect) {
        throw new RuleEvaluationError(
          `The expression must give ${TYPE_NAMES[expect]}, not ${TYPE_NAMES[typeOf(value)]}`,
          offset + root.at,
        );
      }
      return value;
    },
  };
}

export type CompiledTemplate = { text: string; render(scope: EvaluationScope): string };

/**
 * Compiles a message with `{expression}` parts (`{{` and `}}` write braces).
 *
 * @example compileTemplate('{ram_gb} GB needs {ceil(ram_gb / 8)} vCPU').render(scope) // '24 GB needs 3 vCPU'
 * @throws InvalidRuleExpressionError positions count from the start of the message
 */
export function compileTemplate(
  text: string,
  options: Omit<CompileOptions, 'expect' | 'offset'> = {},
): CompiledTemplate {
  const parts: Array<string | CompiledExpression> = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    const next = text[index + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      literal += char;
      index += 2;
    } else if (char === '}') {
      throw new InvalidRuleExpressionError('Unmatched } in the message (write }} for a brace)', index);
    } else if (char === '{') {
      const end = closingBrace(text, index + 1);
      if (end < 0)
        throw new InvalidRuleExpressionError('Unclosed { in the message (write {{ for a brace)', index);
      if (literal) parts.push(literal);
      literal = '';
      parts.push(compileExpression(text.slice(index + 1, end), { ...options, offset: index + 1 }));
      index = end + 1;
    } else {
      literal += char;
      index++;
    }
  }
  if (literal) parts.push(literal);
  return {
    text,
    render: (scope) =>
      parts.map((part) => (typeof part === 'string' ? part : formatRuleValue(part.evaluate(scope)))).join(''),
  };
}

/** The `}` that closes an expression starting at `from`, skipping quoted text; -1 if none. */
function closingBrace(text: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '}') {
      return index;
    }
  }
  return -1;
}
