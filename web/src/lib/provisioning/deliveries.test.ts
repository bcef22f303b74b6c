import { describe, expect, it } from 'vitest';
import {
  attemptOutcome,
  attemptSucceeded,
  attemptsPhrase,
  checkSubscriptionFilter,
  formatLatency,
} from './deliveries.ts';

const attempt = (statusCode?: number) => ({
  at: '2026-12-04T10:00:00.000Z',
  latencyMs: 12,
  response: '',
  url: 'https://p.example/h',
  ...(statusCode === undefined ? {} : { statusCode }),
});

describe('deliveries in words', () => {
  it('says how each attempt went', () => {
    expect(attemptOutcome(attempt(503))).toBe('HTTP 503');
    expect(attemptOutcome(attempt())).toBe('No answer');
    expect(attemptSucceeded(attempt(202))).toBe(true);
    expect(attemptSucceeded(attempt(301))).toBe(false);
    expect(attemptSucceeded(attempt())).toBe(false);
    expect(formatLatency(85)).toBe('85 ms');
    expect(formatLatency(1_240)).toBe('1.2 s');
    expect(attemptsPhrase({ attemptCount: 1, attempts: [attempt()] })).toBe('1 attempt');
    expect(attemptsPhrase({ attemptCount: 25, attempts: [attempt(), attempt()] })).toBe(
      '25 attempts (latest 2 shown)',
    );
  });

  it('checks the service filter before asking', () => {
    expect(checkSubscriptionFilter('  ')).toEqual({});
    expect(checkSubscriptionFilter(' sub_01abc ')).toEqual({ value: 'sub_01abc' });
    expect(checkSubscriptionFilter('ord_1').error).toMatch(/sub_/);
  });
});
