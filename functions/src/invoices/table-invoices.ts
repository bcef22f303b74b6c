/**
 * The invoices context on one table: the invoice store, the parties (store and customer records,
 * the catalog's seller country), the store clocks. One builder, so the billing wiring and tests
 * use the same.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventPublisher } from '#shared/events/envelope.ts';
import { INVOICE_PAYMENT_TERMS_DAYS } from '#shared/invoices/invoice.ts';
import { type Clock, systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient, eventBridge } from '../aws/clients.ts';
import { eventBusName, tableName } from '../aws/environment.ts';
import { DynamoDbBillingStore } from '../billing/adapters/dynamodb-billing-store.ts';
import { type TenantClock, tenantClock } from '../billing/tenant-clock.ts';
import type { CatalogCache } from '../catalog/catalog-view.ts';
import { tableCatalog } from '../catalog/table-catalog.ts';
import { transact } from '../data/transactions.ts';
import { EventBridgePublisher } from '../events/adapters/event-bridge-publisher.ts';
import { DynamoDbCustomerRepository } from '../identity/adapters/dynamodb-customer-repository.ts';
import { DynamoDbPaymentStore } from '../payments/adapters/dynamodb-payment-store.ts';
import { DynamoDbTenantRepository } from '../tenants/adapters/dynamodb-tenant-repository.ts';
import { DynamoDbInvoiceStore } from './adapters/dynamodb-invoice-store.ts';
import type { InvoiceDeps, InvoiceParties } from './invoice-service.ts';

export type InvoiceWiring = {
  clock?: Clock;
  /** The store clocks; default: read from the table (test clocks of sandbox stores). */
  time?: TenantClock;
  cache: Pick<CatalogCache, 'view'>;
  events?: EventPublisher;
};

export function buildInvoiceDeps(
  client: DynamoDBDocumentClient,
  table: string,
  wiring: InvoiceWiring,
): InvoiceDeps {
  const clock = wiring.clock ?? systemClock;
  const tenants = new DynamoDbTenantRepository(client, table);
  const customers = new DynamoDbCustomerRepository(client, table);
  const parties: InvoiceParties = {
    async seller(tenantId) {
      const tenant = await tenants.get(tenantId);
      if (!tenant) throw new Error(`tenant ${tenantId} not found`);
      const view = await wiring.cache.view(tenant);
      return { name: tenant.name, country: view.settings.sellerCountry };
    },
    async buyer(tenantId, customerId) {
      const customer = await customers.get(tenantId, customerId);
      if (!customer) return undefined;
      return {
        name: customer.name,
        country: customer.country,
        ...(customer.vatId ? { vatId: customer.vatId } : {}),
      };
    },
  };
  const payments = new DynamoDbPaymentStore(client, table);
  return {
    invoices: new DynamoDbInvoiceStore(client, table),
    ...(wiring.events ? { events: wiring.events } : {}),
    paymentTermsDays: async (tenantId, customerId) =>
      (await payments.billingProfile(tenantId, customerId))?.paymentTermsDays ?? INVOICE_PAYMENT_TERMS_DAYS,
    commit: (items) => transact(client, items),
    clock,
    time: wiring.time ?? tenantClock(new DynamoDbBillingStore(client, table), clock),
    parties,
  };
}

let deps: InvoiceDeps | undefined;

/** The invoices context of this function instance. */
export function tableInvoices(): InvoiceDeps {
  deps ??= buildInvoiceDeps(dynamoDocumentClient(), tableName(), {
    cache: tableCatalog().cache,
    // Made on first use: functions that only read invoices have no bus to publish to.
    events: {
      publish: (source, events) =>
        new EventBridgePublisher(eventBridge(), eventBusName()).publish(source, events),
    },
  });
  return deps;
}
