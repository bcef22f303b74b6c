import * as z from 'zod';
import { defineOperation } from '../http/operation.ts';
import type { Grant } from '../identity/access.ts';
import { SubscriptionId } from '../subscriptions/subscription.ts';
import { storeParams } from '../tenants/api.ts';
import { METRICS, MetricName, STEPS } from './metrics.ts';

const tags = ['usage'];

export const MAX_EVENTS_PER_CALL = 500;
export const MAX_SERIES_POINTS = 2000;
/** A read covers at most this much time: a month of hours, ~8,900 stored 5-minute buckets. */
export const MAX_SERIES_DAYS = 31;

/**
 * One usage record, shaped as a CloudEvent (structured JSON, spec 1.0). `id` + `source` name the
 * measurement: sending it again (with the same time) records it once.
 */
export const UsageEvent = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().min(1).max(128),
    source: z.string().min(1).max(256),
    type: z.literal('nimbus.usage.v1'),
    /** The service measured. */
    subject: SubscriptionId,
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal('application/json').optional(),
    data: z
      .object({
        metric: MetricName,
        // JSON has no NaN or Infinity; a finite number is all there is to check.
        value: z.number(),
      })
      .strict(),
  })
  .strict()
  .superRefine((event, context) => {
    if (METRICS[event.data.metric].kind === 'counter' && event.data.value < 0) {
      context.addIssue({
        code: 'custom',
        path: ['data', 'value'],
        message: `${event.data.metric} is a counter: the amount since the previous record, never negative`,
      });
    }
  })
  .meta({ id: 'UsageEvent' });
export type UsageEvent = z.infer<typeof UsageEvent>;

export const IngestUsageRequest = z
  .object({ events: z.array(UsageEvent).min(1).max(MAX_EVENTS_PER_CALL) })
  .strict()
  .meta({ id: 'IngestUsageRequest' });

export const IngestUsageResult = z
  .object({
    /** Records in the call, all accepted (a wrong one refuses the call). */
    accepted: z.number().int(),
    /**
     * Of those, counter records whose hour had already settled for billing (an hour after it
     * ended): stored and charted, not billed.
     */
    late: z.number().int(),
  })
  .meta({ id: 'IngestUsageResult' });
export type IngestUsageResult = z.infer<typeof IngestUsageResult>;

export const ingestUsage = defineOperation({
  operationId: 'ingestUsage',
  method: 'POST',
  path: '/api/v1/stores/{store}/usage',
  summary: 'Report usage of services: up to 500 CloudEvents-shaped records per call',
  description:
    'For provisioning platforms (merchant API key with the scope `usage:write`). The whole batch is ' +
    'checked first and nothing is recorded when a record is wrong: the 400 names each one ' +
    '(`body.events[3].data.metric`). A record must be about a service of this store, no more than ' +
    '5 minutes ahead of the store’s clock and not older than the 90-day retention. Idempotent per ' +
    '`id` + `source`: a retried call (or record) is counted once, provided it repeats the same ' +
    '`time`. Accepted batches are recorded a moment later (202): charts and capacity triggers see ' +
    'them within seconds; a 503 means nothing was accepted, send the batch again. Gauges: cpu_pct, memory_pct (%), storage_used_gb (GB); counters: egress_gb (GB since ' +
    'the previous record, ≥ 0). Counters a product prices are billed by the hour they were measured ' +
    'in, an hour after it ends; records arriving later are stored and charted but not billed ' +
    '(counted in `late`).',
  tags,
  access: [{ kind: 'apiKey', scope: 'usage:write' }],
  request: { params: storeParams, body: IngestUsageRequest },
  responses: { 202: IngestUsageResult },
});

/** Buyers with either permission see their own services' usage; staff every customer's. */
export const READ_USAGE: Grant[] = [
  { kind: 'buyer', permission: 'services:manage' },
  { kind: 'buyer', permission: 'finance:view' },
  { kind: 'apiKey', scope: 'services:manage' },
  { kind: 'staff', permission: 'customers:read' },
  { kind: 'staff', permission: 'orders:read' },
];

export const UsagePoint = z
  .object({
    /** Start of the step (UTC). */
    at: z.iso.datetime(),
    count: z.number().int(),
    min: z.number(),
    max: z.number(),
    avg: z.number(),
    sum: z.number(),
    /** The value measured latest in the step. */
    last: z.number(),
  })
  .meta({ id: 'UsagePoint' });

export const UsageStep = z.enum(Object.keys(STEPS) as ['5m', '1h']);

export const UsageSeries = z
  .object({
    subscriptionId: SubscriptionId,
    metric: MetricName,
    kind: z.enum(['gauge', 'counter']),
    unit: z.string(),
    step: UsageStep,
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    /** Oldest first; steps without records are left out. Values rounded to 6 decimals. */
    points: z.array(UsagePoint),
  })
  .meta({ id: 'UsageSeries' });
export type UsageSeries = z.infer<typeof UsageSeries>;

export const getUsageSeries = defineOperation({
  operationId: 'getUsageSeries',
  method: 'GET',
  path: '/api/v1/stores/{store}/subscriptions/{subscriptionId}/usage',
  summary: 'A service’s usage of one metric as a series of 5-minute or hourly points, for charts',
  description:
    'Default: the last 24 hours in 5-minute steps. `from` is rounded down to its step; `to` is ' +
    `exclusive. At most ${MAX_SERIES_POINTS} points and ${MAX_SERIES_DAYS} days per call (400 beyond). ` +
    'Buyers see their own services only (404 for others).',
  tags,
  access: READ_USAGE,
  request: {
    params: storeParams.extend({ subscriptionId: SubscriptionId }),
    query: z.object({
      metric: MetricName,
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      step: UsageStep.default('5m'),
    }),
  },
  responses: { 200: UsageSeries },
});
