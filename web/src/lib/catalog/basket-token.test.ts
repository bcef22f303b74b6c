import { describe, expect, it } from 'vitest';
import { readBasketToken, tokenAfter, writeBasketToken } from './basket-token.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const TOKEN = `bt_${'a'.repeat(43)}`;

describe('basket token', () => {
  it('is kept per store and only when it looks like one', () => {
    const storage = memoryStorage();
    writeBasketToken('demo', TOKEN, storage);
    expect(readBasketToken('demo', storage)).toBe(TOKEN);
    expect(readBasketToken('other', storage)).toBeUndefined();
    storage.setItem('nimbus.basketToken.bad', 'not a token');
    expect(readBasketToken('bad', storage)).toBeUndefined();
    writeBasketToken('demo', undefined, storage);
    expect(readBasketToken('demo', storage)).toBeUndefined();
  });

  it('does without storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readBasketToken('demo', broken)).toBeUndefined();
    expect(() => writeBasketToken('demo', TOKEN, broken)).not.toThrow();
  });

  it('follows the answers: a new token is kept; a signed-in buyer’s answer without one drops it', () => {
    expect(tokenAfter(undefined, { token: TOKEN }, false)).toBe(TOKEN);
    expect(tokenAfter(TOKEN, {}, false)).toBe(TOKEN);
    expect(tokenAfter(TOKEN, {}, true)).toBeUndefined();
    expect(tokenAfter(undefined, {}, true)).toBeUndefined();
  });
});
