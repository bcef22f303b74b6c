/** The incidents context on the table, built on the money contexts' wiring (ledger, services, clocks). */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queueUrlEnvName } from '#infra/topology/types.ts';
import type { Product } from '#shared/catalog/catalog.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { dynamoDocumentClient, sqs } from '../aws/clients.ts';
import { requiredEnv, tableName } from '../aws/environment.ts';
import { reviewWallet } from '../billing/sweep.ts';
import { type BillingDeps, tableBilling } from '../billing/table-billing.ts';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store.ts';
import type { IncidentDeps } from './incident-service.ts';

/** The queue the crediting worker (`creditIncident`) consumes. */
export const INCIDENT_CREDITS_QUEUE = 'incident-credits';

export function buildIncidentDeps(
  client: DynamoDBDocumentClient,
  table: string,
  billing: BillingDeps,
  wiring: {
    products(tenant: Tenant): Promise<Product[]>;
    startCrediting(tenantId: string, incidentId: string): Promise<void>;
  },
): IncidentDeps {
  return {
    incidents: new DynamoDbIncidentStore(client, table),
    subscriptions: billing.subscriptions,
    ledger: billing.ledger,
    billingSettings: billing.billingSettings,
    products: wiring.products,
    now: (tenant) => billing.time.now(tenant),
    clock: billing.clock,
    startCrediting: wiring.startCrediting,
    afterTopUp: (tenant, customerId, currency, at) =>
      reviewWallet(billing, tenant, { tenantId: tenant.id, customerId, currency }, at),
  };
}

let deps: IncidentDeps | undefined;

export function tableIncidents(): IncidentDeps {
  if (deps) return deps;
  const billing = tableBilling();
  deps = buildIncidentDeps(dynamoDocumentClient(), tableName(), billing, {
    products: async (tenant) => [...(await billing.cache.view(tenant)).allProducts()],
    startCrediting: async (tenantId, incidentId) => {
      await sqs().send(
        new SendMessageCommand({
          QueueUrl: requiredEnv(queueUrlEnvName(INCIDENT_CREDITS_QUEUE)),
          MessageBody: JSON.stringify({ tenantId, incidentId }),
        }),
      );
    },
  });
  return deps;
}
