import { describe, expect, it } from 'vitest';
import { dependencyName, formatLatency, sortDependencies, statusLabel } from './status.ts';

describe('status presentation', () => {
  it('labels every status with a word and a symbol, not colour alone', () => {
    for (const status of ['ok', 'degraded', 'down'] as const) {
      const label = statusLabel(status);
      expect(label.word).not.toBe('');
      expect(label.symbol).not.toBe('');
    }
  });

  it('names known dependencies and leaves unknown ids as they are', () => {
    expect(dependencyName('dynamodb')).toBe('DynamoDB');
    expect(dependencyName('eventbus')).toBe('Event bus');
    expect(dependencyName('quantum-link')).toBe('quantum-link');
  });

  it('sorts the worst status first, then by name', () => {
    const sorted = sortDependencies([
      { name: 'sqs', status: 'ok', latencyMs: 1 },
      { name: 'eventbus', status: 'degraded', latencyMs: 1 },
      { name: 'dynamodb', status: 'ok', latencyMs: 1 },
      { name: 'pipeline', status: 'down', latencyMs: 1 },
    ]);
    expect(sorted.map((d) => d.name)).toEqual(['pipeline', 'eventbus', 'dynamodb', 'sqs']);
  });

  it('formats latencies in ms below a second and in s above', () => {
    expect(formatLatency(12)).toBe('12 ms');
    expect(formatLatency(1840)).toBe('1.84 s');
    expect(formatLatency(12_345)).toBe('12.3 s');
  });
});
