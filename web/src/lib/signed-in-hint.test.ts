import { describe, expect, it } from 'vitest';
import { hasSignedInHint, setSignedInHint } from './signed-in-hint.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('signed-in hint', () => {
  it('is kept per store', () => {
    const storage = memoryStorage();
    expect(hasSignedInHint('demo', storage)).toBe(false);
    setSignedInHint('demo', true, storage);
    expect(hasSignedInHint('demo', storage)).toBe(true);
    expect(hasSignedInHint('other', storage)).toBe(false);
    setSignedInHint('demo', false, storage);
    expect(hasSignedInHint('demo', storage)).toBe(false);
  });

  it('does without storage that throws or is missing', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(hasSignedInHint('demo', broken)).toBe(false);
    expect(() => setSignedInHint('demo', true, broken)).not.toThrow();
  });
});
