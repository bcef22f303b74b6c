import { describe, expect, it } from 'vitest';
import {
  checkCurrentPassword,
  checkEmail,
  checkNewPassword,
  checkPasswordConfirmation,
  checkRequired,
  compactErrors,
} from './validation.ts';

describe('form checks', () => {
  it('checkEmail wants something@domain.tld', () => {
    expect(checkEmail('')).toBe('Enter your email address.');
    expect(checkEmail('  ')).toBe('Enter your email address.');
    expect(checkEmail('buyer')).toMatch(/like name@example.com/);
    expect(checkEmail('buyer@demo')).toMatch(/like name@example.com/);
    expect(checkEmail('a b@demo.test')).toMatch(/like name@example.com/);
    expect(checkEmail(' buyer@demo.test ')).toBeUndefined();
  });

  it('new passwords follow the API rule, current ones need only be there', () => {
    expect(checkNewPassword('')).toBe('Choose a password.');
    expect(checkNewPassword('short')).toBe('Use at least 12 characters.');
    expect(checkNewPassword('x'.repeat(12))).toBeUndefined();
    expect(checkNewPassword('x'.repeat(257))).toBe('Use at most 256 characters.');
    expect(checkCurrentPassword('')).toBe('Enter your password.');
    expect(checkCurrentPassword('old')).toBeUndefined();
  });

  it('the confirmation must repeat the password', () => {
    expect(checkPasswordConfirmation('correct horse', '')).toBe('Enter the password again.');
    expect(checkPasswordConfirmation('correct horse', 'correct hors')).toMatch(/not the same/);
    expect(checkPasswordConfirmation('correct horse', 'correct horse')).toBeUndefined();
  });

  it('checkRequired and compactErrors', () => {
    expect(checkRequired(' ', 'Enter your name.')).toBe('Enter your name.');
    expect(checkRequired('Ben', 'Enter your name.')).toBeUndefined();
    expect(compactErrors({ a: undefined, b: 'wrong' })).toEqual({ b: 'wrong' });
  });
});
