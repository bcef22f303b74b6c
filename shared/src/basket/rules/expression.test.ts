import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  compileTemplate,
  type EvaluationScope,
  formatRuleValue,
  InvalidRuleExpressionError,
  matchesSelector,
  parseSelector,
  RuleEvaluationError,
  type RuleValue,
  type ScopeItem,
} from './expression.ts';

function scopeItem(overrides: Partial<ScopeItem>): ScopeItem {
  return {
    productId: 'prd_server',
    productSlug: 'virtual-server',
    kind: 'iaas',
    configuratorType: 'server',
    categoryIds: ['virtual-servers', 'servers'],
    quantity: 1,
    dimensions: {},
    ...overrides,
  };
}

const server = scopeItem({ quantity: 2, dimensions: { vcpu: 4, ram_gb: 16 } });
const bigServer = scopeItem({ productId: 'prd_big', productSlug: 'big-server', dimensions: { vcpu: 16 } });
const backup = scopeItem({
  productId: 'prd_backup',
  productSlug: 'backup',
  kind: 'saas',
  configuratorType: 'generic',
  categoryIds: ['add-ons'],
  quantity: 3,
  dimensions: { storage_gb: 100 },
});
const domain = scopeItem({
  productId: 'prd_domain',
  productSlug: 'domain',
  kind: 'saas',
  configuratorType: 'domain',
  categoryIds: ['domains'],
  domain: 'xn--bcher-kva.de',
});

const item: Record<string, RuleValue> = {
  vcpu: 4,
  ram_gb: 16,
  os: 'windows',
  backups: true,
  extras: ['monitoring'],
  hostname: 'web1',
  quantity: 2,
};
const scope: EvaluationScope = {
  item,
  items: [server, bigServer, backup, domain],
  accountUsers: 12,
  ownedDomains: new Set(['example.com']),
};
const basketScope: EvaluationScope = { ...scope, item: undefined };

const run = (source: string, at: EvaluationScope = scope) => compileExpression(source).evaluate(at);

/** The compile error of a source: `[description, position]`. */
function compileError(source: string, options?: Parameters<typeof compileExpression>[1]): [string, number] {
  try {
    compileExpression(source, options);
  } catch (error) {
    if (error instanceof InvalidRuleExpressionError) return [error.description, error.position];
    throw error;
  }
  throw new Error(`"${source}" compiled`);
}

function evaluationError(source: string, at: EvaluationScope = scope): [string, number] {
  try {
    run(source, at);
  } catch (error) {
    if (error instanceof RuleEvaluationError) return [error.description, error.position];
    throw error;
  }
  throw new Error(`"${source}" evaluated`);
}

describe('compileExpression: values and operators', () => {
  it.each([
    ['42', 42],
    ['1.5', 1.5],
    ["'linux'", 'linux'],
    ['"two words"', 'two words'],
    ['true', true],
    ['false', false],
    ['vcpu', 4],
    ['os', 'windows'],
    ['backups', true],
    ['hostname', 'web1'],
    ['quantity', 2],
    ['account.users', 12],
    ['basket.items', 4],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 4 - 3', 3],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['-vcpu + 1', -3],
    ['ram_gb <= 8 * vcpu', true],
    ['ram_gb < 16', false],
    ['ram_gb > 15', true],
    ['ram_gb >= 16.5', false],
    ["os == 'windows'", true],
    ["os != 'windows'", false],
    ['backups == true', true],
    ['vcpu > 2 && ram_gb > 32', false],
    ['vcpu > 8 || ram_gb > 8', true],
    ['!backups', false],
    ['!(vcpu > 8)', true],
    ["vcpu >= 4 ? 'big' : 'small'", 'big'],
    ['vcpu > 4 ? 1 : vcpu > 2 ? 2 : 3', 2],
    ["['a', 'b']", ['a', 'b']],
  ])('%s → %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('compares with a tolerance of 1e-9 but orders strictly beyond it', () => {
    expect(run('0.1 + 0.2 == 0.3')).toBe(true);
    expect(run('0.1 + 0.2 <= 0.3')).toBe(true);
    expect(run('0.3 >= 0.1 + 0.2')).toBe(true);
    expect(run('0.1 + 0.2 > 0.3')).toBe(false);
    expect(run('0.1 + 0.2 != 0.3')).toBe(false);
    expect(run('1.000001 == 1')).toBe(false);
    expect(run('1 < 1.000001')).toBe(true);
  });

  it('short-circuits && and || (the right side is not evaluated)', () => {
    expect(run('false && 1 / 0 > 1')).toBe(false);
    expect(run('true || 1 / 0 > 1')).toBe(true);
  });
});

describe('compileExpression: functions and selectors', () => {
  it.each([
    ["count('*')", 7],
    ["count('kind:iaas')", 3],
    ["count('category:servers')", 3], // an ancestor category matches the items below it
    ["count('category:virtual-servers')", 3],
    ["count('product:backup')", 3],
    ["count('product:prd_big')", 1],
    ["count('type:domain')", 1],
    ["count('category:nothing')", 0],
    ["has('product:backup')", true],
    ["has('product:support-plan')", false],
    ["sum('category:servers', 'vcpu')", 24], // 4 × 2 + 16 × 1
    ["sum('*', 'storage_gb')", 300], // items without the dimension add nothing
    ['min(vcpu, 2, 8)', 2],
    ['max(vcpu, 2, 8)', 8],
    ['ceil(ram_gb / 5)', 4],
    ['floor(ram_gb / 5)', 3],
    ['round(2.5)', 3],
    ['round(2.4)', 2],
    ['ceil((0.1 + 0.2) / 0.1)', 3], // 3.0000000000000004: float noise does not round up
    ['floor(0.3 / 0.1)', 3], // 2.9999999999999996
    ["includes(extras, 'monitoring')", true],
    ["includes(extras, 'ddos_protection')", false],
    ["includes(['linux', 'windows'], os)", true],
    ["ownsDomain('Example.COM.')", true],
    ["ownsDomain('example.org')", false],
    ["ownsDomain('not a domain')", false],
    ["domainInBasket('bücher.de')", true],
    ["domainInBasket('xn--bcher-kva.de')", true],
    ["domainInBasket('example.com')", false],
  ])('%s → %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('works without an item for basket-wide rules', () => {
    expect(run("count('category:servers') >= 1 && account.users > 10", basketScope)).toBe(true);
  });

  it('parses and matches selectors', () => {
    expect(parseSelector('*')).toEqual({ by: 'all' });
    expect(parseSelector('category:servers')).toEqual({ by: 'category', value: 'servers' });
    expect(parseSelector('type:cloudService')).toEqual({ by: 'type', value: 'cloudService' });
    expect(parseSelector('servers')).toHaveProperty('error');
    expect(parseSelector('category:Servers')).toEqual({
      error: '"category:Servers": "Servers" is not a category id',
    });
    expect(parseSelector('kind:bare-metal')).toHaveProperty('error');
    expect(parseSelector('type:vm')).toHaveProperty('error');
    expect(parseSelector('color:red')).toHaveProperty('error');
    expect(matchesSelector({ by: 'product', value: 'virtual-server' }, server)).toBe(true);
    expect(matchesSelector({ by: 'product', value: 'prd_server' }, server)).toBe(true);
    expect(matchesSelector({ by: 'category', value: 'servers' }, backup)).toBe(false);
  });
});

describe('compileExpression: errors at compile time, with positions', () => {
  it.each([
    ['ram_gb <= 8 *', 'Expected expression after *', 14],
    ['(vcpu + 1', 'Unclosed (', 10],
    ["os == 'linux", 'Unclosed quote after "linux"', 13],
    ['vcpu === 2', 'Operator === is not part of the rule language (use ==)', 6],
    ['vcpu ** 2', 'Operator ** is not part of the rule language', 6],
    ['vcpu | 2', 'Operator | is not part of the rule language', 6],
    ['vcpu 2', 'Expected an operator between two values', 6],
    ['', 'The expression is empty', 1],
    ['~vcpu', 'Operator ~ is not part of the rule language', 1],
    ['null', 'null is not a value of the rule language', 1],
    ['this', '"this" is not part of the rule language', 1],
    [
      'vcpu > 1 && cont(2)',
      'Unknown function "cont"; the functions are count, has, sum, min, max, ceil, floor, round, includes, ownsDomain, domainInBasket',
      13,
    ],
    [
      'Math.max(1, 2)',
      'Only functions can be called; the functions are count, has, sum, min, max, ceil, floor, round, includes, ownsDomain, domainInBasket',
      1,
    ],
    ['account.name', '"account.name" is not known: the properties are account.users and basket.items', 1],
    ['extras[0]', 'This property access is not known: the properties are account.users and basket.items', 1],
    ['account > 1', '"account" is not a value: use account.users or basket.items', 1],
    [
      "count('servers')",
      '"servers" is not a selector: a selector is "product:<id or slug>", "category:<id>", "kind:<saas|paas|iaas>", "type:<configurator type>" or "*"',
      7,
    ],
    ['count(vcpu)', 'A selector must be written as text in quotes', 7],
    ["sum('*')", "sum takes (selector, 'dimension key')", 1],
    ['ceil(1, 2)', 'ceil takes (number)', 1],
    ['min()', 'min takes one number or more', 1],
    ["1 + 'a'", 'The right side of + must be a number, not text', 5],
    ["'a' < 2", 'The left side of < must be a number, not text', 1],
    ["2 == 'two'", '== compares values of one type, not a number and text', 3],
    ["['a'] == ['a']", '== does not compare lists; use includes(list, value)', 7],
    ['1 && true', 'The left side of && must be true or false, not a number', 1],
    ["true ? 1 : 'one'", 'Both branches of ?: must give the same type, not a number and text', 12],
    ["includes('a', 'a')", 'The first argument of includes must be a list, not text', 10],
    ['[1, 2]', 'A list element must be text, not a number', 2],
  ])('%s', (source, description, position) => {
    expect(compileError(source)).toEqual([description, position]);
  });

  it('says the message and position in the error message, as a 400 with code invalid_rule_expression', () => {
    const error = (() => {
      try {
        compileExpression('ram_gb <= 8 *');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRuleExpressionError);
    expect(error).toMatchObject({
      kind: 'validation',
      code: 'invalid_rule_expression',
      message: 'Expected expression after * at character 14',
    });
  });

  it('checks the type the caller expects', () => {
    expect(compileError('vcpu + 1', { expect: 'boolean' })).toEqual([
      'The expression must give true or false, not a number',
      6,
    ]);
    expect(() => compileExpression('vcpu', { expect: 'boolean' }).evaluate(scope)).toThrow(
      'The expression must give true or false, not a number at character 1',
    );
  });

  it('rejects item names in a basket-wide expression', () => {
    expect(compileError("count('*') > vcpu", { basketWide: true })).toEqual([
      '"vcpu" is not known in a basket-wide rule (it has no item; give the rule a scope, or use count, has, sum)',
      14,
    ]);
  });

  it('checks names and their types when the products are known', () => {
    const names = { vcpu: 'number', os: 'string' } as const;
    expect(compileError('ram_gb > 1', { names })).toEqual([
      'Unknown name "ram_gb"; the items have quantity, vcpu, os',
      1,
    ]);
    expect(compileError('os > 1', { names })).toEqual(['The left side of > must be a number, not text', 1]);
    expect(compileExpression('vcpu * quantity > 1', { names }).names).toEqual(new Set(['vcpu', 'quantity']));
  });

  it('counts positions from the start of a larger text with an offset', () => {
    expect(compileError('vcpu +', { offset: 10 })).toEqual(['Expected expression after +', 17]);
  });
});

describe('compileExpression: errors at evaluation', () => {
  it.each([
    ['ram > 1', 'Unknown name "ram"; this item has vcpu, ram_gb, os, backups, extras, hostname, quantity', 1],
    ['vcpu / (ram_gb - 16)', 'Division by zero (4 / 0)', 6],
    ['vcpu % 0', 'Division by zero (4 % 0)', 6],
    ['os > 1', 'The left side of > must be a number, not text', 1],
    ['os == 1', '== compares values of one type, not text and a number', 4],
    ["includes(os, 'x')", 'The first argument of includes must be a list, not text', 10],
    ['!vcpu', 'The operand of ! must be true or false, not a number', 2],
    ['1e308 * 10', 'the result is too large', 7],
  ])('%s', (source, description, position) => {
    expect(evaluationError(source)).toEqual([description, position]);
  });

  it('reports item names in a basket-wide evaluation', () => {
    expect(evaluationError('vcpu > 1', basketScope)).toEqual([
      '"vcpu" is not known in a basket-wide rule',
      1,
    ]);
  });
});

describe('compileTemplate', () => {
  it('inserts values, numbers without float noise, and keeps escaped braces', () => {
    const template = compileTemplate(
      '{ram_gb} GB needs {ceil(ram_gb / 8)} vCPU {{at least}}: {0.1 + 0.2}, {extras}',
    );
    expect(template.render(scope)).toBe('16 GB needs 2 vCPU {at least}: 0.3, monitoring');
  });

  it('skips braces in quoted text', () => {
    expect(compileTemplate("{os == '}' ? 'x' : os}!").render(scope)).toBe('windows!');
  });

  it('reports errors with the position in the message', () => {
    expect(() => compileTemplate('Needs {vcpu +} vCPU')).toThrow(
      'Expected expression after + at character 14',
    );
    expect(() => compileTemplate('Needs {vcpu')).toThrow(
      'Unclosed { in the message (write {{ for a brace) at character 7',
    );
    expect(() => compileTemplate('Needs } vcpu')).toThrow(
      'Unmatched } in the message (write }} for a brace) at character 7',
    );
  });

  it('formats values', () => {
    expect(formatRuleValue(4.000000001)).toBe('4');
    expect(formatRuleValue(2.5)).toBe('2.5');
    expect(formatRuleValue(-0.0000001)).toBe('0');
    expect(formatRuleValue(true)).toBe('true');
    expect(formatRuleValue(['a', 'b'])).toBe('a, b');
  });
});
