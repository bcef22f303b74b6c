/**
 * The merchant's basket rules: saving one (its expressions parsed first, a 400 pointing at the
 * mistake) and trying one on a sample basket before customers meet it.
 */
import type { BasketIssue, BasketItemRequest, BasketRule } from '#shared/basket/basket.ts';
import {
  checkRuleSyntax,
  evaluateRules,
  inRuleScope,
  itemNamesOf,
  snapshotItemOf,
} from '#shared/basket/rules/evaluate-rules.ts';
import type { RuleValueType } from '#shared/basket/rules/expression.ts';
import { InvalidConfigurationError } from '#shared/catalog/pricing-errors.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { CatalogView } from '../catalog/catalog-view.ts';
import { configurationFrom, visibleProduct } from '../catalog/storefront-catalog.ts';
import type { TableCatalogDeps } from '../catalog/table-catalog.ts';
import { recordAudit } from '../identity/audit.ts';
import { domainProductOf, snapshotProductOf } from './basket-service.ts';

/**
 * The names every product in the rule's scope has (an intersection), so that a rule naming a
 * dimension one of them lacks is refused on save, not found broken in a buyer's basket.
 */
function namesInScope(view: CatalogView, rule: BasketRule) {
  if (!rule.scope) return undefined;
  let names: Record<string, RuleValueType> | undefined;
  for (const product of view.allProducts()) {
    if (!inRuleScope(rule.scope, snapshotProductOf(view, product))) continue;
    const own = itemNamesOf(product);
    names = names
      ? Object.fromEntries(Object.entries(names).filter(([name, type]) => own[name] === type))
      : own;
  }
  return names;
}

function checkSyntax(rule: BasketRule, view: CatalogView, at = 'body') {
  const names = namesInScope(view, rule);
  const issues = checkRuleSyntax(rule, { at, ...(names ? { names } : {}) });
  if (issues.length > 0) {
    throw new ValidationError(
      'invalid_basket_rule',
      `Invalid rule: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
}

export async function upsertBasketRule(
  deps: TableCatalogDeps,
  tenant: Tenant,
  principal: Principal,
  rule: BasketRule,
): Promise<BasketRule> {
  checkSyntax(rule, await deps.cache.view(tenant));
  await deps.catalog.putRule(tenant.id, rule, deps.clock.now().toISOString());
  await recordAudit(
    deps,
    { kind: 'tenant', tenantId: tenant.id },
    { action: 'basket_rule.changed', principal, target: rule.id },
  );
  return rule;
}

/** Runs one rule over sample items (configured like basket items); nothing is saved. */
export async function testBasketRule(
  deps: TableCatalogDeps,
  tenant: Tenant,
  principal: Principal,
  request: { rule: BasketRule; items: BasketItemRequest[]; accountUsers: number },
): Promise<{ items: { id: string; product: string }[]; issues: BasketIssue[] }> {
  const view = await deps.cache.view(tenant);
  checkSyntax(request.rule, view, 'body.rule');
  const items = request.items.map((sample, index) => {
    const product = visibleProduct(view, sample.product, principal);
    try {
      return snapshotItemOf(`sample-${index + 1}`, snapshotProductOf(view, product), {
        configuration: configurationFrom(product, sample.preset, sample.configuration),
        inputs: sample.inputs,
        quantity: sample.quantity,
      });
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      // The engine's paths are relative to the configuration: place them in the request.
      throw new ValidationError(
        error.code,
        `items[${index}]: ${error.message}`,
        error.issues.map((issue) => ({ ...issue, path: `body.items[${index}].configuration.${issue.path}` })),
      );
    }
  });
  const issues = evaluateRules([{ ...request.rule, enabled: true }], {
    items,
    account: { users: request.accountUsers },
    ownedDomains: [],
    ...domainProductOf(view),
  });
  return { items: items.map((item) => ({ id: item.id, product: item.product.slug })), issues };
}
