import { describe, expect, it } from 'vitest';
import { safeNext, withNext } from './navigation.ts';

const fallback = '/stores/demo/account';

describe('safeNext', () => {
  it('keeps paths on this site, with their query and hash', () => {
    expect(safeNext('/stores/demo/account', fallback)).toBe('/stores/demo/account');
    expect(safeNext('/stores/demo/orders?page=2#top', fallback)).toBe('/stores/demo/orders?page=2#top');
    expect(safeNext('/stores/demo/../demo/account', fallback)).toBe('/stores/demo/account');
  });

  it('refuses anything that could leave the site', () => {
    for (const next of [
      null,
      undefined,
      '',
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'stores/demo/account',
      '/\t/evil.example',
      ' /stores/demo',
      `/${'a'.repeat(2001)}`,
    ]) {
      expect(safeNext(next, fallback), String(next)).toBe(fallback);
    }
  });

  it('refuses API and internal paths', () => {
    expect(safeNext('/api/v1/stores/demo/auth/logout', fallback)).toBe(fallback);
    expect(safeNext('/api', fallback)).toBe(fallback);
    expect(safeNext('/_outbox', fallback)).toBe(fallback);
    expect(safeNext('/apiary', fallback)).toBe('/apiary');
  });

  it('withNext adds an encoded next parameter', () => {
    expect(withNext('/stores/demo/login', '/stores/demo/account?tab=keys')).toBe(
      '/stores/demo/login?next=%2Fstores%2Fdemo%2Faccount%3Ftab%3Dkeys',
    );
    expect(withNext('/stores/demo/login', undefined)).toBe('/stores/demo/login');
  });
});
