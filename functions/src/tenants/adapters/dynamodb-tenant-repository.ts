import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { PLATFORM_PK, tenantPk } from '../../data/keys.ts';
import type { TenantChanges, TenantRepository } from '../tenant-repository.ts';

/*
 * Items (see docs/data-model.md):
 *   T#<tenantId>    / TENANT            the tenant
 *   SLUG#<slug>     / SLUG              routing item: slug → tenant id; the slug's uniqueness guard
 *   DOMAIN#<host>   / DOMAIN            routing item: custom domain → tenant id; its uniqueness guard
 *   PLATFORM        / TENANT#<tenantId> the operator's directory of tenants
 */
const tenantKey = (tenantId: string) => ({ pk: tenantPk(tenantId), sk: 'TENANT' });
const slugKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });
const domainKey = (host: string) => ({ pk: `DOMAIN#${host}`, sk: 'DOMAIN' });
const directoryKey = (tenantId: string) => ({ pk: PLATFORM_PK, sk: `TENANT#${tenantId}` });

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export class DynamoDbTenantRepository implements TenantRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private claim(key: Record<string, string>, entity: string, tenantId: string): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...key, entity, tenantId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async create(tenant: Tenant): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...tenantKey(tenant.id), entity: 'tenant', ...tenant },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.claim(slugKey(tenant.slug), 'tenantSlug', tenant.id),
      this.claim(directoryKey(tenant.id), 'tenantDirectory', tenant.id),
    ];
    if (tenant.customDomain)
      items.push(this.claim(domainKey(tenant.customDomain), 'tenantDomain', tenant.id));
    await this.write(items, tenant);
  }

  /** Applies changes in one transaction: a new slug or domain is claimed, the old one released. */
  async update(current: Tenant, changes: TenantChanges): Promise<Tenant> {
    const next: Tenant = {
      ...current,
      ...changes,
      customDomain: changes.customDomain ?? current.customDomain,
    };
    if (changes.customDomain === null) delete next.customDomain;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...tenantKey(current.id), entity: 'tenant', ...next },
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ];
    const release = (key: Record<string, string>): TransactItem => ({
      Delete: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: 'tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': current.id },
      },
    });
    if (next.slug !== current.slug) {
      items.push(this.claim(slugKey(next.slug), 'tenantSlug', current.id), release(slugKey(current.slug)));
    }
    if (next.customDomain !== current.customDomain) {
      if (next.customDomain) items.push(this.claim(domainKey(next.customDomain), 'tenantDomain', current.id));
      if (current.customDomain) items.push(release(domainKey(current.customDomain)));
    }
    await this.write(items, next);
    return next;
  }

  private async write(items: TransactItem[], tenant: Tenant): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (error.CancellationReasons ?? [])
        .map((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? items[index] : undefined))
        .filter((item) => item !== undefined);
      const claimed = failed.map((item) => String(item.Put?.Item?.pk ?? item.Delete?.Key?.pk ?? ''));
      if (claimed.some((pk) => pk.startsWith('SLUG#'))) {
        throw new ConflictError('slug_taken', `The storefront slug '${tenant.slug}' is already taken`);
      }
      if (claimed.some((pk) => pk.startsWith('DOMAIN#'))) {
        throw new ConflictError(
          'domain_taken',
          `The domain '${tenant.customDomain}' already serves another store`,
        );
      }
      if (claimed.length > 0)
        throw new ConflictError('tenant_conflict', `Tenant ${tenant.id} changed meanwhile; retry`);
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

  async findByDomain(host: string): Promise<Tenant | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: domainKey(host) }),
    );
    return typeof Item?.tenantId === 'string' ? this.get(Item.tenantId) : undefined;
  }

  /** The operator's list: the directory (one Query), then the tenants (BatchGet, 100 at a time). */
  async list(): Promise<Tenant[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': PLATFORM_PK, ':prefix': 'TENANT#' },
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => item.tenantId as string));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const tenants: Tenant[] = [];
    for (let start = 0; start < ids.length; start += 100) {
      const { Responses } = await this.client.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: ids.slice(start, start + 100).map(tenantKey) } },
        }),
      );
      tenants.push(...(Responses?.[this.tableName] ?? []).map(toTenant));
    }
    return tenants.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

function toTenant(item: Record<string, unknown>): Tenant {
  const {
    id,
    slug,
    name,
    status,
    defaultCurrency,
    defaultLanguage,
    signupMode,
    customDomain,
    sandbox,
    createdAt,
  } = item as Tenant;
  return {
    id,
    slug,
    name,
    status,
    defaultCurrency,
    defaultLanguage,
    signupMode: signupMode ?? 'open',
    ...(customDomain ? { customDomain } : {}),
    ...(sandbox ? { sandbox } : {}),
    createdAt,
  };
}
