/**
 * The basket for people: issues grouped by severity in words and symbols, each fix as the one
 * basket call it stands for, and an item's configuration as a short list of facts.
 */
import type {
  BasketFix,
  BasketIssue,
  BasketItemChange,
  BasketItemRequest,
  BasketItemView,
  IssueSeverity,
} from '#lib/api/basket.ts';
import type { PillTone } from '#lib/status.ts';
import { humanizeKey } from './configuration.ts';
import { formatQuantity } from './money.ts';

/** The basket call a fix stands for. */
export type FixCall =
  | { kind: 'update'; itemId: string; change: BasketItemChange }
  | { kind: 'add'; request: BasketItemRequest }
  | { kind: 'remove'; itemId: string };

/**
 * @example fixCall({ label: 'Set vCPU to 2', action: { kind: 'updateItem', itemId: 'bki_1', configuration } })
 * // { kind: 'update', itemId: 'bki_1', change: { configuration } }
 */
export function fixCall(fix: BasketFix): FixCall {
  const { action } = fix;
  switch (action.kind) {
    case 'updateItem': {
      const change: BasketItemChange = {};
      if (action.configuration) change.configuration = action.configuration;
      if (action.inputs) change.inputs = action.inputs;
      if (action.quantity !== undefined) change.quantity = action.quantity;
      if (action.acceptPrice) change.acceptPrice = true;
      return { kind: 'update', itemId: action.itemId, change };
    }
    case 'addItem': {
      const request: BasketItemRequest = { product: action.product };
      if (action.preset) request.preset = action.preset;
      if (action.configuration) request.configuration = action.configuration;
      if (action.inputs) request.inputs = action.inputs;
      if (action.quantity !== undefined) request.quantity = action.quantity;
      return { kind: 'add', request };
    }
    case 'removeItem':
      return { kind: 'remove', itemId: action.itemId };
  }
}

export type SeverityStyle = { word: string; heading: string; symbol: string; tone: PillTone };

/** Words and symbols per severity: never colour alone. */
export const SEVERITY: Record<IssueSeverity, SeverityStyle> = {
  error: { word: 'Must fix', heading: 'Must fix before ordering', symbol: '✕', tone: 'danger' },
  warning: { word: 'Check', heading: 'Worth checking', symbol: '!', tone: 'warning' },
  suggestion: { word: 'Suggestion', heading: 'Suggestions', symbol: '+', tone: 'neutral' },
};

const ORDER: readonly IssueSeverity[] = ['error', 'warning', 'suggestion'];

export type IssueGroup = { severity: IssueSeverity; style: SeverityStyle; issues: BasketIssue[] };

/** Issues in groups, errors first; empty groups left out. */
export function groupIssues(issues: readonly BasketIssue[]): IssueGroup[] {
  return ORDER.map((severity) => ({
    severity,
    style: SEVERITY[severity],
    issues: issues.filter((issue) => issue.severity === severity),
  })).filter((group) => group.issues.length > 0);
}

/** The issues about one item. */
export const issuesOf = (issues: readonly BasketIssue[], itemId: string): BasketIssue[] =>
  issues.filter((issue) => issue.itemId === itemId);

/** Issues about no item, or about an item no longer in the list (shown on top). */
export function basketWideIssues(
  issues: readonly BasketIssue[],
  items: readonly { id: string }[],
): BasketIssue[] {
  const ids = new Set(items.map((item) => item.id));
  return issues.filter((issue) => issue.itemId === undefined || !ids.has(issue.itemId));
}

/** "1 error, 2 suggestions" */
export function issueCounts(issues: readonly BasketIssue[]): string {
  const words: Record<IssueSeverity, [string, string]> = {
    error: ['error', 'errors'],
    warning: ['warning', 'warnings'],
    suggestion: ['suggestion', 'suggestions'],
  };
  return ORDER.map((severity) => {
    const count = issues.filter((issue) => issue.severity === severity).length;
    const [one, many] = words[severity];
    return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
  })
    .filter(Boolean)
    .join(', ');
}

export type Fact = { label: string; value: string };

/**
 * What an item is, from its quote lines (labels and units as the product names them): dimensions
 * with their values, chosen options, typed inputs. Without a quote (a product no longer for sale),
 * from the raw configuration.
 */
export function itemFacts(
  // An ordered item or a service has no quote: its configuration is shown as it is.
  item: Pick<BasketItemView, 'configuration' | 'inputs' | 'quote'>,
  locale?: string,
  inputLabels: Record<string, string> = {},
): Fact[] {
  const facts: Fact[] = [];
  const lines = item.quote?.lines;
  if (lines) {
    for (const line of lines) {
      if (line.kind === 'dimension' && line.quantity !== undefined) {
        facts.push({ label: line.label, value: formatQuantity(line.quantity, line.unit, locale) });
      } else if (line.kind === 'option') {
        const [label, value] = splitOptionLabel(line.label);
        facts.push(value === undefined ? { label, value: 'Yes' } : { label, value });
      }
    }
  } else {
    for (const [key, value] of Object.entries(item.configuration.dimensions ?? {})) {
      facts.push({ label: humanizeKey(key), value: formatQuantity(value, undefined, locale) });
    }
    for (const [key, value] of Object.entries(item.configuration.options ?? {})) {
      if (value === false || (Array.isArray(value) && value.length === 0)) continue;
      const text = value === true ? 'Yes' : Array.isArray(value) ? value.join(', ') : value;
      facts.push({ label: humanizeKey(key), value: text });
    }
  }
  for (const [key, value] of Object.entries(item.inputs)) {
    if (value) facts.push({ label: inputLabels[key] ?? humanizeKey(key), value });
  }
  return mergeMulti(facts);
}

/** "Operating system: Linux" → ['Operating system', 'Linux']; a toggle's line is its label alone. */
function splitOptionLabel(label: string): [string, string | undefined] {
  const at = label.indexOf(': ');
  return at < 0 ? [label, undefined] : [label.slice(0, at), label.slice(at + 2)];
}

/** A multi option gives a line per choice: "Extras: Monitoring, DDoS protection". */
function mergeMulti(facts: Fact[]): Fact[] {
  const merged: Fact[] = [];
  for (const fact of facts) {
    const previous = merged.find((entry) => entry.label === fact.label);
    if (previous) previous.value = `${previous.value}, ${fact.value}`;
    else merged.push({ ...fact });
  }
  return merged;
}

/** The most of one item a basket holds (the API's limit). */
export const MAX_QUANTITY = 100;

/** A quantity the API takes: a whole number from 1 to {@link MAX_QUANTITY}. */
export const isQuantity = (value: number): boolean =>
  Number.isInteger(value) && value >= 1 && value <= MAX_QUANTITY;

/** Items in the basket, counting quantities ("3 items"). */
export function itemCount(items: readonly Pick<BasketItemView, 'quantity'>[]): number {
  return items.reduce((sum, item) => sum + item.quantity, 0);
}
