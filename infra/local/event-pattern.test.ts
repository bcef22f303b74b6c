import { describe, expect, it } from 'vitest';
import { matchesPattern } from './event-pattern.ts';

const event = {
  source: 'nimbus.subscriptions',
  'detail-type': 'subscription.activated',
  detail: {
    tenant: 'ten_1',
    data: { plan: 'Large', vcpu: 8, region: 'eu-central-1', tags: ['gpu', 'ssd'] },
  },
};

describe('matchesPattern', () => {
  it('matches exact values, alternatives and nested objects', () => {
    expect(matchesPattern({ source: ['nimbus.subscriptions'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['nimbus.orders', 'nimbus.subscriptions'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['nimbus.orders'] }, event)).toBe(false);
    expect(matchesPattern({ detail: { tenant: ['ten_1'], data: { plan: ['Large'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { tenant: ['ten_2'] } }, event)).toBe(false);
  });

  it('requires every field of the pattern', () => {
    expect(
      matchesPattern({ source: ['nimbus.subscriptions'], 'detail-type': ['subscription.stopped'] }, event),
    ).toBe(false);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
  });

  it('matches array fields by any element', () => {
    expect(matchesPattern({ detail: { data: { tags: ['ssd'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { tags: ['hdd'] } } }, event)).toBe(false);
  });

  it('supports prefix, suffix, wildcard and equals-ignore-case', () => {
    expect(matchesPattern({ 'detail-type': [{ prefix: 'subscription.' }] }, event)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ prefix: 'order.' }] }, event)).toBe(false);
    expect(matchesPattern({ detail: { data: { region: [{ suffix: '-1' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { region: [{ wildcard: 'eu-*-1' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { region: [{ wildcard: 'us-*' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { data: { plan: [{ 'equals-ignore-case': 'large' }] } } }, event)).toBe(
      true,
    );
  });

  it('supports anything-but, numeric and exists', () => {
    expect(
      matchesPattern({ detail: { data: { plan: [{ 'anything-but': ['Small', 'Medium'] }] } } }, event),
    ).toBe(true);
    expect(matchesPattern({ detail: { data: { plan: [{ 'anything-but': 'Large' }] } } }, event)).toBe(false);
    expect(matchesPattern({ 'detail-type': [{ 'anything-but': { prefix: 'order.' } }] }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { vcpu: [{ numeric: ['>=', 4, '<', 16] }] } } }, event)).toBe(
      true,
    );
    expect(matchesPattern({ detail: { data: { vcpu: [{ numeric: ['>', 8] }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { data: { vcpu: [{ exists: true }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { gpu: [{ exists: false }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: { gpu: [{ exists: true }] } } }, event)).toBe(false);
  });

  it('supports $or', () => {
    const pattern = {
      $or: [{ source: ['nimbus.orders'] }, { detail: { data: { vcpu: [{ numeric: ['>', 4] }] } } }],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern({ $or: [{ source: ['a'] }, { source: ['b'] }] }, event)).toBe(false);
  });

  it('rejects patterns it does not understand instead of silently matching', () => {
    expect(() => matchesPattern({ source: 'nimbus.orders' }, event)).toThrow(/array/);
    expect(() => matchesPattern({ source: [{ cidr: '10.0.0.0/8' }] }, event)).toThrow(/Unsupported/);
  });
});
