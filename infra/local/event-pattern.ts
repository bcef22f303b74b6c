/**
 * EventBridge event-pattern matching for the local bus, following AWS's documented semantics:
 * every field of the pattern must match; an array lists alternatives; objects nest; `$or` takes
 * alternatives of whole sub-patterns; content filters: prefix, suffix, equals-ignore-case,
 * wildcard, anything-but, numeric, exists. An event field that is an array matches when any of its
 * elements matches.
 */
import type { EventPattern } from '../topology/types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (
        Array.isArray(expected) &&
        expected.some((alternative) => matchesPattern(alternative as EventPattern, event))
      );
    }
    const present = Object.hasOwn(event, key);
    const actual = event[key];
    if (Array.isArray(expected)) return matchesAlternatives(expected as Json[], present, actual);
    if (isObject(expected)) return present && isObject(actual) && matchesPattern(expected, actual);
    throw new Error(`Invalid event pattern at '${key}': use an array of values or a nested object`);
  });
}

function matchesAlternatives(alternatives: Json[], present: boolean, actual: unknown): boolean {
  const values: unknown[] = Array.isArray(actual) ? actual : [actual];
  return alternatives.some((alternative) => {
    if (isObject(alternative) && 'exists' in alternative) {
      return alternative.exists === (present && actual !== undefined);
    }
    if (!present) return false;
    return values.some((value) => matchesValue(alternative, value));
  });
}

function matchesValue(filter: Json, value: unknown): boolean {
  if (!isObject(filter)) return filter === value;
  const [operator, operand] = Object.entries(filter)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && matchesAffix(operand, value, (v, s) => v.startsWith(s));
    case 'suffix':
      return typeof value === 'string' && matchesAffix(operand, value, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' &&
        typeof operand === 'string' &&
        value.toLowerCase() === operand.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcardRegex(operand).test(value);
    case 'anything-but':
      return !matchesAnythingButOperand(operand ?? null, value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && matchesNumeric(operand, value);
    default:
      throw new Error(`Unsupported event pattern filter '${operator}'`);
  }
}

function matchesAffix(
  operand: Json | undefined,
  value: string,
  test: (value: string, affix: string) => boolean,
) {
  if (typeof operand === 'string') return test(value, operand);
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), operand['equals-ignore-case'].toLowerCase());
  }
  throw new Error('prefix/suffix takes a string or { "equals-ignore-case": string }');
}

function matchesAnythingButOperand(operand: Json, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((excluded) => excluded === value);
  if (isObject(operand)) return matchesValue(operand, value);
  return operand === value;
}

function wildcardRegex(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

const numericComparisons: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function matchesNumeric(conditions: Json[], value: number): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const operator = String(conditions[index]);
    const bound = conditions[index + 1];
    const compare = numericComparisons[operator];
    if (!compare || typeof bound !== 'number')
      throw new Error(`Invalid numeric filter ${JSON.stringify(conditions)}`);
    if (!compare(value, bound)) return false;
  }
  return true;
}
