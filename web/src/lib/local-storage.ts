/**
 * localStorage that never throws. Blocked storage (privacy settings), a full quota or a browser
 * without it read as nothing kept, and writes there do nothing: what the app keeps here (a basket
 * token, a signed-in hint) only saves work, so the page goes on without it.
 */

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStorage(): KeyValueStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // reading `localStorage` itself throws where storage is blocked
  }
}

/** The value kept under `key`; undefined when there is none or storage is out of reach. */
export function readStored(key: string, storage = browserStorage()): string | undefined {
  try {
    return storage?.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `value` under `key`; undefined removes it. Nothing happens where storage is out of reach. */
export function writeStored(key: string, value: string | undefined, storage = browserStorage()): void {
  try {
    if (value === undefined) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // quota or privacy mode: the value lasts as long as the page
  }
}
