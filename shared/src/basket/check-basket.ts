/**
 * Checking a basket: the built-in checks of each product's configurator, then the merchant's
 * rules, errors first. Pure code, run by the API on every basket read; the storefront shows the
 * issues the API returns.
 */
import type { BasketIssue, BasketRule, IssueSeverity } from './basket.ts';
import { builtinChecks, type RegistrarAnswers } from './checks/builtin-checks.ts';
import { type BasketSnapshot, evaluateRules } from './rules/evaluate-rules.ts';

export type { RegistrarAnswer, RegistrarAnswers } from './checks/builtin-checks.ts';
export type { BasketSnapshot, SnapshotItem, SnapshotProduct } from './rules/evaluate-rules.ts';

const SEVERITY_ORDER: Record<IssueSeverity, number> = { error: 0, warning: 1, suggestion: 2 };

/**
 * Every issue of a basket: errors, then warnings, then suggestions; within each, built-in checks
 * before rules, in basket order.
 *
 * @example checkBasket(store.rules, snapshot).some((issue) => issue.severity === 'error') // checkout blocked
 */
export function checkBasket(
  rules: readonly BasketRule[],
  snapshot: BasketSnapshot,
  registrarAnswers?: RegistrarAnswers,
): BasketIssue[] {
  const issues = [...builtinChecks(snapshot, registrarAnswers), ...evaluateRules(rules, snapshot)];
  // Array.prototype.sort is stable: the order within a severity stays
  return issues.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
