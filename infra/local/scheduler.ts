/**
 * The EventBridge Scheduler stand-in: fires each topology schedule at the times its AWS
 * expression names, invoking the target function with the same input the CDK app configures:
 * `{ "schedule": name, "scheduledTime": ISO time it was due }`.
 */
import { nextRun, type ParsedSchedule, parseScheduleExpression } from '#shared/time/schedule-expression.ts';
import type { ScheduleDef, Topology } from '../topology/types.ts';
import type { LocalFunctions } from './functions.ts';
import { consoleRuntimeLog, type RuntimeLog } from './runtime-log.ts';

export type ScheduledInput = { schedule: string; scheduledTime: string };

export class LocalScheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #parsed: Map<string, { definition: ScheduleDef; parsed: ParsedSchedule }>;
  #startedAt = new Date();
  readonly #running = new Set<Promise<void>>();

  constructor(
    topology: Topology,
    private readonly functions: LocalFunctions,
    private readonly log: RuntimeLog = consoleRuntimeLog,
  ) {
    // Parse all up front: a bad expression fails the start, as it would fail the deploy.
    this.#parsed = new Map(
      topology.schedules.map((definition) => [
        definition.name,
        { definition, parsed: parseScheduleExpression(definition.expression) },
      ]),
    );
  }

  start(now = new Date()): void {
    this.#startedAt = now;
    for (const name of this.#parsed.keys()) this.#arm(name, now);
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Invokes a schedule's target now, as if it were due at `scheduledTime`. */
  async fire(name: string, scheduledTime = new Date()): Promise<void> {
    const entry = this.#parsed.get(name);
    if (!entry) throw new Error(`The topology has no schedule '${name}'`);
    const input: ScheduledInput = { schedule: name, scheduledTime: scheduledTime.toISOString() };
    await this.functions.invoke(entry.definition.function, input);
  }

  #arm(name: string, after: Date): void {
    const entry = this.#parsed.get(name);
    if (!entry) return;
    const due = nextRun(entry.parsed, after, this.#startedAt);
    if (!due) return;
    // setTimeout tops out at ~24.8 days; re-arm in steps for schedules further away.
    const delay = Math.min(due.getTime() - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(
      () => {
        if (Date.now() < due.getTime()) {
          this.#arm(name, after);
          return;
        }
        const run = this.fire(name, due).catch((error: unknown) => {
          this.log(`[scheduler] ${name} → ${entry.definition.function} failed:`, error);
        });
        this.#running.add(run);
        void run.finally(() => this.#running.delete(run));
        this.#arm(name, due);
      },
      Math.max(0, delay),
    );
    timer.unref();
    this.#timers.set(name, timer);
  }
}
