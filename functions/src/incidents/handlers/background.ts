/**
 * The crediting worker: one message per incident on `incident-credits`; it credits page by page
 * and, when its time runs low, sends the message again to go on. Redelivered or parallel messages
 * resume from the progress stored on the incident (incident-service.ts).
 */
import * as z from 'zod';
import { dynamoDocumentClient } from '../../aws/clients.ts';
import { tableName } from '../../aws/environment.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { DynamoDbTenantRepository } from '../../tenants/adapters/dynamodb-tenant-repository.ts';
import { creditIncident as credit } from '../incident-service.ts';
import { tableIncidents } from '../table-incidents.ts';

const CreditMessage = z.object({ tenantId: z.string().min(1), incidentId: z.string().min(1) });

let tenants: DynamoDbTenantRepository | undefined;

export const creditIncident = sqsConsumer(CreditMessage, async ({ tenantId, incidentId }, record) => {
  tenants ??= new DynamoDbTenantRepository(dynamoDocumentClient(), tableName());
  const tenant = await tenants.get(tenantId);
  if (!tenant) return;
  const deps = tableIncidents();
  const started = Date.now();
  // The topology gives the worker 300 s; it stops a minute before.
  const done = await credit(deps, tenant, incidentId, () => 300_000 - (Date.now() - started));
  if (!done) await deps.startCrediting(tenantId, incidentId);
  logger.info('incident crediting ran', { tenantId, incidentId, done, messageId: record.messageId });
});
