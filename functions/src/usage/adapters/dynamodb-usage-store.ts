import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { UnavailableError, ValidationError } from '#shared/errors.ts';
import type { MetricName, Sample } from '#shared/usage/metrics.ts';
import { tenantPk, usagePk } from '../../data/keys.ts';
import { subscriptionSk } from '../../subscriptions/adapters/dynamodb-subscription-store.ts';
import type { BucketWrite, StoredBucket, UsageStore } from '../usage-store.ts';

const BUCKET_PREFIX = 'USAGE#';
const bucketSk = (start: number): string => `${BUCKET_PREFIX}${new Date(start).toISOString()}`;

/**
 * Each metric's one-letter code in sample attribute names: a bucket holds ~30 samples per metric,
 * and a full metric name in each would add about a third to the item (and its write units). Codes are
 * stored: never reuse or change one.
 */
export const METRIC_CODES = {
  cpu_pct: 'c',
  memory_pct: 'm',
  storage_used_gb: 's',
  egress_gb: 'e',
} as const satisfies Record<MetricName, string>;

/**
 * Samples are top-level attributes `<metric code>#<record key>` = [epoch ms, value], not entries
 * of nested maps: a nested path needs its map to exist first, which would cost a second round
 * trip (or a race) for every new bucket; top-level attributes make every write one UpdateItem.
 * The metric is part of the name, so a record's identity stays (service, metric, bucket, key).
 *
 * @example sampleAttribute('cpu_pct', 'Xy3…') // 'c#Xy3…'
 */
export const sampleAttribute = (metric: MetricName, key: string): string => `${METRIC_CODES[metric]}#${key}`;

/** Samples per UpdateItem: keeps the update and condition expressions under DynamoDB's 4 KB limit. */
const SAMPLES_PER_UPDATE = 100;
/** BatchGetItem takes at most 100 keys. */
const KEYS_PER_BATCH_GET = 100;
/** Services never stop existing: an instance remembers the ones it found for a while. */
const KNOWN_SERVICE_MS = 10 * 60_000;
const KNOWN_SERVICES_MAX = 50_000;

/**
 * Usage in its own partitions (`usagePk`: tenant, service), one item per 5-minute bucket holding
 * every metric's samples, so a platform's four metrics of a moment are one UpdateItem; the services
 * looked up in the tenant's partition, where the subscriptions context keeps them.
 */
export class DynamoDbUsageStore implements UsageStore {
  readonly #known = new Map<string, { customerId: string; until: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(tenantId: string, write: BucketWrite): Promise<{ duplicates: number }> {
    const samples: Array<[string, Sample]> = [];
    for (const [metric, byKey] of write.samples) {
      for (const [key, sample] of byKey) samples.push([sampleAttribute(metric, key), sample]);
    }
    let duplicates = 0;
    for (let offset = 0; offset < samples.length; offset += SAMPLES_PER_UPDATE) {
      duplicates += await this.#update(tenantId, write, samples.slice(offset, offset + SAMPLES_PER_UPDATE));
    }
    return { duplicates };
  }

  /**
   * Adds samples to the bucket, resolving to how many it had already. First as new samples only
   * (no duplicates: the common case), which returns nothing; a retried record fails that condition,
   * and then the bucket is updated keeping what it has, returning the old item to tell which.
   */
  async #update(tenantId: string, write: BucketWrite, samples: Array<[string, Sample]>): Promise<number> {
    try {
      await this.client.send(this.#command(tenantId, write, samples, 'new'));
      return 0;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.#tooBig(error, write);
    }
    try {
      const { Attributes } = await this.client.send(this.#command(tenantId, write, samples, 'keepFirst'));
      if (!Attributes) return 0;
      return samples.filter(([attribute]) => attribute in Attributes).length;
    } catch (error) {
      throw this.#tooBig(error, write);
    }
  }

  /**
   * - `new`: every sample absent (`samplesAreNew`), else ConditionalCheckFailedException;
   * - `keepFirst`: a sample already there keeps its first value (`if_not_exists`); the old item is
   *   returned. (UPDATED_OLD would be cheaper on the wire, but whether it lists attributes set to
   *   what they were differs between implementations; DynamoDB Local leaves them out.)
   */
  #command(
    tenantId: string,
    write: BucketWrite,
    samples: Array<[string, Sample]>,
    mode: 'new' | 'keepFirst',
  ): UpdateCommand {
    const names: Record<string, string> = {
      '#entity': 'entity',
      '#subscriptionId': 'subscriptionId',
      '#expiresAt': 'expiresAt',
    };
    const values: Record<string, unknown> = {
      ':entity': 'usageBucket',
      ':subscriptionId': write.subscriptionId,
      ':expiresAt': write.expiresAt,
    };
    const sets = ['#entity = :entity', '#subscriptionId = :subscriptionId', '#expiresAt = :expiresAt'];
    const absent: string[] = [];
    samples.forEach(([attribute, sample], index) => {
      names[`#s${index}`] = attribute;
      values[`:s${index}`] = [sample.at, sample.value];
      if (mode === 'new') {
        sets.push(`#s${index} = :s${index}`);
        absent.push(`attribute_not_exists(#s${index})`);
      } else sets.push(`#s${index} = if_not_exists(#s${index}, :s${index})`);
    });
    const samplesAreNew = absent.join(' AND ');
    return new UpdateCommand({
      TableName: this.tableName,
      Key: { pk: usagePk(tenantId, write.subscriptionId), sk: bucketSk(write.start) },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(mode === 'new' ? { ConditionExpression: samplesAreNew } : { ReturnValues: 'ALL_OLD' }),
    });
  }

  /** DynamoDB's 400 KB item limit, as the caller's mistake (far too many records): a 400. */
  #tooBig(error: unknown, write: BucketWrite): unknown {
    if ((error as Error).name === 'ValidationException' && /size/i.test((error as Error).message)) {
      return new ValidationError(
        'usage_bucket_full',
        `Too many records for ${write.subscriptionId} in the 5 minutes from ` +
          `${new Date(write.start).toISOString()}: report at most one per second per metric`,
      );
    }
    return error;
  }

  async buckets(
    tenantId: string,
    subscriptionId: string,
    metric: MetricName,
    from: number,
    to: number,
  ): Promise<StoredBucket[]> {
    if (to <= from) return [];
    const code = `${METRIC_CODES[metric]}#`;
    const buckets: StoredBucket[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          // sk < the bucket of `to`: BETWEEN is inclusive, so the upper bound is one ms before it.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': usagePk(tenantId, subscriptionId),
            ':from': bucketSk(from),
            ':to': bucketSk(to - 1),
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const nowSeconds = Date.now() / 1000;
      for (const item of page.Items ?? []) {
        // TTL deletes some time after expiry: an expired bucket is gone, whether or not it still is.
        if (typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds) continue;
        const samples: Sample[] = [];
        for (const [name, value] of Object.entries(item)) {
          if (!name.startsWith(code)) continue;
          const [at, measured] = value as [number, number];
          samples.push({ at, value: measured });
        }
        // A bucket with other metrics only is no point of this series.
        if (samples.length === 0) continue;
        const start = Date.parse((item.sk as string).slice(BUCKET_PREFIX.length));
        buckets.push({ start, samples });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return buckets;
  }

  async services(tenantId: string, subscriptionIds: string[]): Promise<Map<string, { customerId: string }>> {
    const found = new Map<string, { customerId: string }>();
    const now = Date.now();
    const missing: string[] = [];
    for (const id of new Set(subscriptionIds)) {
      const hit = this.#known.get(`${tenantId}|${id}`);
      if (hit && hit.until > now) found.set(id, { customerId: hit.customerId });
      else missing.push(id);
    }
    const pk = tenantPk(tenantId);
    const chunks: string[][] = [];
    for (let offset = 0; offset < missing.length; offset += KEYS_PER_BATCH_GET) {
      chunks.push(missing.slice(offset, offset + KEYS_PER_BATCH_GET));
    }
    await Promise.all(
      chunks.map(async (ids) => {
        let keys: Array<Record<string, unknown>> | undefined = ids.map((id) => ({
          pk,
          sk: subscriptionSk(id),
        }));
        for (let attempt = 0; keys && keys.length > 0; attempt++) {
          if (attempt >= 8)
            throw new UnavailableError('usage_busy', 'Too busy to check the services; try again');
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
          const result: BatchGetCommandOutput = await this.client.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: keys,
                  ProjectionExpression: 'sk, #s.#id, #s.#customerId',
                  ExpressionAttributeNames: {
                    '#s': 'subscription',
                    '#id': 'id',
                    '#customerId': 'customerId',
                  },
                },
              },
            }),
          );
          for (const item of result.Responses?.[this.tableName] ?? []) {
            const subscription = item.subscription as { id: string; customerId: string } | undefined;
            if (!subscription) continue;
            found.set(subscription.id, { customerId: subscription.customerId });
            this.#remember(`${tenantId}|${subscription.id}`, subscription.customerId, now);
          }
          keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
        }
      }),
    );
    return found;
  }

  #remember(key: string, customerId: string, now: number) {
    if (this.#known.size >= KNOWN_SERVICES_MAX) this.#known.clear();
    this.#known.set(key, { customerId, until: now + KNOWN_SERVICE_MS });
  }
}
