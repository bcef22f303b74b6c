/**
 * The session cookie is httpOnly: JavaScript cannot tell whether it is there. Asking the API on
 * every page would answer most visitors (nobody signed in) with a 401. So the app remembers, per
 * store, that it signed someone in; only then does the header ask `GET auth/session` who it is.
 * A stale hint costs one 401 and is cleared; a missing one (storage wiped or blocked) shows
 * "Sign in" until the account page, which always asks, is opened.
 */
import { type KeyValueStorage, readStored, writeStored } from './local-storage.ts';

const PREFIX = 'nimbus.signedIn.';

export function hasSignedInHint(store: string, storage?: KeyValueStorage): boolean {
  return readStored(PREFIX + store, storage) === '1';
}

export function setSignedInHint(store: string, signedIn: boolean, storage?: KeyValueStorage): void {
  writeStored(PREFIX + store, signedIn ? '1' : undefined, storage);
}
