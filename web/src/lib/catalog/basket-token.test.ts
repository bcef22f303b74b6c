import { describe, expect, it } from 'vitest';
import { brokenStorage, memoryStorage } from '#lib/testing.ts';
import { readBasketToken, tokenAfter, writeBasketToken } from './basket-token.ts';

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
    const broken = brokenStorage();
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
