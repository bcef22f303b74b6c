import * as z from 'zod';
import { defineOperation, PUBLIC } from '../http/operation.ts';

export const DependencyStatus = z.enum(['ok', 'degraded', 'down']).meta({ id: 'DependencyStatus' });

export const DependencyCheck = z
  .object({
    name: z.string().meta({ example: 'dynamodb' }),
    status: DependencyStatus,
    latencyMs: z.number().int().nonnegative(),
    detail: z.string().optional(),
  })
  .meta({ id: 'DependencyCheck' });

export const HealthReport = z
  .object({
    status: DependencyStatus,
    checkedAt: z.iso.datetime(),
    dependencies: z.array(DependencyCheck),
  })
  .meta({ id: 'HealthReport' });
export type HealthReport = z.infer<typeof HealthReport>;
export type DependencyCheck = z.infer<typeof DependencyCheck>;

export const getHealth = defineOperation({
  operationId: 'getHealth',
  method: 'GET',
  path: '/api/health',
  summary: 'Health of the API and each dependency',
  description:
    'Checks DynamoDB, SQS, the event bus and the schedule → bus → queue pipeline. 200 while every ' +
    'dependency is ok or degraded, 503 when one is down. Results are cached for a few seconds per instance.',
  tags: ['system'],
  access: PUBLIC,
  responses: { 200: HealthReport },
});

export const getOpenApiDocument = defineOperation({
  operationId: 'getOpenApiDocument',
  method: 'GET',
  path: '/api/openapi.json',
  summary: 'This OpenAPI 3.1 document',
  tags: ['system'],
  access: PUBLIC,
  responses: { 200: z.record(z.string(), z.unknown()) },
});
