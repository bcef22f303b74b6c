import type { DependencyCheck, HealthReport } from './api.ts';

export type DependencyStatus = DependencyCheck['status'];

const severity: Record<DependencyStatus, number> = { ok: 0, degraded: 1, down: 2 };

/** The overall status is the worst of the dependencies' (no dependencies: ok). */
export function overallStatus(checks: DependencyCheck[]): DependencyStatus {
  return checks.reduce<DependencyStatus>(
    (worst, check) => (severity[check.status] > severity[worst] ? check.status : worst),
    'ok',
  );
}

export function healthReport(checks: DependencyCheck[], checkedAt: Date): HealthReport {
  return { status: overallStatus(checks), checkedAt: checkedAt.toISOString(), dependencies: checks };
}

/** 503 only when something is down: a degraded pipeline still serves requests. */
export function healthHttpStatus(report: HealthReport): 200 | 503 {
  return report.status === 'down' ? 503 : 200;
}

/** Heartbeats are published every minute; three missed ones mean the async pipeline is stuck. */
export const HEARTBEAT_STALE_AFTER_MS = 3 * 60_000;

/**
 * How the schedule → bus → queue → consumer pipeline is doing, judged by the last heartbeat the
 * consumer recorded. A platform that just started has none yet: degraded, not down.
 */
export function pipelineStatus(
  lastHeartbeatAt: Date | undefined,
  now: Date,
): { status: DependencyStatus; detail: string } {
  if (!lastHeartbeatAt) {
    return { status: 'degraded', detail: 'no heartbeat recorded yet' };
  }
  const ageMs = now.getTime() - lastHeartbeatAt.getTime();
  const ageText = `last heartbeat ${Math.round(ageMs / 1000)} s ago`;
  if (ageMs <= HEARTBEAT_STALE_AFTER_MS) return { status: 'ok', detail: ageText };
  return { status: 'degraded', detail: `${ageText}: the schedule → bus → queue pipeline looks stuck` };
}
