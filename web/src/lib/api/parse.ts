/** Small shape checks the hand-written parsers share. */
import { isRecord } from './http.ts';

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

/** A finite number (JSON has no NaN or Infinity, but a parser should not pass one on). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** One of the `allowed` strings (an enum of a shared schema). */
export function oneOf<T extends string>(value: unknown, allowed: readonly string[]): value is T {
  return isString(value) && allowed.includes(value);
}

/** An ISO 8601 date-time the browser can read (the API sends UTC, `…Z`). */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** `undefined` stays allowed; anything else must pass `check`. */
export function isOptional<T>(value: unknown, check: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || check(value);
}

/** Spreads `{ [key]: value }` only when the value is there: optional fields stay absent. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every item of an array through `parse`; one bad item makes the whole list invalid. */
export function parseList<T>(value: unknown, parse: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const parsed = parse(item);
    if (parsed === undefined) return undefined;
    items.push(parsed);
  }
  return items;
}

/** Every value of an object through `parse`; one bad value makes the whole record invalid. */
export function parseRecord<T>(
  value: unknown,
  parse: (item: unknown) => T | undefined,
): Record<string, T> | undefined {
  if (!isRecord(value)) return undefined;
  const result: Record<string, T> = {};
  for (const [key, item] of Object.entries(value)) {
    const parsed = parse(item);
    if (parsed === undefined) return undefined;
    result[key] = parsed;
  }
  return result;
}

/** Parses every item of an `{ items: [...] }` list; one bad item makes the whole answer invalid. */
export function parseItems<T>(body: unknown, parseItem: (item: unknown) => T | undefined): T[] | undefined {
  return isRecord(body) ? parseList(body.items, parseItem) : undefined;
}

/** A page of a list read with a cursor: `{ items, nextCursor? }`, the cursor there while there is more. */
export type CursorPage<T> = { items: T[]; nextCursor?: string };

export function parseCursorPage<T>(
  body: unknown,
  parseItem: (item: unknown) => T | undefined,
): CursorPage<T> | undefined {
  const items = parseItems(body, parseItem);
  if (!items || !isRecord(body) || !isOptional(body.nextCursor, isString)) return undefined;
  return { items, ...(body.nextCursor ? { nextCursor: body.nextCursor } : {}) };
}

/**
 * A parser from a shared zod schema: the API's own contract checks the answer, so the page and the
 * server cannot drift apart. Used by the money pages (orders, services, wallets, billing), whose
 * schemas are large and change with the backend; only the type of zod is imported here.
 */
export function schemaParser<T>(schema: {
  safeParse(body: unknown): { success: true; data: T } | { success: false };
}): (body: unknown) => T | undefined {
  return (body) => {
    const result = schema.safeParse(body);
    return result.success ? result.data : undefined;
  };
}
