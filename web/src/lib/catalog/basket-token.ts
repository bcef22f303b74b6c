/**
 * A visitor's basket is found by a secret token (`Basket-Token`), kept in localStorage per store.
 * The first write without one returns it; once a buyer is signed in and an answer comes back
 * without a token, the server has merged the visitor basket into theirs and the token is dropped.
 */
import { type KeyValueStorage, readStored, writeStored } from '#lib/local-storage.ts';

const PREFIX = 'nimbus.basketToken.';
const TOKEN = /^bt_[A-Za-z0-9_-]{20,100}$/;

/**
 * The store's token, if one is kept and looks like one. Where storage is blocked there is none: the
 * basket then lives as long as the page.
 */
export function readBasketToken(store: string, storage?: KeyValueStorage): string | undefined {
  const token = readStored(PREFIX + store, storage);
  return token && TOKEN.test(token) ? token : undefined;
}

/** Keeps the store's token, or drops it (none). */
export function writeBasketToken(store: string, token: string | undefined, storage?: KeyValueStorage): void {
  writeStored(PREFIX + store, token || undefined, storage);
}

/**
 * The token to keep after an answer: a new one the server gave; none once a signed-in buyer's
 * answer has none (the visitor basket is merged); otherwise the one kept.
 *
 * @example tokenAfter('bt_old…', { token: undefined }, true) // undefined
 */
export function tokenAfter(
  kept: string | undefined,
  answer: { token?: string | undefined },
  signedIn: boolean,
): string | undefined {
  if (answer.token) return answer.token;
  return signedIn ? undefined : kept;
}
