/**
 * The rules of a product across the catalog: its pricing holds together (validation.ts), its
 * categories exist, its attributes match the store's definitions, its buyer inputs and built-in
 * configurator refer to what the product has. Every issue is returned at once, so the console can
 * show them all next to their fields.
 */
import type { FieldIssue } from '../http/error-body.ts';
import type { AttributeDefinition, CatalogSettings, ProductDraft } from './catalog.ts';
import { validateProductPricing } from './validation.ts';

export type CatalogContext = {
  settings: CatalogSettings;
  categoryIds: ReadonlySet<string>;
  /** The store's language: every name must have it. */
  defaultLocale: string;
};

/**
 * Everything wrong with a product draft; paths are relative to the draft (`dimensions[0].max`).
 * `forPublish` adds what a buyer-facing product needs: a price in every store currency.
 *
 * @example productIssues(draft, context, false) // [{ path: 'categoryIds[0]', code: 'unknown_category', … }]
 */
export function productIssues(
  draft: ProductDraft,
  context: CatalogContext,
  forPublish: boolean,
): FieldIssue[] {
  const issues: FieldIssue[] = validateProductPricing({
    id: 'prd_draft',
    kind: draft.kind,
    dimensions: draft.dimensions,
    options: draft.options,
    prices: draft.prices,
    presets: draft.presets,
  });

  if (!draft.name[context.defaultLocale]) {
    issues.push({
      path: 'name',
      code: 'missing_default_language',
      message: `needs a name in the store's language (${context.defaultLocale})`,
    });
  }
  draft.categoryIds.forEach((categoryId, index) => {
    if (!context.categoryIds.has(categoryId)) {
      issues.push({
        path: `categoryIds[${index}]`,
        code: 'unknown_category',
        message: `there is no category "${categoryId}"; create it first (upsertCategory)`,
      });
    }
  });
  issues.push(...attributeIssues(draft.attributes, context.settings.attributes));
  issues.push(...inputIssues(draft));
  issues.push(...configuratorIssues(draft));

  if (forPublish) {
    for (const currency of context.settings.currencies) {
      if (!draft.prices[currency]) {
        issues.push({
          path: `prices.${currency}`,
          code: 'missing_currency',
          message: `the store sells in ${context.settings.currencies.join(', ')}: add prices in ${currency} to publish`,
        });
      }
    }
  }
  return issues;
}

function attributeIssues(
  attributes: ProductDraft['attributes'],
  definitions: readonly AttributeDefinition[],
): FieldIssue[] {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const path = `attributes.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      const known = [...byKey.keys()].join(', ') || 'none yet';
      issues.push({
        path,
        code: 'unknown_attribute',
        message: `"${key}" is not an attribute of this store (known: ${known}); define it in the catalog settings`,
      });
      continue;
    }
    const wrongType = (expected: string) =>
      issues.push({ path, code: 'attribute_type', message: `must be ${expected}` });
    switch (definition.type) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) wrongType('a number');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') wrongType('true or false');
        break;
      case 'text':
        if (typeof value !== 'string') wrongType('a text');
        break;
      case 'enum': {
        const allowed = (definition.values ?? []).map((entry) => entry.key);
        if (typeof value !== 'string' || !allowed.includes(value)) {
          issues.push({ path, code: 'attribute_value', message: `must be one of ${allowed.join(', ')}` });
        }
        break;
      }
    }
  }
  return issues;
}

function inputIssues(draft: ProductDraft): FieldIssue[] {
  const pricingKeys = new Set([...draft.dimensions, ...draft.options].map((entry) => entry.key));
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  draft.inputs.forEach((input, index) => {
    if (pricingKeys.has(input.key) || seen.has(input.key) || input.key === 'quantity') {
      issues.push({
        path: `inputs[${index}].key`,
        code: 'duplicate_key',
        message: `"${input.key}" is already a dimension, option or input key (rules need one name per thing)`,
      });
    }
    seen.add(input.key);
  });
  return issues;
}

function configuratorIssues(draft: ProductDraft): FieldIssue[] {
  const configurator = draft.configurator;
  const dimension = (key: string) => draft.dimensions.find((entry) => entry.key === key);
  const option = (key: string) => draft.options.find((entry) => entry.key === key);
  const input = (key: string) => draft.inputs.find((entry) => entry.key === key);
  const issues: FieldIssue[] = [];
  const problem = (field: string, message: string) =>
    issues.push({ path: `configurator.${field}`, code: 'configurator_reference', message });

  switch (configurator.type) {
    case 'generic':
      break;
    case 'server': {
      const image = option(configurator.imageOption);
      if (image?.type !== 'single') {
        problem(
          'imageOption',
          `must name a single-select option of the product ("${configurator.imageOption}" is not one)`,
        );
        break;
      }
      for (const [choice, minimums] of Object.entries(configurator.imageRequirements)) {
        if (!image.choices?.some((entry) => entry.key === choice)) {
          problem(`imageRequirements.${choice}`, `"${choice}" is not a choice of option "${image.key}"`);
        }
        for (const key of Object.keys(minimums)) {
          if (!dimension(key)) problem(`imageRequirements.${choice}.${key}`, `"${key}" is not a dimension`);
        }
      }
      if (configurator.hostnameInput && input(configurator.hostnameInput)?.type !== 'hostname') {
        problem('hostnameInput', `must name an input of type hostname`);
      }
      break;
    }
    case 'domain':
      if (input(configurator.domainInput)?.type !== 'domain') {
        problem('domainInput', 'must name an input of type domain');
      }
      if (option(configurator.tldOption)?.type !== 'single') {
        problem(
          'tldOption',
          'must name a single-select option whose choices are the TLDs (co_uk for .co.uk)',
        );
      }
      break;
    case 'cloudService':
      if (!input(configurator.nameInput)) problem('nameInput', 'must name an input of the product');
      break;
    case 'productivitySuite':
      if (!dimension(configurator.seatsDimension)) problem('seatsDimension', 'must name a dimension');
      if (input(configurator.adminDomainInput)?.type !== 'domain') {
        problem('adminDomainInput', 'must name an input of type domain');
      }
      break;
  }
  return issues;
}
