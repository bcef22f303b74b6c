import { describe, expect, it } from 'vitest';
import { BasketRule } from '#shared/basket/basket.ts';
import { Product, ProductDraft } from '#shared/catalog/catalog.ts';
import { demoBasketRules, demoProducts } from '#shared/catalog/demo-catalog.ts';
import { placeIssues } from './issue-paths.ts';
import {
  emptyRuleForm,
  fixActionWords,
  fixWords,
  newSampleItem,
  ruleBody,
  ruleChecks,
  ruleFieldKeys,
  ruleFormOf,
  ruleIssueRewrite,
  ruleOf,
  sampleItemName,
  sampleItemOfMessage,
  sampleRequest,
  scopeWords,
  sortIssues,
} from './rule-form.ts';

const rules = demoBasketRules.map((rule) => BasketRule.parse(rule));
const [ramPerVcpu] = rules as [BasketRule];
const at = '2026-11-23T17:15:55.141Z';
const products = demoProducts.map((draft, index) =>
  Product.parse({
    ...ProductDraft.parse(draft),
    id: `prd_demo_${index}`,
    status: 'published',
    revision: 1,
    createdAt: at,
    updatedAt: at,
  }),
);

describe('the rule form', () => {
  it('gives back every demo rule unchanged', () => {
    for (const rule of rules) expect(ruleOf(ruleFormOf(rule))).toEqual(rule);
  });

  it('writes scope, condition and each kind of fix', () => {
    const form = {
      ...emptyRuleForm(),
      id: ' backup-rule ',
      assert: ' has("x") ',
      message: 'Hi',
      severity: 'warning' as const,
    };
    expect(ruleOf({ ...form, scopeMode: 'basket' })).toEqual({
      id: 'backup-rule',
      enabled: true,
      assert: 'has("x")',
      severity: 'warning',
      message: 'Hi',
    });
    expect(ruleOf({ ...form, products: 'a, b', kinds: ['iaas'] }).scope).toEqual({
      products: ['a', 'b'],
      kinds: ['iaas'],
    });
    expect(ruleOf(form).scope).toEqual({});
    expect(ruleOf({ ...form, fixKind: 'remove', fixLabel: 'Remove it' }).fix).toEqual({
      label: 'Remove it',
      remove: true,
    });
    expect(
      ruleOf({ ...form, fixKind: 'add', fixLabel: 'Add', addProduct: 'support-plan', addPreset: '' }).fix,
    ).toEqual({
      label: 'Add',
      add: { product: 'support-plan' },
    });
    expect(
      ruleOf({
        ...form,
        fixKind: 'change',
        fixLabel: 'More',
        set: [
          { key: 'seats', expression: 'account.users' },
          { key: '', expression: '' },
        ],
        quantity: '2',
      }).fix,
    ).toEqual({ label: 'More', set: { seats: 'account.users' }, quantity: '2' });
  });

  it('checks what the API cannot be asked without', () => {
    expect([...ruleChecks(emptyRuleForm(), true).keys()]).toEqual(['id', 'assert', 'message']);
    expect(
      ruleChecks({ ...emptyRuleForm(), id: 'Bad Id', assert: 'x', message: 'm' }, true).get('id'),
    ).toMatch(/lowercase/);
    const change = {
      ...ruleFormOf(ramPerVcpu),
      fixKind: 'change' as const,
      set: [{ key: 'vcpu', expression: '' }],
      quantity: '',
    };
    expect([...ruleChecks(change, false).keys()]).toEqual(['fix.set.0.expression']);
    expect([...ruleChecks({ ...change, set: [] }, false).keys()]).toEqual(['fix.set']);
    expect(ruleBody(ramPerVcpu)).not.toHaveProperty('id');
  });

  it('puts a syntax error at its field, a set value at its row', () => {
    const form = ruleFormOf(ramPerVcpu);
    const keys = ruleFieldKeys(form);
    const placed = placeIssues(
      [
        {
          path: 'body.assert',
          code: 'invalid_rule_expression',
          message: 'Expected expression after * at character 14',
        },
        {
          path: 'body.fix.set.vcpu',
          code: 'invalid_rule_expression',
          message: 'Expected expression after / at character 15',
        },
        { path: 'body.rule.message', code: 'invalid_rule_expression', message: 'Unclosed { at character 9' },
        { path: 'body.fix.set.disk', code: 'invalid_rule_expression', message: 'unknown' },
      ],
      (key) => keys.has(key),
      ruleIssueRewrite(form),
    );
    expect([...placed.fields.keys()]).toEqual(['assert', 'fix.set.0.expression', 'message', 'fix.set']);
  });

  it('describes rules in words', () => {
    expect(scopeWords(ramPerVcpu)).toBe('Items of products virtual-server');
    expect(scopeWords({})).toBe('The whole basket, once');
    expect(scopeWords({ scope: {} })).toBe('Every item');
    expect(fixWords(ramPerVcpu.fix)).toBe('Set vcpu to ceil(ram_gb / 8)');
    expect(fixWords({ label: 'x', add: { product: 'support-plan', preset: 'business' } })).toBe(
      'Add support-plan (preset business)',
    );
    expect(fixWords(undefined)).toBe('No fix');
  });
});

describe('the sample basket', () => {
  it('sends typed values in the product’s types and leaves empty ones out', () => {
    const item = {
      ...newSampleItem('virtual-server'),
      dimensions: { ram_gb: '16', vcpu: '1', disk_gb: '', nope: '3' },
      options: { os: 'windows', backups: 'true', extras: 'monitoring' },
    };
    const result = sampleRequest([item], '3', products);
    expect(result).toEqual({
      ok: true,
      accountUsers: 3,
      items: [
        {
          product: 'virtual-server',
          configuration: {
            dimensions: { ram_gb: 16, vcpu: 1 },
            options: { os: 'windows', backups: true, extras: ['monitoring'] },
          },
          inputs: {},
          quantity: 1,
        },
      ],
    });
  });

  it('finds what cannot be sent', () => {
    const result = sampleRequest(
      [
        { ...newSampleItem('nope'), quantity: '0' },
        { ...newSampleItem('virtual-server'), dimensions: { vcpu: 'two' } },
      ],
      '-1',
      products,
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect([...result.errors.keys()]).toEqual([
        'items.0.product',
        'items.0.quantity',
        'items.1.dimensions.vcpu',
        'accountUsers',
      ]);
    expect(sampleRequest([], '1', products)).toMatchObject({ ok: false });
  });

  it('reads the item a sample 400 is about from its message', () => {
    expect(sampleItemOfMessage('items[1]: Invalid configuration: dimensions.ram_gb: RAM must be …')).toBe(1);
    expect(sampleItemOfMessage('Invalid rule')).toBeUndefined();
  });

  it('says what a fix does', () => {
    const items = [{ id: 'sample-1', product: 'virtual-server' }];
    const fix = {
      label: 'Set vCPU to 2',
      action: {
        kind: 'updateItem' as const,
        itemId: 'sample-1',
        configuration: { dimensions: { vcpu: 2, ram_gb: 16 }, options: { extras: [] } },
      },
    };
    expect(fixActionWords(fix, items, ['vcpu'])).toBe('Changes item 1 (virtual-server): vcpu 2.');
    expect(fixActionWords(fix, items, ['extras'])).toBe('Changes item 1 (virtual-server): extras none.');
    expect(
      fixActionWords(
        { label: 'x', action: { kind: 'addItem', product: 'virtual-server', preset: 's' } },
        items,
        [],
      ),
    ).toBe('Adds virtual-server (preset s).');
    expect(
      fixActionWords({ label: 'x', action: { kind: 'removeItem', itemId: 'sample-1' } }, items, []),
    ).toBe('Removes item 1 (virtual-server).');
    expect(sampleItemName(undefined, items)).toBe('The whole basket');
  });

  it('lists errors first', () => {
    const issue = (severity: 'error' | 'warning' | 'suggestion') => ({
      severity,
      code: severity,
      message: severity,
    });
    expect(
      sortIssues([issue('suggestion'), issue('error'), issue('warning')]).map((i) => i.severity),
    ).toEqual(['error', 'warning', 'suggestion']);
  });
});
