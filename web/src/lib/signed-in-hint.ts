/**
 * The session cookie is httpOnly: JavaScript cannot tell whether it is there. Asking the API on
 * every page would answer most visitors (nobody signed in) with a 401. So the app remembers, per
 * store, that it signed someone in; only then does the header ask `GET auth/session` who it is.
 * A stale hint costs one 401 and is cleared; a missing one (storage wiped) shows "Sign in" until
 * the account page, which always asks, is opened.
 */
const PREFIX = 'nimbus.signedIn.';

type HintStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): HintStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage blocked (privacy settings): behave as if no hint was kept
  }
}

export function hasSignedInHint(store: string, store_ = storage()): boolean {
  try {
    return store_?.getItem(PREFIX + store) === '1';
  } catch {
    return false;
  }
}

export function setSignedInHint(store: string, signedIn: boolean, store_ = storage()): void {
  try {
    if (signedIn) store_?.setItem(PREFIX + store, '1');
    else store_?.removeItem(PREFIX + store);
  } catch {
    // quota or privacy mode: the hint is an optimisation only
  }
}
