/** Small shape checks the hand-written parsers share. */

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

/** An ISO 8601 date-time the browser can read (the API sends UTC, `…Z`). */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** `undefined` stays allowed; anything else must pass `check`. */
export function isOptional<T>(value: unknown, check: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || check(value);
}

/** Parses every item of an `{ items: [...] }` list; one bad item makes the whole answer invalid. */
export function parseItems<T>(body: unknown, parseItem: (item: unknown) => T | undefined): T[] | undefined {
  if (typeof body !== 'object' || body === null || !('items' in body) || !Array.isArray(body.items)) {
    return undefined;
  }
  const items: T[] = [];
  for (const item of body.items) {
    const parsed = parseItem(item);
    if (parsed === undefined) return undefined;
    items.push(parsed);
  }
  return items;
}
