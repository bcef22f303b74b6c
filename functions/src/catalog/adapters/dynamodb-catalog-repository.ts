import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BasketRule } from '#shared/basket/basket.ts';
import type { CatalogSettings, Category, Product, ProductStatus } from '#shared/catalog/catalog.ts';
import type { ZeroResultSearch } from '#shared/catalog/search.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import { epochSeconds, tenantPk } from '../../data/keys.ts';
import type { CatalogMeta, CatalogRepository, CatalogSnapshot } from '../catalog-repository.ts';

/*
 * Keys of the catalog's items (docs/data-model.md). Everything lives in the tenant's partition;
 * the CATALOG item holds the settings and the catalog version every change bumps in the same
 * transaction, so readers know when to rebuild their in-memory index.
 */
const keys = {
  meta: (tenantId: string) => ({ pk: tenantPk(tenantId), sk: 'CATALOG' }),
  product: (tenantId: string, productId: string) => ({ pk: tenantPk(tenantId), sk: `PRODUCT#${productId}` }),
  slug: (tenantId: string, slug: string) => ({ pk: tenantPk(tenantId), sk: `PRODUCT_SLUG#${slug}` }),
  category: (tenantId: string, categoryId: string) => ({
    pk: tenantPk(tenantId),
    sk: `CATEGORY#${categoryId}`,
  }),
  rule: (tenantId: string, ruleId: string) => ({ pk: tenantPk(tenantId), sk: `BASKET_RULE#${ruleId}` }),
  zeroResult: (tenantId: string, digest: string) => ({ pk: tenantPk(tenantId), sk: `ZERO_SEARCH#${digest}` }),
};

/** Zero-result counters fade out 90 days after the last such search. */
const ZERO_RESULT_TTL_MS = 90 * 24 * 3_600_000;

export class DynamoDbCatalogRepository implements CatalogRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private bumpVersion(tenantId: string, at: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.meta(tenantId),
        UpdateExpression:
          'SET version = if_not_exists(version, :zero) + :one, updatedAt = :at, entity = :entity',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at, ':entity': 'catalog' },
      },
    };
  }

  async meta(tenantId: string): Promise<CatalogMeta> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.meta(tenantId) }),
    );
    return {
      version: (Item?.version as number | undefined) ?? 0,
      settings: Item?.settings as CatalogSettings,
    };
  }

  async version(tenantId: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.meta(tenantId),
        ProjectionExpression: 'version',
      }),
    );
    return (Item?.version as number | undefined) ?? 0;
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private byPrefix(tenantId: string, prefix: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix },
    };
  }

  async snapshot(tenantId: string): Promise<CatalogSnapshot> {
    // The version is read first: a change landing during the load makes the snapshot look older
    // than it is, so the next version check reloads it (never the other way round).
    const meta = await this.meta(tenantId);
    const [products, categories, rules] = await Promise.all([
      this.queryAll(this.byPrefix(tenantId, 'PRODUCT#')),
      this.categories(tenantId),
      this.rules(tenantId),
    ]);
    return { ...meta, products: products.map((item) => item.product as Product), categories, rules };
  }

  async getProduct(tenantId: string, productId: string): Promise<Product | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.product(tenantId, productId),
        ConsistentRead: true,
      }),
    );
    return Item?.product as Product | undefined;
  }

  async productIdBySlug(tenantId: string, slug: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.slug(tenantId, slug), ConsistentRead: true }),
    );
    return Item?.productId as string | undefined;
  }

  async listProducts(
    tenantId: string,
    filter: { status?: ProductStatus; limit: number; cursor?: string },
  ): Promise<{ items: Product[]; nextCursor?: string }> {
    let after: string | undefined;
    if (filter.cursor) {
      after = Buffer.from(filter.cursor, 'base64url').toString('utf8');
      if (!/^prd_[0-9a-z_]+$/.test(after)) {
        throw new ValidationError('invalid_cursor', 'cursor is not one this list handed out');
      }
    }
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        ...this.byPrefix(tenantId, 'PRODUCT#'),
        Limit: filter.limit,
        ...(filter.status
          ? {
              FilterExpression: '#status = :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':pk': tenantPk(tenantId),
                ':prefix': 'PRODUCT#',
                ':status': filter.status,
              },
            }
          : {}),
        ...(after ? { ExclusiveStartKey: keys.product(tenantId, after) } : {}),
      }),
    );
    const items = Items.map((item) => item.product as Product);
    const lastKey = LastEvaluatedKey?.sk as string | undefined;
    return lastKey
      ? { items, nextCursor: Buffer.from(lastKey.slice('PRODUCT#'.length)).toString('base64url') }
      : { items };
  }

  private productPut(tenantId: string, product: Product) {
    return {
      TableName: this.tableName,
      Item: { ...keys.product(tenantId, product.id), entity: 'product', status: product.status, product },
    };
  }

  async createProduct(tenantId: string, product: Product): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: { ...this.productPut(tenantId, product), ConditionExpression: 'attribute_not_exists(pk)' },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.slug(tenantId, product.slug), entity: 'productSlug', productId: product.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            this.bumpVersion(tenantId, product.updatedAt),
          ],
        }),
      );
    } catch (error) {
      if (cancelledAt(error, 1)) throw slugTaken(product.slug);
      throw error;
    }
  }

  async updateProduct(tenantId: string, product: Product, previous: Product): Promise<void> {
    const slugChanged = product.slug !== previous.slug;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                ...this.productPut(tenantId, product),
                ConditionExpression: '#product.#revision = :revision',
                ExpressionAttributeNames: { '#product': 'product', '#revision': 'revision' },
                ExpressionAttributeValues: { ':revision': previous.revision },
              },
            },
            this.bumpVersion(tenantId, product.updatedAt),
            ...(slugChanged
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: {
                        ...keys.slug(tenantId, product.slug),
                        entity: 'productSlug',
                        productId: product.id,
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                  { Delete: { TableName: this.tableName, Key: keys.slug(tenantId, previous.slug) } },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (cancelledAt(error, 0)) {
        throw new ConflictError(
          'revision_conflict',
          'The product was changed by someone else since you loaded it; reload it and apply your change again',
        );
      }
      if (slugChanged && cancelledAt(error, 2)) throw slugTaken(product.slug);
      throw error;
    }
  }

  async categories(tenantId: string): Promise<Category[]> {
    const items = await this.queryAll(this.byPrefix(tenantId, 'CATEGORY#'));
    return items.map((item) => item.category as Category);
  }

  async putCategory(tenantId: string, category: Category, at: string): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.category(tenantId, category.id), entity: 'category', category },
            },
          },
          this.bumpVersion(tenantId, at),
        ],
      }),
    );
  }

  async putSettings(tenantId: string, settings: CatalogSettings, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.meta(tenantId),
        UpdateExpression:
          'SET settings = :settings, version = if_not_exists(version, :zero) + :one, updatedAt = :at, entity = :entity',
        ExpressionAttributeValues: {
          ':settings': settings,
          ':zero': 0,
          ':one': 1,
          ':at': at,
          ':entity': 'catalog',
        },
      }),
    );
  }

  async rules(tenantId: string): Promise<BasketRule[]> {
    const items = await this.queryAll(this.byPrefix(tenantId, 'BASKET_RULE#'));
    return items.map((item) => item.rule as BasketRule);
  }

  async putRule(tenantId: string, rule: BasketRule, at: string): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.rule(tenantId, rule.id), entity: 'basketRule', rule },
            },
          },
          this.bumpVersion(tenantId, at),
        ],
      }),
    );
  }

  async recordZeroResult(
    tenantId: string,
    search: { key: string; query: string; filters?: string },
    at: Date,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.zeroResult(tenantId, search.key),
        UpdateExpression:
          'ADD #count :one SET #query = :query, filters = :filters, lastAt = :at, firstAt = if_not_exists(firstAt, :at), expiresAt = :expires, entity = :entity',
        ExpressionAttributeNames: { '#count': 'count', '#query': 'query' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':query': search.query,
          ':filters': search.filters ?? '',
          ':at': at.toISOString(),
          ':expires': epochSeconds(new Date(at.getTime() + ZERO_RESULT_TTL_MS)),
          ':entity': 'zeroResultSearch',
        },
      }),
    );
  }

  async zeroResults(tenantId: string, now: Date): Promise<ZeroResultSearch[]> {
    const items = await this.queryAll(this.byPrefix(tenantId, 'ZERO_SEARCH#'));
    const nowSeconds = epochSeconds(now);
    return items
      .filter((item) => (item.expiresAt as number) > nowSeconds) // TTL deletes lazily
      .map((item) => ({
        query: item.query as string,
        ...(item.filters ? { filters: item.filters as string } : {}),
        count: item.count as number,
        firstAt: item.firstAt as string,
        lastAt: item.lastAt as string,
      }));
  }
}

/** Whether a transaction failed on the condition of its item at `index`. */
function cancelledAt(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

const slugTaken = (slug: string) =>
  new ConflictError('slug_taken', `Another product already uses the slug "${slug}"; choose another`);
