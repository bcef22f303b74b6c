/**
 * The money contexts (orders, subscriptions, credits, billing) wired on one table: DynamoDB
 * adapters, the bus, the store clocks. One builder, so tests run the same wiring with their own
 * clock, bus and queue.
 */

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queueUrlEnvName } from '#infra/topology/types.ts';
import type { BasketView } from '#shared/basket/basket.ts';
import { type BillingSettings, DEFAULT_BILLING_SETTINGS } from '#shared/billing/settings.ts';
import type { EventPublisher } from '#shared/events/envelope.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient, eventBridge, sqs } from '../aws/clients.ts';
import { eventBusName, requiredEnv, tableName } from '../aws/environment.ts';
import { DynamoDbBasketRepository } from '../basket/adapters/dynamodb-basket-repository.ts';
import { getBasket } from '../basket/basket-service.ts';
import { tableBasket } from '../basket/table-basket.ts';
import type { CatalogCache } from '../catalog/catalog-view.ts';
import { tableCatalog } from '../catalog/table-catalog.ts';
import { DynamoDbWalletStore } from '../credits/adapters/dynamodb-wallet-store.ts';
import type { LedgerDeps } from '../credits/ledger-service.ts';
import type { WalletUseCaseDeps } from '../credits/wallet-service.ts';
import { transact } from '../data/transactions.ts';
import { EventBridgePublisher } from '../events/adapters/event-bridge-publisher.ts';
import { DynamoDbCustomerRepository } from '../identity/adapters/dynamodb-customer-repository.ts';
import { buildInvoiceDeps } from '../invoices/table-invoices.ts';
import { DynamoDbOrderStore } from '../orders/adapters/dynamodb-order-store.ts';
import type { CheckoutDeps } from '../orders/checkout.ts';
import { dataKeys } from '../payments/data-keys.ts';
import { DynamoDbConnectorStore } from '../provisioning/adapters/dynamodb-connector-store.ts';
import { DynamoDbSubscriptionStore } from '../subscriptions/adapters/dynamodb-subscription-store.ts';
import { DynamoDbUsageStore } from '../usage/adapters/dynamodb-usage-store.ts';
import { DynamoDbBillingStore } from './adapters/dynamodb-billing-store.ts';
import { reviewWallet, type SweepDeps } from './sweep.ts';
import { tenantClock } from './tenant-clock.ts';
import type { TestClockDeps } from './test-clock.ts';

export type BillingDeps = CheckoutDeps &
  SweepDeps & {
    billing: DynamoDbBillingStore;
    /** Saves the settings; this instance uses them at once, others within SETTINGS_FRESH_MS. */
    saveBillingSettings(tenantId: string, settings: BillingSettings): Promise<void>;
    testClock: TestClockDeps;
    walletUseCases: WalletUseCaseDeps;
  };

export type BillingWiring = {
  clock?: Clock;
  events: EventPublisher;
  cache: Pick<CatalogCache, 'view'>;
  checkedBasket(tenant: Tenant, principal: Principal): Promise<BasketView>;
  startWalk(tenantId: string): Promise<void>;
};

/** How long an instance keeps a store's billing settings before reading them again. */
export const SETTINGS_FRESH_MS = 10_000;

export function buildBillingDeps(
  client: DynamoDBDocumentClient,
  table: string,
  wiring: BillingWiring,
): BillingDeps {
  const clock = wiring.clock ?? systemClock;
  const billing = new DynamoDbBillingStore(client, table);
  const wallets = new DynamoDbWalletStore(client, table);
  const subscriptions = new DynamoDbSubscriptionStore(client, table);
  const customers = new DynamoDbCustomerRepository(client, table);
  const connectors = new DynamoDbConnectorStore(client, table);
  // Every posting needs the settings and they change rarely: each instance keeps them a while.
  const settingsCache = new Map<string, { settings: BillingSettings; readAt: number }>();
  const billingSettings = async (tenantId: string) => {
    const hit = settingsCache.get(tenantId);
    if (hit && Date.now() - hit.readAt < SETTINGS_FRESH_MS) return hit.settings;
    const settings = (await billing.settings(tenantId)) ?? DEFAULT_BILLING_SETTINGS;
    settingsCache.set(tenantId, { settings, readAt: Date.now() });
    return settings;
  };
  const ledger: LedgerDeps = {
    wallets,
    billingSettings,
    events: wiring.events,
    clock,
    recentWallets: new Map(),
  };
  const time = tenantClock(billing, clock);
  const commit = (items: Parameters<typeof transact>[1]) => transact(client, items);
  const deps: BillingDeps = {
    subscriptions,
    wallets,
    usage: new DynamoDbUsageStore(client, table),
    commit,
    events: wiring.events,
    clock,
    time,
    billingSettings,
    cache: wiring.cache,
    activation: async (tenantId, productId) => {
      const connector = await connectors.serving(tenantId, productId);
      return connector?.enabled && connector.events.includes('activate')
        ? { timeoutSeconds: connector.timeoutSeconds }
        : undefined;
    },
    secrets: dataKeys,
    orders: new DynamoDbOrderStore(client, table),
    baskets: new DynamoDbBasketRepository(client, table),
    ledger,
    checkedBasket: wiring.checkedBasket,
    dueItems: (tenantId, until) => billing.dueItems(tenantId, until),
    billing,
    saveBillingSettings: async (tenantId, settings) => {
      await billing.saveSettings(tenantId, settings);
      settingsCache.set(tenantId, { settings, readAt: Date.now() });
    },
    testClock: { billing, system: clock, startWalk: wiring.startWalk },
    invoicing: buildInvoiceDeps(client, table, { clock, time, cache: wiring.cache, events: wiring.events }),
    walletUseCases: {
      ledger,
      now: (tenant) => time.now(tenant),
      customerExists: async (tenantId, customerId) =>
        (await customers.get(tenantId, customerId)) !== undefined,
      afterTopUp: async (tenant, customerId, currency, at) =>
        reviewWallet(deps, tenant, { tenantId: tenant.id, customerId, currency }, at),
    },
  };
  return deps;
}

/** Queue of test-clock walks (the `testClocks` worker consumes it). */
export const TEST_CLOCK_QUEUE = 'test-clocks';

let deps: BillingDeps | undefined;

/** The money contexts of this function instance. */
export function tableBilling(): BillingDeps {
  deps ??= buildBillingDeps(dynamoDocumentClient(), tableName(), {
    events: new EventBridgePublisher(eventBridge(), eventBusName()),
    cache: tableCatalog().cache,
    checkedBasket: (tenant, principal) =>
      getBasket(tableBasket(), tenant, { principal }, { checkAvailability: true }),
    startWalk: async (tenantId) => {
      await sqs().send(
        new SendMessageCommand({
          QueueUrl: requiredEnv(queueUrlEnvName(TEST_CLOCK_QUEUE)),
          MessageBody: JSON.stringify({ tenantId }),
        }),
      );
    },
  });
  return deps;
}
