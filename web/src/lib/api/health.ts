import type { DependencyCheck, HealthReport } from '#shared/system/api.ts';
import { type ApiResult, type GetJsonOptions, getJson, isRecord } from './http.ts';

export type { DependencyCheck, HealthReport };
export type HealthStatus = HealthReport['status'];

const STATUSES: readonly string[] = ['ok', 'degraded', 'down'] satisfies HealthStatus[];

function isStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && STATUSES.includes(value);
}

function parseDependency(value: unknown): DependencyCheck | undefined {
  if (!isRecord(value)) return undefined;
  const { name, status, latencyMs, detail } = value;
  if (typeof name !== 'string' || !isStatus(status)) return undefined;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) return undefined;
  if (detail !== undefined && typeof detail !== 'string') return undefined;
  return detail === undefined ? { name, status, latencyMs } : { name, status, latencyMs, detail };
}

export function parseHealthReport(body: unknown): HealthReport | undefined {
  if (!isRecord(body)) return undefined;
  const { status, checkedAt, dependencies } = body;
  if (!isStatus(status) || typeof checkedAt !== 'string' || Number.isNaN(Date.parse(checkedAt))) {
    return undefined;
  }
  if (!Array.isArray(dependencies)) return undefined;
  const parsed: DependencyCheck[] = [];
  for (const item of dependencies) {
    const dependency = parseDependency(item);
    if (!dependency) return undefined;
    parsed.push(dependency);
  }
  return { status, checkedAt, dependencies: parsed };
}

/** `GET /api/health`: 200 while every dependency is ok or degraded, 503 (same body) when one is down. */
export function fetchHealth(options?: GetJsonOptions): Promise<ApiResult<HealthReport>> {
  return getJson('/api/health', parseHealthReport, { okStatuses: [200, 503], ...options });
}
