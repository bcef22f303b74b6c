import { describe, expect, it } from 'vitest';
import { readStored, writeStored } from './local-storage.ts';
import { brokenStorage, memoryStorage } from './testing.ts';

describe('local storage', () => {
  it('keeps a value under its key until it is removed', () => {
    const storage = memoryStorage();
    expect(readStored('a', storage)).toBeUndefined();
    writeStored('a', 'one', storage);
    expect(readStored('a', storage)).toBe('one');
    expect(readStored('b', storage)).toBeUndefined();
    writeStored('a', undefined, storage);
    expect(readStored('a', storage)).toBeUndefined();
  });

  it('does without storage that throws', () => {
    expect(readStored('a', brokenStorage())).toBeUndefined();
    expect(() => writeStored('a', 'one', brokenStorage())).not.toThrow();
    expect(() => writeStored('a', undefined, brokenStorage())).not.toThrow();
  });
});
