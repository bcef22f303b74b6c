import { describe, expect, it } from 'vitest';
import { hasSignedInHint, setSignedInHint } from './signed-in-hint.ts';
import { brokenStorage, memoryStorage } from './testing.ts';

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

  it('does without storage that throws', () => {
    expect(hasSignedInHint('demo', brokenStorage())).toBe(false);
    expect(() => setSignedInHint('demo', true, brokenStorage())).not.toThrow();
  });
});
