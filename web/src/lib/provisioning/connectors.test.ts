import { describe, expect, it } from 'vitest';
import type { ConnectorView } from '#lib/api/provisioning.ts';
import {
  checkConnector,
  checkKeepHours,
  connectorFormOf,
  emptyConnectorForm,
  eventsPhrase,
  formatTimeout,
  sortConnectors,
} from './connectors.ts';

const connector = (over: Partial<ConnectorView> = {}): ConnectorView => ({
  id: 'con_1',
  url: 'https://platform.example.com/hooks',
  events: ['stop', 'activate'],
  timeoutSeconds: 900,
  enabled: true,
  secretLast4: 'abcd',
  revision: 3,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('the connector form', () => {
  it('turns a filled form into the API body, minutes into seconds, steps in lifecycle order', () => {
    const form = {
      ...emptyConnectorForm('prd_1'),
      url: ' https://p.example/h ',
      events: ['stop' as const, 'activate' as const],
      timeoutMinutes: '15',
    };
    expect(checkConnector(form, 4).body).toEqual({
      productId: 'prd_1',
      url: 'https://p.example/h',
      events: ['activate', 'stop'],
      timeoutSeconds: 900,
      enabled: true,
      expectedRevision: 4,
    });
    // The store default: no productId at all.
    expect(checkConnector({ ...form, productId: '' }).body).not.toHaveProperty('productId');
  });

  it('says what is wrong before sending', () => {
    const errors = checkConnector({
      ...emptyConnectorForm(),
      url: 'http://platform.example.com',
      events: [],
      timeoutMinutes: '0.05',
    }).errors;
    expect(errors?.get('url')).toBe('Must use https (plain http only for localhost or 127.0.0.1).');
    expect(errors?.get('events')).toBe('Choose at least one lifecycle step.');
    expect(errors?.get('timeoutSeconds')).toMatch(/^Between/);
    expect(checkConnector({ ...emptyConnectorForm(), url: '' }).errors?.get('url')).toMatch(/^Enter the URL/);
    expect(
      checkConnector({ ...emptyConnectorForm(), url: 'http://localhost:3000/x' }).errors,
    ).toBeUndefined();
  });

  it('reads a saved connector back into the form', () => {
    expect(connectorFormOf(connector())).toEqual({
      productId: '',
      url: 'https://platform.example.com/hooks',
      events: ['activate', 'stop'],
      timeoutMinutes: '15',
      enabled: true,
    });
  });

  it('checks the rotation window', () => {
    expect(checkKeepHours('24')).toEqual({ hours: 24 });
    expect(checkKeepHours('0')).toEqual({ hours: 0 });
    expect(checkKeepHours('169').error).toMatch(/168/);
    expect(checkKeepHours('1.5').error).toBeDefined();
    expect(checkKeepHours('').error).toBeDefined();
  });
});

describe('connectors in words', () => {
  it('writes timeouts and steps for people', () => {
    expect(formatTimeout(60)).toBe('1 minute');
    expect(formatTimeout(900)).toBe('15 minutes');
    expect(formatTimeout(3_600)).toBe('1 hour');
    expect(formatTimeout(108_000)).toBe('1 day 6 hours');
    expect(eventsPhrase(['activate', 'start', 'stop', 'resize', 'suspend', 'resume', 'terminate'])).toBe(
      'All 7 steps',
    );
    expect(eventsPhrase(['terminate', 'activate'])).toBe('Activate, Terminate');
  });

  it('puts the store default first, then products by name', () => {
    const names: Record<string, string> = { prd_a: 'Zeta', prd_b: 'Alpha' };
    const sorted = sortConnectors(
      [
        connector({ id: 'con_a', productId: 'prd_a' }),
        connector({ id: 'con_b', productId: 'prd_b' }),
        connector({ id: 'con_d' }),
      ],
      (id) => names[id] ?? id,
    );
    expect(sorted.map((c) => c.id)).toEqual(['con_d', 'con_b', 'con_a']);
  });
});
