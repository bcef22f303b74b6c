/**
 * Evaluating capacity triggers:
 *   usage.recorded (bus rule) ─┐
 *   scheduleTriggerEvaluations ─┴→ trigger-evaluations queue → evaluateTriggers
 * The schedule lists, per store, the services with an enabled trigger (one Query of the store's
 * `TRIGGER_ON#` items) so triggers also act when no usage arrives (a metric that stopped, a window
 * that emptied). Evaluating twice is harmless: each decision is written on the trigger's revision.
 */
import * as z from 'zod';
import { BusEvent } from '../../events/event-bridge.ts';
import { scheduledHandler } from '../../events/scheduled-handler.ts';
import { sqsConsumer } from '../../events/sqs-consumer.ts';
import { logger } from '../../observability/logger.ts';
import { evaluateService } from '../evaluation.ts';
import { sendEvaluations, tableTriggers } from '../table-triggers.ts';

const EvaluationMessage = z.object({ tenantId: z.string().min(1), subscriptionId: z.string().min(1) });

/** What a usage.recorded event names (functions/src/usage/usage-service.ts). */
const UsageRecorded = z.object({
  services: z.array(z.object({ subscriptionId: z.string().min(1), metrics: z.array(z.string()) })),
});

/**
 * A service's triggers, now (the store's time): the schedule names one service; a usage call
 * names every service it touched, of which only those with an enabled trigger are evaluated.
 */
export const evaluateTriggers = sqsConsumer(z.union([EvaluationMessage, BusEvent]), async (message) => {
  const deps = tableTriggers();
  const tenantId = 'detail' in message ? message.detail.tenant : message.tenantId;
  let subscriptionIds: string[];
  if ('detail' in message) {
    const touched = UsageRecorded.safeParse(message.detail.data);
    if (!touched.success) return;
    const watched = new Set(await deps.evaluation.triggers.servicesWithTriggers(tenantId));
    subscriptionIds = touched.data.services
      .map((service) => service.subscriptionId)
      .filter((id) => watched.has(id));
  } else {
    subscriptionIds = [message.subscriptionId];
  }
  if (subscriptionIds.length === 0) return;
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) return;
  for (const subscriptionId of subscriptionIds) {
    const fired = await evaluateService(deps.evaluation, tenant, subscriptionId);
    if (fired.length > 0) {
      logger.info('triggers fired', {
        tenantId,
        subscriptionId,
        outcomes: fired.map((firing) => firing.outcome),
      });
    }
  }
});

/** Every few minutes: a message per service with an enabled trigger, in every active store. */
export const scheduleTriggerEvaluations = scheduledHandler(async () => {
  const deps = tableTriggers();
  const stores = (await deps.tenants.list()).filter((tenant) => tenant.status === 'active');
  let services = 0;
  for (const store of stores) {
    const ids = await deps.evaluation.triggers.servicesWithTriggers(store.id);
    services += ids.length;
    await sendEvaluations(ids.map((subscriptionId) => ({ tenantId: store.id, subscriptionId })));
  }
  logger.info('trigger evaluations scheduled', { stores: stores.length, services });
});
