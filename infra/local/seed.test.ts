import { describe, expect, it } from 'vitest';
import { requireLocalEndpoint } from './seed.ts';

describe('the demo seed', () => {
  it('runs against emulators on this machine only', () => {
    expect(() => requireLocalEndpoint('http://127.0.0.1:8000')).not.toThrow();
    expect(() => requireLocalEndpoint('http://localhost:8000')).not.toThrow();
    expect(() => requireLocalEndpoint(undefined)).toThrow(/only against local emulators/);
    expect(() => requireLocalEndpoint('https://dynamodb.eu-west-1.amazonaws.com')).toThrow(
      /only against local/,
    );
  });
});
