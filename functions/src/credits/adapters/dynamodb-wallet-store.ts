import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { customerPk, duePk, tenantPk } from '../../data/keys.ts';
import { queryPage } from '../../data/paging.ts';
import { type TransactItem, transact } from '../../data/transactions.ts';
import type { StoredEntry, StoredWallet } from '../wallet.ts';
import type { WalletRef, WalletStore, WalletWrite, WalletWriteOutcome } from '../wallet-store.ts';

export const walletSk = (customerId: string, currency: string): string => `WALLET#${customerId}#${currency}`;
const entrySk = (ref: WalletRef, entryId: string) =>
  `${walletSk(ref.customerId, ref.currency)}#ENTRY#${entryId}`;
const keySk = (ref: WalletRef, key: string) => `${walletSk(ref.customerId, ref.currency)}#KEY#${key}`;

/** Attributes of the wallet item other than its keys (docs/data-model.md). */
const FLAGS = [
  'exhaustedAt',
  'graceEndsAt',
  'suspendedForCredits',
  'lowRemindedAt',
  'autoTopUp',
  'topUpRequestedAt',
] as const;

function walletOf(item: Record<string, unknown>): StoredWallet {
  const wallet: StoredWallet = {
    customerId: item.customerId as string,
    currency: item.currency as StoredWallet['currency'],
    funds: { balance: item.balance as number, lots: (item.lots as StoredWallet['funds']['lots']) ?? [] },
    version: item.version as number,
    rates: (item.rates as Record<string, string>) ?? {},
    shortfall: (item.shortfall as number) ?? 0,
    createdAt: item.createdAt as string,
  };
  for (const flag of FLAGS) if (item[flag] !== undefined) Object.assign(wallet, { [flag]: item[flag] });
  return wallet;
}

/** Wallet, entries and idempotency markers in the tenant's partition (docs/data-model.md). */
export class DynamoDbWalletStore implements WalletStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(ref: WalletRef): Promise<StoredWallet | undefined> {
    const item = await getTenantItem(
      this.client,
      this.tableName,
      ref.tenantId,
      walletSk(ref.customerId, ref.currency),
    );
    return item ? walletOf(item) : undefined;
  }

  async walletsOf(tenantId: string, customerId: string): Promise<StoredWallet[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'entity = :wallet',
        ExpressionAttributeValues: {
          ':pk': tenantPk(tenantId),
          ':prefix': `WALLET#${customerId}#`,
          ':wallet': 'wallet',
        },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map(walletOf);
  }

  async write(tenantId: string, change: WalletWrite, also: TransactItem[] = []): Promise<WalletWriteOutcome> {
    const { wallet, expectedVersion, entries, dueAt } = change;
    const ref: WalletRef = { tenantId, customerId: wallet.customerId, currency: wallet.currency };
    const pk = tenantPk(tenantId);
    const sk = walletSk(wallet.customerId, wallet.currency);
    const values: Record<string, unknown> = {
      ':balance': wallet.funds.balance,
      ':lots': wallet.funds.lots,
      ':version': wallet.version,
      ':shortfall': wallet.shortfall,
      ':customerId': wallet.customerId,
      ':currency': wallet.currency,
      ':createdAt': wallet.createdAt,
      ':customerPk': customerPk(tenantId, wallet.customerId),
      ':entity': 'wallet',
      ':noRates': {},
    };
    const set = [
      'balance = :balance',
      'lots = :lots',
      'version = :version',
      'shortfall = :shortfall',
      'customerId = :customerId',
      'currency = :currency',
      'createdAt = if_not_exists(createdAt, :createdAt)',
      'customerPk = :customerPk',
      'entity = :entity',
      'rates = if_not_exists(rates, :noRates)',
    ];
    const remove: string[] = [];
    for (const flag of FLAGS) {
      if (wallet[flag] === undefined) remove.push(flag);
      else {
        set.push(`${flag} = :${flag}`);
        values[`:${flag}`] = wallet[flag];
      }
    }
    if (dueAt) {
      set.push('duePk = :duePk', 'dueAt = :dueAt');
      Object.assign(values, { ':duePk': duePk(tenantId, sk), ':dueAt': dueAt });
    } else remove.push('duePk', 'dueAt');
    if (expectedVersion > 0) values[':expected'] = expectedVersion;

    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: expectedVersion > 0 ? 'version = :expected' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: values,
        },
      },
    ];
    for (const entry of entries) {
      items.push(
        {
          Put: {
            TableName: this.tableName,
            Item: { pk, sk: entrySk(ref, entry.id), entity: 'ledgerEntry', entry },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { pk, sk: keySk(ref, entry.idempotencyKey), entity: 'ledgerKey', entryId: entry.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      );
    }
    const alsoStart = items.length;
    items.push(...also);
    const outcome = await transact(this.client, items);
    if (outcome.ok) return { kind: 'written' };
    const failed = outcome.failedConditions;
    // A marker that exists means the write was done before: that wins over every other reason.
    if (failed.some((index) => index > 0 && index < alsoStart)) return { kind: 'duplicate' };
    if (failed.includes(0) || outcome.conflict) return { kind: 'stale' };
    return { kind: 'alsoFailed', indexes: failed.map((index) => index - alsoStart) };
  }

  async entryByKey(ref: WalletRef, idempotencyKey: string): Promise<StoredEntry | undefined> {
    const pk = tenantPk(ref.tenantId);
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk, sk: keySk(ref, idempotencyKey) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const entry = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk, sk: entrySk(ref, Item.entryId as string) },
        ConsistentRead: true,
      }),
    );
    return entry.Item?.entry as StoredEntry | undefined;
  }

  entries(ref: WalletRef, page: { limit: number; cursor?: string | undefined }) {
    const pk = tenantPk(ref.tenantId);
    const prefix = `${walletSk(ref.customerId, ref.currency)}#ENTRY#`;
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
      (sk) => ({ pk, sk }),
      (item) => item.entry as StoredEntry,
      prefix,
    );
  }

  rateItem(ref: WalletRef, subscriptionId: string, rate: string | undefined): TransactItem {
    const key = { pk: tenantPk(ref.tenantId), sk: walletSk(ref.customerId, ref.currency) };
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        // The version moves too: a copy of the wallet kept by a worker (the recent-wallets cache)
        // then fails its conditional write and is read again, rates included — the runway, the
        // low-balance reminder and exhaustion depend on them.
        UpdateExpression: `${rate === undefined ? 'REMOVE rates.#sub' : 'SET rates.#sub = :rate'} ADD version :one`,
        ConditionExpression: 'attribute_exists(rates)',
        ExpressionAttributeNames: { '#sub': subscriptionId },
        ExpressionAttributeValues: { ':one': 1, ...(rate === undefined ? {} : { ':rate': rate }) },
      },
    };
  }
}
