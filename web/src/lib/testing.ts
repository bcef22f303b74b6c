/** Fakes the unit tests of `lib/` share (the API's are in `api/testing.ts`). */
import type { KeyValueStorage } from './local-storage.ts';

/** localStorage in a Map. */
export function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** localStorage the browser refuses (privacy mode, a full quota): every call throws. */
export function brokenStorage(): KeyValueStorage {
  const refuse = (): never => {
    throw new Error('denied');
  };
  return { getItem: refuse, setItem: refuse, removeItem: refuse };
}
