import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { tenantPk } from '../../data/keys.ts';
import type { TenantRepository } from '../tenant-repository.ts';

/*
 * Items (see docs/data-model.md):
 *   T#<tenantId> / TENANT        the tenant
 *   SLUG#<slug>  / SLUG          routing item: slug → tenant id, and the slug's uniqueness guard
 */
const tenantKey = (tenantId: string) => ({ pk: tenantPk(tenantId), sk: 'TENANT' });
const slugKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });

export class DynamoDbTenantRepository implements TenantRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenant: Tenant): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...tenantKey(tenant.id), entity: 'tenant', ...tenant },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...slugKey(tenant.slug), entity: 'tenantSlug', tenantId: tenant.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [tenantReason, slugReason] = error.CancellationReasons ?? [];
        if (slugReason?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError('slug_taken', `The storefront slug '${tenant.slug}' is already taken`);
        }
        if (tenantReason?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError('tenant_exists', `Tenant ${tenant.id} already exists`);
        }
      }
      throw error;
    }
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: tenantKey(tenantId) }),
    );
    return Item ? toTenant(Item) : undefined;
  }

  async findBySlug(slug: string): Promise<Tenant | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: slugKey(slug) }),
    );
    return typeof Item?.tenantId === 'string' ? this.get(Item.tenantId) : undefined;
  }
}

function toTenant(item: Record<string, unknown>): Tenant {
  const { id, slug, name, status, defaultCurrency, defaultLanguage, createdAt } = item as Tenant;
  return { id, slug, name, status, defaultCurrency, defaultLanguage, createdAt };
}
