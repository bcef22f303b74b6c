/**
 * The basket-rule editor as plain data (docs/basket-rules.md): scope, condition, assertion,
 * severity, message and fix, turned into a `BasketRule` on save or test; and the sample basket of
 * the "Test" panel, turned into the items `testBasketRule` takes.
 */
import type {
  BasketFix,
  BasketIssue,
  BasketItemRequest,
  BasketRule,
  BasketRuleBody,
  Configuration,
  Product,
  ProductKind,
} from '#lib/api/catalog-admin.ts';
import type { PillTone } from '#lib/status.ts';
import type { Segment } from './issue-paths.ts';
import { numberOf, splitList } from './product-form.ts';

export type SetRow = { key: string; expression: string };
/** `change`: set values and/or the quantity of the item; `add`: add a product; `remove`: remove the item. */
export type FixKind = 'none' | 'change' | 'add' | 'remove';

export type RuleForm = {
  id: string;
  description: string;
  enabled: boolean;
  /** `items`: checked for each item in scope; `basket`: once for the whole basket (no scope). */
  scopeMode: 'items' | 'basket';
  /** Product slugs or ids, comma-separated. */
  products: string;
  /** Category ids, comma-separated. */
  categories: string;
  kinds: ProductKind[];
  when: string;
  assert: string;
  severity: BasketRule['severity'];
  message: string;
  fixKind: FixKind;
  fixLabel: string;
  set: SetRow[];
  quantity: string;
  addProduct: string;
  addPreset: string;
};

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;

export const SEVERITY_WORDS: Record<
  BasketRule['severity'],
  { word: string; symbol: string; tone: PillTone; meaning: string }
> = {
  error: { word: 'Error', symbol: '✕', tone: 'danger', meaning: 'blocks checkout' },
  warning: { word: 'Warning', symbol: '!', tone: 'warning', meaning: 'informs the buyer' },
  suggestion: { word: 'Suggestion', symbol: '+', tone: 'neutral', meaning: 'offers something more' },
};

export const FIX_KINDS: readonly { kind: FixKind; label: string }[] = [
  { kind: 'none', label: 'No fix' },
  { kind: 'change', label: 'Change the item: set values and/or its quantity' },
  { kind: 'add', label: 'Add a product' },
  { kind: 'remove', label: 'Remove the item' },
];

export function emptyRuleForm(): RuleForm {
  return {
    id: '',
    description: '',
    enabled: true,
    scopeMode: 'items',
    products: '',
    categories: '',
    kinds: [],
    when: '',
    assert: '',
    severity: 'error',
    message: '',
    fixKind: 'none',
    fixLabel: '',
    set: [],
    quantity: '',
    addProduct: '',
    addPreset: '',
  };
}

export function ruleFormOf(rule: BasketRule): RuleForm {
  const fix = rule.fix;
  const fixKind: FixKind = !fix ? 'none' : fix.add ? 'add' : fix.remove ? 'remove' : 'change';
  return {
    id: rule.id,
    description: rule.description ?? '',
    enabled: rule.enabled,
    scopeMode: rule.scope ? 'items' : 'basket',
    products: (rule.scope?.products ?? []).join(', '),
    categories: (rule.scope?.categories ?? []).join(', '),
    kinds: [...(rule.scope?.kinds ?? [])],
    when: rule.when ?? '',
    assert: rule.assert,
    severity: rule.severity,
    message: rule.message,
    fixKind,
    fixLabel: fix?.label ?? '',
    set: Object.entries(fix?.set ?? {}).map(([key, expression]) => ({ key, expression })),
    quantity: fix?.quantity ?? '',
    addProduct: fix?.add?.product ?? '',
    addPreset: fix?.add?.preset ?? '',
  };
}

/** The rule as the API takes it. Shapes only: the API parses the expressions and says where. */
export function ruleOf(form: RuleForm): BasketRule {
  const text = (value: string) => value.trim();
  const scope =
    form.scopeMode === 'basket'
      ? undefined
      : {
          ...(splitList(form.products).length > 0 ? { products: splitList(form.products) } : {}),
          ...(splitList(form.categories).length > 0 ? { categories: splitList(form.categories) } : {}),
          ...(form.kinds.length > 0 ? { kinds: [...form.kinds] } : {}),
        };
  let fix: BasketRule['fix'];
  if (form.fixKind !== 'none') {
    const label = text(form.fixLabel);
    if (form.fixKind === 'change') {
      const rows = form.set.filter((row) => text(row.key) !== '' || text(row.expression) !== '');
      fix = {
        label,
        ...(rows.length > 0
          ? { set: Object.fromEntries(rows.map((row) => [text(row.key), text(row.expression)])) }
          : {}),
        ...(text(form.quantity) ? { quantity: text(form.quantity) } : {}),
      };
    } else if (form.fixKind === 'add') {
      fix = {
        label,
        add: {
          product: text(form.addProduct),
          ...(text(form.addPreset) ? { preset: text(form.addPreset) } : {}),
        },
      };
    } else {
      fix = { label, remove: true };
    }
  }
  return {
    id: text(form.id),
    ...(text(form.description) ? { description: text(form.description) } : {}),
    enabled: form.enabled,
    ...(scope ? { scope } : {}),
    ...(text(form.when) ? { when: text(form.when) } : {}),
    assert: text(form.assert),
    severity: form.severity,
    message: text(form.message),
    ...(fix ? { fix } : {}),
  };
}

/** What is wrong before sending: the id (the URL needs it) and fields left empty. */
export function ruleChecks(form: RuleForm, isNew: boolean): Map<string, string> {
  const errors = new Map<string, string>();
  const id = form.id.trim();
  if (isNew && id === '') errors.set('id', 'Give the rule an id, like “ram-per-vcpu”.');
  else if (isNew && !RULE_ID.test(id))
    errors.set('id', 'Use lowercase letters, digits and hyphens, starting with a letter or digit.');
  if (form.assert.trim() === '') errors.set('assert', 'Write what must hold, like ram_gb <= 8 * vcpu.');
  if (form.message.trim() === '') errors.set('message', 'Write what the buyer reads when the rule reports.');
  if (form.fixKind !== 'none' && form.fixLabel.trim() === '')
    errors.set('fix.label', 'Write the fix button’s text.');
  if (form.fixKind === 'change') {
    form.set.forEach((row, index) => {
      if (row.key.trim() === '' && row.expression.trim() !== '')
        errors.set(`fix.set.${index}.key`, 'Name the value to set.');
      if (row.key.trim() !== '' && row.expression.trim() === '')
        errors.set(`fix.set.${index}.expression`, 'Write the new value as an expression.');
    });
    if (form.set.every((row) => row.key.trim() === '') && form.quantity.trim() === '')
      errors.set('fix.set', 'Set at least one value or the quantity.');
  }
  if (form.fixKind === 'add' && form.addProduct.trim() === '')
    errors.set('fix.add.product', 'Choose the product to add.');
  return errors;
}

/** Drops the id: it goes in the URL. */
export function ruleBody(rule: BasketRule): BasketRuleBody {
  const { id: _id, ...body } = rule;
  return body;
}

/** The keys of the rule form's fields, for the issues of a 400. */
export function ruleFieldKeys(form: RuleForm): Set<string> {
  const keys = new Set([
    'id',
    'description',
    'enabled',
    'scope',
    'scope.products',
    'scope.categories',
    'scope.kinds',
    'when',
    'assert',
    'severity',
    'message',
  ]);
  if (form.fixKind !== 'none') keys.add('fix').add('fix.label');
  if (form.fixKind === 'change') {
    keys.add('fix.set').add('fix.quantity');
    form.set.forEach((_, index) => {
      keys.add(`fix.set.${index}.key`).add(`fix.set.${index}.expression`);
    });
  }
  if (form.fixKind === 'add') keys.add('fix.add.product').add('fix.add.preset');
  return keys;
}

/**
 * Issues name a set value by its key (`fix.set.vcpu`); the form's rows are numbered. Issues of the
 * test request (`rule.assert`) are the rule's own.
 */
export function ruleIssueRewrite(form: RuleForm): (segments: Segment[]) => Segment[] {
  return (input) => {
    const segments = input[0] === 'rule' ? input.slice(1) : input;
    if (segments[0] === 'fix' && segments[1] === 'set' && typeof segments[2] === 'string') {
      const index = form.set.findIndex((row) => row.key.trim() === segments[2]);
      return index < 0 ? ['fix', 'set'] : ['fix', 'set', index, 'expression', ...segments.slice(3)];
    }
    return segments;
  };
}

/** "Items in scope: products virtual-server" — what a rule checks, in words. */
export function scopeWords(rule: Pick<BasketRule, 'scope'>): string {
  const scope = rule.scope;
  if (!scope) return 'The whole basket, once';
  const parts = [
    scope.products?.length ? `products ${scope.products.join(', ')}` : '',
    scope.categories?.length ? `categories ${scope.categories.join(', ')}` : '',
    scope.kinds?.length ? `kinds ${scope.kinds.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'Every item' : `Items of ${parts.join('; ')}`;
}

/** The fix of a rule in words: "Set vcpu to ceil(ram_gb / 8)". */
export function fixWords(fix: BasketRule['fix']): string {
  if (!fix) return 'No fix';
  if (fix.add) return `Add ${fix.add.product}${fix.add.preset ? ` (preset ${fix.add.preset})` : ''}`;
  if (fix.remove) return 'Remove the item';
  const sets = Object.entries(fix.set ?? {}).map(([key, expression]) => `${key} to ${expression}`);
  if (fix.quantity) sets.push(`quantity to ${fix.quantity}`);
  return sets.length > 0 ? `Set ${sets.join(', ')}` : 'No change';
}

// ——— the sample basket of the Test panel ———

export type SampleItem = {
  product: string;
  /** A preset key, or '' for the product's defaults. */
  preset: string;
  /** Dimension key → value as typed ('' keeps the preset's or the default). */
  dimensions: Record<string, string>;
  /** Option key → a choice key, or 'true' / 'false' for a toggle ('' keeps it). */
  options: Record<string, string>;
  quantity: string;
};

export const newSampleItem = (product = ''): SampleItem => ({
  product,
  preset: '',
  dimensions: {},
  options: {},
  quantity: '1',
});

export type SampleResult =
  | { ok: true; items: BasketItemRequest[]; accountUsers: number }
  | { ok: false; errors: Map<string, string> };

/** The sample basket as the test request takes it; keys `items.0.dimensions.vcpu` for errors. */
export function sampleRequest(
  items: readonly SampleItem[],
  accountUsers: string,
  products: readonly Product[],
): SampleResult {
  const errors = new Map<string, string>();
  const requests = items.map((item, index): BasketItemRequest => {
    const product = products.find(
      (candidate) => candidate.slug === item.product || candidate.id === item.product,
    );
    if (!product) errors.set(`items.${index}.product`, 'Choose a product.');
    const dimensions: Record<string, number> = {};
    for (const [key, text] of Object.entries(item.dimensions)) {
      if (text.trim() === '' || !product?.dimensions.some((dimension) => dimension.key === key)) continue;
      const value = numberOf(text);
      if (value === undefined) errors.set(`items.${index}.dimensions.${key}`, 'Enter a number.');
      else dimensions[key] = value;
    }
    const options: NonNullable<Configuration['options']> = {};
    for (const [key, text] of Object.entries(item.options)) {
      const option = product?.options.find((candidate) => candidate.key === key);
      if (text === '' || !option) continue;
      options[key] =
        option.type === 'toggle' ? text === 'true' : option.type === 'multi' ? splitList(text) : text;
    }
    const quantity = numberOf(item.quantity);
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > 100)
      errors.set(`items.${index}.quantity`, 'Enter a whole number from 1 to 100.');
    const configuration: Configuration = {
      ...(Object.keys(dimensions).length > 0 ? { dimensions } : {}),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    };
    return {
      product: item.product,
      configuration,
      ...(item.preset ? { preset: item.preset } : {}),
      inputs: {},
      quantity: quantity ?? 1,
    };
  });
  const users = numberOf(accountUsers);
  if (users === undefined || !Number.isInteger(users) || users < 0 || users > 10_000)
    errors.set('accountUsers', 'Enter a whole number from 0 to 10,000.');
  if (items.length === 0) errors.set('items', 'Add at least one item to the sample basket.');
  return errors.size > 0 ? { ok: false, errors } : { ok: true, items: requests, accountUsers: users ?? 1 };
}

/**
 * The item a 400 of the test is about: the API says "items[0]: Invalid configuration: …" in the
 * message, and the details' paths (`dimensions.ram_gb`) leave the item out.
 */
export function sampleItemOfMessage(message: string): number | undefined {
  const match = /^items\[(\d+)\]/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** "Item 1 (virtual-server)" for `sample-1`. */
export function sampleItemName(
  itemId: string | undefined,
  items: readonly { id: string; product: string }[],
): string {
  if (!itemId) return 'The whole basket';
  const index = items.findIndex((item) => item.id === itemId);
  const item = items[index];
  return item ? `Item ${index + 1} (${item.product})` : itemId;
}

/**
 * What a fix would do, in words. An `updateItem` carries the item's whole configuration; the values
 * named are those the rule's fix sets (`setKeys`), as the API computed them.
 *
 * @example fixActionWords(fix, [{ id: 'sample-1', product: 'virtual-server' }], ['vcpu']) // 'Changes item 1 (virtual-server): vcpu 2.'
 */
export function fixActionWords(
  fix: BasketFix,
  items: readonly { id: string; product: string }[],
  setKeys: readonly string[],
): string {
  const { action } = fix;
  switch (action.kind) {
    case 'removeItem':
      return `Removes ${sampleItemName(action.itemId, items).toLowerCase()}.`;
    case 'addItem':
      return `Adds ${action.product}${action.preset ? ` (preset ${action.preset})` : ''}${action.quantity ? ` × ${action.quantity}` : ''}.`;
    case 'updateItem': {
      const values: Record<string, unknown> = {
        ...action.configuration?.dimensions,
        ...action.configuration?.options,
        ...action.inputs,
      };
      const changes = setKeys
        .filter((key) => key in values)
        .map(
          (key) =>
            `${key} ${Array.isArray(values[key]) ? (values[key] as string[]).join(' + ') || 'none' : String(values[key])}`,
        );
      if (action.quantity !== undefined) changes.push(`quantity ${action.quantity}`);
      const what = sampleItemName(action.itemId, items).toLowerCase();
      return changes.length > 0 ? `Changes ${what}: ${changes.join(', ')}.` : `Changes ${what}.`;
    }
  }
}

/** Errors first, then warnings, then suggestions (the API's order within each). */
export function sortIssues(issues: readonly BasketIssue[]): BasketIssue[] {
  const rank = { error: 0, warning: 1, suggestion: 2 } as const;
  return [...issues].sort((a, b) => rank[a.severity] - rank[b.severity]);
}
