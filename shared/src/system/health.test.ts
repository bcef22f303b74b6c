import { describe, expect, it } from 'vitest';
import type { DependencyCheck } from './api.ts';
import {
  HEARTBEAT_STALE_AFTER_MS,
  healthHttpStatus,
  healthReport,
  overallStatus,
  pipelineStatus,
} from './health.ts';

const check = (name: string, status: DependencyCheck['status']): DependencyCheck => ({
  name,
  status,
  latencyMs: 1,
});

describe('overallStatus', () => {
  it('is the worst dependency status', () => {
    expect(overallStatus([check('a', 'ok'), check('b', 'degraded')])).toBe('degraded');
    expect(overallStatus([check('a', 'down'), check('b', 'degraded'), check('c', 'ok')])).toBe('down');
    expect(overallStatus([check('a', 'ok')])).toBe('ok');
    expect(overallStatus([])).toBe('ok');
  });

  it('answers 503 only when something is down', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(healthHttpStatus(healthReport([check('a', 'degraded')], now))).toBe(200);
    expect(healthHttpStatus(healthReport([check('a', 'down')], now))).toBe(503);
  });
});

describe('pipelineStatus', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  it('is ok with a recent heartbeat', () => {
    expect(pipelineStatus(new Date(now.getTime() - 30_000), now).status).toBe('ok');
  });

  it('is degraded without a heartbeat or with a stale one', () => {
    expect(pipelineStatus(undefined, now).status).toBe('degraded');
    const stale = pipelineStatus(new Date(now.getTime() - HEARTBEAT_STALE_AFTER_MS - 1), now);
    expect(stale).toMatchObject({ status: 'degraded' });
    expect(stale.detail).toMatch(/stuck/);
  });
});
