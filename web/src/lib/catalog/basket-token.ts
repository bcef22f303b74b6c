/**
 * A visitor's basket is found by a secret token (`Basket-Token`), kept in localStorage per store.
 * The first write without one returns it; once a buyer is signed in and an answer comes back
 * without a token, the server has merged the visitor basket into theirs and the token is dropped.
 */
const PREFIX = 'nimbus.basketToken.';
const TOKEN = /^bt_[A-Za-z0-9_-]{20,100}$/;

export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): TokenStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage blocked: the basket lives as long as the page
  }
}

export function readBasketToken(store: string, storage_ = storage()): string | undefined {
  try {
    const token = storage_?.getItem(PREFIX + store) ?? undefined;
    return token && TOKEN.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

export function writeBasketToken(store: string, token: string | undefined, storage_ = storage()): void {
  try {
    if (token) storage_?.setItem(PREFIX + store, token);
    else storage_?.removeItem(PREFIX + store);
  } catch {
    // quota or privacy mode: the token then lasts as long as the page
  }
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
