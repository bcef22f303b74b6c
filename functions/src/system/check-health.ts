import type { DependencyCheck, HealthReport } from '#shared/system/api.ts';
import { healthReport } from '#shared/system/health.ts';
import type { Clock } from '#shared/time/clock.ts';
import { logger } from '../observability/logger.ts';

/** One dependency to check: resolves with its status, or throws when it is unreachable (down). */
export type DependencyProbe = {
  name: string;
  probe: () => Promise<Pick<DependencyCheck, 'status' | 'detail'>>;
};

const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe in parallel, timing each; an unreachable dependency is `down`, never an exception. */
export async function checkHealth(probes: DependencyProbe[], clock: Clock): Promise<HealthReport> {
  const checks = await Promise.all(
    probes.map(async ({ name, probe }): Promise<DependencyCheck> => {
      const started = performance.now();
      try {
        const result = await withTimeout(probe(), PROBE_TIMEOUT_MS);
        return { name, ...result, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        logger.warn('dependency check failed', { dependency: name, error: error as Error });
        const reason =
          error instanceof Error && error.message.startsWith('no answer') ? error.message : 'unreachable';
        return { name, status: 'down', detail: reason, latencyMs: Math.round(performance.now() - started) };
      }
    }),
  );
  return healthReport(checks, clock.now());
}

/**
 * Health results reused for a short while per instance, so a burst of health checks (load
 * balancers, status pages) does not become a burst of calls to every dependency.
 */
export function cachedHealth(check: () => Promise<HealthReport>, ttlMs: number, clock: Clock) {
  let cached: { report: HealthReport; at: number } | undefined;
  let inFlight: Promise<HealthReport> | undefined;
  return async (): Promise<HealthReport> => {
    const now = clock.now().getTime();
    if (cached && now - cached.at < ttlMs) return cached.report;
    inFlight ??= check()
      .then((report) => {
        cached = { report, at: clock.now().getTime() };
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
