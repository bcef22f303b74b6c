/**
 * The merchant's catalog use cases: products (draft → published → retired), the category tree
 * and the catalog settings. Every change is checked whole (one 400 listing every issue), bumps
 * the catalog version (storefront indexes rebuild) and is audited.
 */
import {
  type CatalogSettings,
  type Category,
  type Product,
  ProductDraft,
  type ProductStatus,
} from '#shared/catalog/catalog.ts';
import { productIssues } from '#shared/catalog/catalog-validation.ts';
import { isCurrencyCode } from '#shared/catalog/money.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { FieldIssue } from '#shared/http/error-body.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { DynamoDbAuditLog } from '../identity/adapters/dynamodb-audit-log.ts';
import { type AuditAction, recordAudit } from '../identity/audit.ts';
import type { CatalogRepository } from './catalog-repository.ts';

export type CatalogDeps = { catalog: CatalogRepository; audit: DynamoDbAuditLog; clock: Clock };

/** What a store starts with until the merchant saves settings. */
export function defaultCatalogSettings(tenant: Tenant): CatalogSettings {
  const currency = isCurrencyCode(tenant.defaultCurrency) ? tenant.defaultCurrency : 'EUR';
  return { attributes: [], synonyms: [], sellerCountry: 'DE', currencies: [currency] };
}

export async function catalogSettings(deps: CatalogDeps, tenant: Tenant): Promise<CatalogSettings> {
  return (await deps.catalog.meta(tenant.id)).settings ?? defaultCatalogSettings(tenant);
}

function invalid(code: string, subject: string, issues: FieldIssue[]): ValidationError {
  const located = issues.map((issue) => ({ ...issue, path: issue.path ? `body.${issue.path}` : 'body' }));
  const first = located
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = located.length > 3 ? ` (and ${located.length - 3} more)` : '';
  return new ValidationError(code, `${subject}: ${first}${more}`, located);
}

async function checkProduct(deps: CatalogDeps, tenant: Tenant, draft: ProductDraft, forPublish: boolean) {
  const [settings, categories] = await Promise.all([
    catalogSettings(deps, tenant),
    deps.catalog.categories(tenant.id),
  ]);
  const issues = productIssues(
    draft,
    {
      settings,
      categoryIds: new Set(categories.map((category) => category.id)),
      defaultLocale: tenant.defaultLanguage,
    },
    forPublish,
  );
  if (issues.length > 0) {
    throw invalid(
      'invalid_product',
      forPublish ? 'The product cannot be published' : 'Invalid product',
      issues,
    );
  }
}

async function audit(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  action: AuditAction,
  target: string,
  details?: Record<string, unknown>,
) {
  await recordAudit(deps, { kind: 'tenant', tenantId: tenant.id }, { action, principal, target, details });
}

export async function createProduct(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  draft: ProductDraft,
): Promise<Product> {
  await checkProduct(deps, tenant, draft, false);
  const now = deps.clock.now().toISOString();
  const product: Product = {
    ...draft,
    id: newId('prd', deps.clock),
    status: 'draft',
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.catalog.createProduct(tenant.id, product);
  await audit(deps, tenant, principal, 'product.created', product.id, { slug: product.slug });
  return product;
}

async function currentProduct(
  deps: CatalogDeps,
  tenant: Tenant,
  productId: string,
  expectedRevision?: number,
) {
  const product = await deps.catalog.getProduct(tenant.id, productId);
  if (!product)
    throw new NotFoundError('product_not_found', `There is no product ${productId} in this store`);
  if (expectedRevision !== undefined && expectedRevision !== product.revision) {
    throw new ConflictError(
      'revision_conflict',
      `The product is at revision ${product.revision}, not ${expectedRevision}: someone changed it since you loaded it`,
      { revision: product.revision },
    );
  }
  return product;
}

const draftOf = ({
  id: _id,
  status: _s,
  revision: _r,
  createdAt: _c,
  updatedAt: _u,
  publishedAt: _p,
  ...draft
}: Product) => draft;

export async function updateProduct(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  productId: string,
  change: Omit<Partial<ProductDraft>, 'summary' | 'description' | 'sla'> & {
    summary?: ProductDraft['summary'] | null;
    description?: ProductDraft['description'] | null;
    sla?: ProductDraft['sla'] | null;
    expectedRevision?: number;
  },
): Promise<Product> {
  const { expectedRevision, ...fields } = change;
  const previous = await currentProduct(deps, tenant, productId, expectedRevision);
  const merged: Record<string, unknown> = { ...draftOf(previous), ...fields };
  for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key]; // null clears
  const draft = ProductDraft.parse(merged);
  await checkProduct(deps, tenant, draft, previous.status === 'published');
  const product: Product = {
    ...previous,
    ...draft,
    revision: previous.revision + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.catalog.updateProduct(tenant.id, product, previous);
  await audit(deps, tenant, principal, 'product.updated', product.id, { fields: Object.keys(fields) });
  return product;
}

export async function changeProductStatus(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  productId: string,
  status: Exclude<ProductStatus, 'draft'>,
  expectedRevision?: number,
): Promise<Product> {
  const previous = await currentProduct(deps, tenant, productId, expectedRevision);
  if (previous.status === status) return previous; // a repeated publish is harmless
  if (status === 'published') await checkProduct(deps, tenant, draftOf(previous), true);
  const now = deps.clock.now().toISOString();
  const product: Product = {
    ...previous,
    status,
    revision: previous.revision + 1,
    updatedAt: now,
    ...(status === 'published' ? { publishedAt: now } : {}),
  };
  await deps.catalog.updateProduct(tenant.id, product, previous);
  await audit(
    deps,
    tenant,
    principal,
    status === 'published' ? 'product.published' : 'product.retired',
    product.id,
  );
  return product;
}

/** Longest path from a top-level category down; deeper trees are hard to navigate anyway. */
const MAX_CATEGORY_DEPTH = 8;

export async function upsertCategory(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  category: Category,
): Promise<Category> {
  const categories = new Map((await deps.catalog.categories(tenant.id)).map((entry) => [entry.id, entry]));
  const issues: FieldIssue[] = [];
  if (!category.name[tenant.defaultLanguage]) {
    issues.push({
      path: 'name',
      code: 'missing_default_language',
      message: `needs a name in the store's language (${tenant.defaultLanguage})`,
    });
  }
  if (category.parentId !== null) {
    // Walk up from the new parent: meeting the category itself would close a cycle.
    let depth = 1;
    let cursor: string | null = category.parentId;
    while (cursor !== null) {
      if (cursor === category.id) {
        issues.push({
          path: 'parentId',
          code: 'category_cycle',
          message: 'a category cannot sit under itself',
        });
        break;
      }
      const parent = categories.get(cursor);
      if (!parent) {
        issues.push({
          path: 'parentId',
          code: 'unknown_category',
          message: `there is no category "${cursor}"`,
        });
        break;
      }
      cursor = parent.parentId;
      depth += 1;
    }
    if (depth > MAX_CATEGORY_DEPTH) {
      issues.push({
        path: 'parentId',
        code: 'category_too_deep',
        message: `categories nest at most ${MAX_CATEGORY_DEPTH} levels`,
      });
    }
  }
  if (issues.length > 0) throw invalid('invalid_category', 'Invalid category', issues);
  await deps.catalog.putCategory(tenant.id, category, deps.clock.now().toISOString());
  await audit(deps, tenant, principal, 'category.changed', category.id);
  return category;
}

export async function updateCatalogSettings(
  deps: CatalogDeps,
  tenant: Tenant,
  principal: Principal,
  settings: CatalogSettings,
): Promise<CatalogSettings> {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  settings.attributes.forEach((attribute, index) => {
    if (seen.has(attribute.key)) {
      issues.push({
        path: `attributes[${index}].key`,
        code: 'duplicate_key',
        message: `"${attribute.key}" is defined twice`,
      });
    }
    seen.add(attribute.key);
    if (attribute.type === 'enum' && !attribute.values?.length) {
      issues.push({
        path: `attributes[${index}].values`,
        code: 'missing_values',
        message: 'an enum attribute needs values',
      });
    }
    if (attribute.type === 'text' && attribute.facet) {
      issues.push({
        path: `attributes[${index}].facet`,
        code: 'text_facet',
        message: 'a text attribute cannot be a facet (it is searched as text instead)',
      });
    }
  });
  if (!settings.currencies.includes(tenant.defaultCurrency as CatalogSettings['currencies'][number])) {
    issues.push({
      path: 'currencies',
      code: 'missing_default_currency',
      message: `must include the store's currency ${tenant.defaultCurrency}`,
    });
  }
  if (issues.length > 0) throw invalid('invalid_catalog_settings', 'Invalid catalog settings', issues);
  await deps.catalog.putSettings(tenant.id, settings, deps.clock.now().toISOString());
  await audit(deps, tenant, principal, 'catalog_settings.changed', 'catalog');
  return settings;
}
