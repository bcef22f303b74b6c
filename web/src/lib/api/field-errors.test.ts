import { describe, expect, it } from 'vitest';
import {
  describeIssue,
  fieldIssues,
  fieldOfPath,
  fieldsWithErrors,
  formProblem,
  sentence,
} from './field-errors.ts';
import type { ApiProblem } from './http.ts';

const validation = (details: unknown): ApiProblem => ({
  kind: 'http',
  status: 400,
  code: 'validation_failed',
  message: 'Invalid request: body.email: must be an email address',
  details,
});

describe('fieldIssues', () => {
  it('reads the details of a validation error and skips what is not an issue', () => {
    const problem = validation([
      { path: 'body.email', message: 'must be an email address', code: 'invalid_format' },
      { path: 'body.password' }, // no message
      'nonsense',
      { path: 'body.name', message: 'is required' }, // no code: still an issue
    ]);
    expect(fieldIssues(problem)).toEqual([
      { path: 'body.email', message: 'must be an email address', code: 'invalid_format' },
      { path: 'body.name', message: 'is required', code: 'invalid' },
    ]);
  });

  it('finds none in other problems', () => {
    expect(fieldIssues({ kind: 'unreachable', message: 'offline' })).toEqual([]);
    expect(
      fieldIssues({ kind: 'http', status: 404, code: 'x', message: 'm', details: { slug: 'x' } }),
    ).toEqual([]);
  });
});

describe('fieldOfPath', () => {
  it('takes the first property of the body', () => {
    expect(fieldOfPath('body.email')).toBe('email');
    expect(fieldOfPath('body.scopes[0]')).toBe('scopes');
    expect(fieldOfPath('body.owner.email')).toBe('owner');
    expect(fieldOfPath('query.limit')).toBeUndefined();
    expect(fieldOfPath('path.store')).toBeUndefined();
    expect(fieldOfPath('body')).toBeUndefined();
  });
});

describe('describeIssue', () => {
  it('turns zod wording into sentences for people', () => {
    const small = (message: string) => describeIssue({ code: 'too_small', message });
    expect(small('Too small: expected string to have >=1 characters')).toBe('This field is required.');
    expect(small('Too small: expected string to have >=2 characters')).toBe('Must be at least 2 characters.');
    expect(small('Too small: expected array to have >=1 items')).toBe('Choose at least one.');
    expect(
      describeIssue({ code: 'too_big', message: 'Too big: expected string to have <=120 characters' }),
    ).toBe('Must be at most 120 characters.');
    expect(
      describeIssue({ code: 'invalid_type', message: 'Invalid input: expected string, received undefined' }),
    ).toBe('This field is required.');
  });

  it('keeps our own messages, as sentences', () => {
    expect(describeIssue({ code: 'invalid_format', message: 'must be an email address' })).toBe(
      'Must be an email address.',
    );
    expect(describeIssue({ code: 'too_small', message: 'must be at least 12 characters' })).toBe(
      'Must be at least 12 characters.',
    );
    expect(sentence('Done!')).toBe('Done!');
    expect(sentence('  ')).toBe('');
  });
});

describe('formProblem', () => {
  const fields = ['email', 'password', 'name'] as const;

  it('puts each validation issue beside its field, the first message of a field winning', () => {
    const problem = validation([
      { path: 'body.email', message: 'must be an email address', code: 'invalid_format' },
      { path: 'body.password', message: 'must be at least 12 characters', code: 'too_small' },
      { path: 'body.password', message: 'something else', code: 'custom' },
    ]);
    expect(formProblem(problem, fields)).toEqual({
      fields: { email: 'Must be an email address.', password: 'Must be at least 12 characters.' },
      general: [],
    });
  });

  it('sends issues of fields the form does not have to the general list', () => {
    const problem = validation([
      { path: 'body.country', message: 'ISO 3166 alpha-2, e.g. DE', code: 'invalid_format' },
      { path: 'query.limit', message: 'too big', code: 'too_big' },
    ]);
    expect(formProblem(problem, fields).general).toEqual(['country: ISO 3166 alpha-2, e.g. DE.', 'Too big.']);
  });

  it('follows aliases from API names to form fields', () => {
    const problem = validation([{ path: 'body.ownerEmail', message: 'must be an email address', code: 'x' }]);
    expect(formProblem(problem, fields, { aliases: { ownerEmail: 'email' } }).fields).toEqual({
      email: 'Must be an email address.',
    });
  });

  it('puts known error codes beside their field', () => {
    const problem: ApiProblem = {
      kind: 'http',
      status: 409,
      code: 'email_taken',
      message: 'An account with this email already exists in this store',
    };
    expect(formProblem(problem, fields, { codes: { email_taken: 'email' } })).toEqual({
      fields: { email: 'An account with this email already exists in this store.' },
      general: [],
    });
  });

  it('shows any other problem as one general message', () => {
    const wrong: ApiProblem = {
      kind: 'http',
      status: 401,
      code: 'invalid_login',
      message: 'The email or the password is wrong',
    };
    expect(formProblem(wrong, fields)).toEqual({
      fields: {},
      general: ['The email or the password is wrong.'],
    });
    const throttled: ApiProblem = {
      kind: 'http',
      status: 429,
      code: 'too_many_attempts',
      message: 'Too many failed sign-ins for this account; try again in 15 minute(s)',
      details: { retryAfterSeconds: 900 },
    };
    expect(formProblem(throttled, fields).general).toEqual([
      'Too many failed sign-ins for this account; try again in 15 minute(s).',
    ]);
    expect(formProblem({ kind: 'unreachable', message: 'Offline.' }, fields).general).toEqual(['Offline.']);
  });

  it('lists the fields with errors in form order', () => {
    expect(fieldsWithErrors({ name: 'x', email: 'y' }, fields)).toEqual(['email', 'name']);
  });
});
