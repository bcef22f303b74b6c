/**
 * The test clock of a sandbox store (like Stripe's test clocks): staff move the store's time
 * forward, and every hourly sweep that would have run in between runs, in order, against the
 * store's data. The walk runs in a worker (a queue message per advance), hour after hour,
 * saving its position so that a stopped worker picks up where it was.
 */
import { HOURLY_SWEEP_EXPRESSION } from '#shared/billing/schedules.ts';
import type { AdvanceClockRequest, TestClockView } from '#shared/billing/settings.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { durationMs } from '#shared/time/duration.ts';
import { parseScheduleExpression, runsBetween } from '#shared/time/schedule-expression.ts';
import type { BillingStore, StoredTestClock } from './billing-store.ts';
import { type SweepDeps, sweepStore } from './sweep.ts';
import { isSandbox, timeOn } from './tenant-clock.ts';

export type TestClockDeps = {
  billing: Pick<BillingStore, 'clock' | 'saveClock'>;
  /** Real time. */
  system: Clock;
  /** Hands the walk to the worker. */
  startWalk(tenantId: string): Promise<void>;
};

const MAX_ADVANCE_MS = 400 * 86_400_000;
const hourlySweep = parseScheduleExpression(HOURLY_SWEEP_EXPRESSION);
const READY: StoredTestClock = { aheadMs: 0, status: 'ready', revision: 0 };

function view(tenant: Tenant, clock: StoredTestClock, realNow: Date): TestClockView {
  return {
    sandbox: isSandbox(tenant),
    now: timeOn(clock, realNow).toISOString(),
    aheadMs: clock.aheadMs,
    status: clock.status,
    ...(clock.advancingTo ? { advancingTo: clock.advancingTo } : {}),
  };
}

export async function getTestClock(deps: TestClockDeps, tenant: Tenant): Promise<TestClockView> {
  const clock = isSandbox(tenant) ? ((await deps.billing.clock(tenant.id)) ?? READY) : READY;
  return view(tenant, clock, deps.system.now());
}

export async function advanceTestClock(
  deps: TestClockDeps,
  tenant: Tenant,
  request: AdvanceClockRequest,
): Promise<TestClockView> {
  if (!isSandbox(tenant)) {
    throw new ConflictError(
      'not_sandbox',
      'Only sandbox stores have a test clock; this store runs on real time',
    );
  }
  const clock = (await deps.billing.clock(tenant.id)) ?? READY;
  if (clock.status === 'advancing') {
    throw new ConflictError(
      'clock_advancing',
      `The clock is already moving to ${clock.advancingTo}; wait until it is ready`,
    );
  }
  const realNow = deps.system.now();
  const now = timeOn(clock, realNow);
  const target =
    'to' in request ? Date.parse(request.to) : now.getTime() + (durationMs(request.by) ?? Number.NaN);
  const field = 'to' in request ? 'body.to' : 'body.by';
  if (Number.isNaN(target) || target <= now.getTime()) {
    throw new ValidationError(
      'clock_backwards',
      `The clock only moves forward: from ${now.toISOString()} on`,
      [{ path: field, message: `must be after ${now.toISOString()}`, code: 'clock_backwards' }],
    );
  }
  if (target - now.getTime() > MAX_ADVANCE_MS) {
    throw new ValidationError('advance_too_far', 'Advance at most 400 days at a time', [
      { path: field, message: 'at most 400 days ahead', code: 'advance_too_far' },
    ]);
  }
  const advancing: StoredTestClock = {
    aheadMs: clock.aheadMs,
    status: 'advancing',
    advancingTo: new Date(target).toISOString(),
    position: now.toISOString(),
    revision: clock.revision + 1,
  };
  if (!(await deps.billing.saveClock(tenant.id, advancing, clock.revision))) {
    throw new ConflictError('clock_advancing', 'Someone else moved the clock just now; look at it again');
  }
  await deps.startWalk(tenant.id);
  return view(tenant, advancing, realNow);
}

/**
 * Walks an advancing clock: for each hourly sweep between its position and its target, moves the
 * position there and runs the sweep; at the target, the clock is ready and stays that far ahead.
 * Stops early (returning false) when `timeLeftMs` runs low, for the worker to continue later.
 */
export async function walkTestClock(
  deps: TestClockDeps & { sweep: SweepDeps },
  tenant: Pick<Tenant, 'id'>,
  timeLeftMs: () => number,
): Promise<boolean> {
  let clock = await deps.billing.clock(tenant.id);
  if (clock?.status !== 'advancing' || !clock.advancingTo || !clock.position) return true;
  const target = new Date(clock.advancingTo);
  const ticks = runsBetween(hourlySweep, new Date(clock.position), target).map((at) => at.toISOString());
  if (ticks.at(-1) !== clock.advancingTo) ticks.push(clock.advancingTo);
  for (const tick of ticks) {
    if (timeLeftMs() < 15_000) return false;
    const moved: StoredTestClock = { ...clock, position: tick, revision: clock.revision + 1 };
    // Position first: the store's time is the tick while its sweep runs.
    if (!(await deps.billing.saveClock(tenant.id, moved, clock.revision))) return true; // another walker has it
    clock = moved;
    await sweepStore(deps.sweep, tenant, tick);
  }
  const ready: StoredTestClock = {
    aheadMs: target.getTime() - deps.system.now().getTime(),
    status: 'ready',
    revision: clock.revision + 1,
  };
  await deps.billing.saveClock(tenant.id, ready, clock.revision);
  return true;
}
