/// <reference types="vite/client" />
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Operation } from '#shared/http/operation.ts';
import { parseScheduleExpression } from '#shared/time/schedule-expression.ts';
import { nimbus } from './nimbus.ts';
import { deadLetterQueueName } from './types.ts';

/** Every operation the shared API modules define, found by their exports (so none can be forgotten). */
const apiModules = import.meta.glob<Record<string, unknown>>('../../shared/src/**/*api.ts', { eager: true });
const operations = Object.values(apiModules)
  .flatMap((module) => Object.values(module))
  .filter(
    (value): value is Operation => typeof value === 'object' && value !== null && 'operationId' in value,
  );

const functionNames = new Set(nimbus.functions.map((fn) => fn.name));
// Each queue and its dead-letter queue (a worker that gives up on a message parks it there).
const queueNames = new Set(nimbus.queues.flatMap((queue) => [queue.name, deadLetterQueueName(queue.name)]));

describe('the Nimbus topology', () => {
  it('has a handler file for every function', () => {
    for (const fn of nimbus.functions) expect(existsSync(resolve(fn.entry)), fn.entry).toBe(true);
  });

  it('names unique functions, routes and operationIds', () => {
    expect(functionNames.size).toBe(nimbus.functions.length);
    const routeKeys = nimbus.routes.map(({ operation }) => `${operation.method} ${operation.path}`);
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
    const operationIds = operations.map((operation) => operation.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('routes every operation of the API, and nothing else', () => {
    expect(nimbus.routes.map((route) => route.operation.operationId).sort()).toEqual(
      operations.map((operation) => operation.operationId).sort(),
    );
  });

  it('lets every function that signs callers in write the table (sessions and API keys record their use)', () => {
    for (const route of nimbus.routes) {
      const signsIn = route.operation.access.some((grant) => grant.kind !== 'anonymous');
      const fn = nimbus.functions.find((candidate) => candidate.name === route.function);
      if (signsIn)
        expect(fn?.access.table, `${route.function} (${route.operation.operationId})`).toBe('readWrite');
    }
  });

  it('points routes, consumers, rule targets and schedules at functions and queues that exist', () => {
    for (const route of nimbus.routes)
      expect(functionNames, route.operation.operationId).toContain(route.function);
    for (const queue of nimbus.queues) expect(functionNames, queue.name).toContain(queue.consumer.function);
    for (const rule of nimbus.rules) {
      for (const target of rule.targets) {
        if (target.kind === 'queue') expect(queueNames, rule.name).toContain(target.queue);
        else expect(functionNames, rule.name).toContain(target.function);
      }
    }
    for (const schedule of nimbus.schedules) {
      expect(functionNames, schedule.name).toContain(schedule.function);
      expect(() => parseScheduleExpression(schedule.expression)).not.toThrow();
    }
    for (const fn of nimbus.functions) {
      for (const queue of [...(fn.access.sendTo ?? []), ...(fn.access.inspect ?? [])]) {
        expect(queueNames, fn.name).toContain(queue);
      }
    }
  });

  it('names each index uniquely and keys it on attributes of its own, not the table keys', () => {
    const { indexes } = nimbus.table;
    expect(new Set(indexes.map((index) => index.name)).size).toBe(indexes.length);
    for (const index of indexes) {
      expect(index.name, index.name).toMatch(/^[a-z][A-Za-z0-9]{2,}$/);
      // An index partitioned on pk would only repeat the table; the sort key may be shared (sk).
      expect([nimbus.table.partitionKey, nimbus.table.sortKey], index.name).not.toContain(index.partitionKey);
      expect(index.sortKey, index.name).not.toBe(index.partitionKey);
      expect(index.sortKey, index.name).not.toBe(nimbus.table.partitionKey);
    }
  });

  it('gives every queue a consumer that can finish before the message becomes visible again', () => {
    for (const queue of nimbus.queues) {
      const consumer = nimbus.functions.find((fn) => fn.name === queue.consumer.function);
      expect(queue.visibilityTimeoutSeconds, queue.name).toBeGreaterThanOrEqual(
        consumer?.timeoutSeconds ?? 10,
      );
      expect(queue.maxReceiveCount, queue.name).toBeGreaterThan(0);
      expect(queue.consumer.batchSize, queue.name).toBeGreaterThan(0);
    }
  });
});
