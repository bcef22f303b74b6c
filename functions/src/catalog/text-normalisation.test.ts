import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedTypos,
  deletions,
  editDistanceWithin,
  normaliseText,
  tokenize,
} from './text-normalisation.ts';

/** Textbook optimal-string-alignment distance, unbounded, to check the fast one against. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}

describe('normaliseText and tokenize', () => {
  it('lower-cases and drops accents, so buyers need not type them', () => {
    expect(normaliseText('Größe Café ÆØ')).toBe('grosse cafe aeo');
    expect(tokenize('Virtueller KVM-Server, 4 vCPU')).toEqual(['virtueller', 'kvm', 'server', '4', 'vcpu']);
    expect(tokenize('Datenbanken für Ärzte')).toEqual(['datenbanken', 'fur', 'arzte']);
  });

  it('cuts at anything that is not a letter or digit', () => {
    expect(tokenize('e-mail & office/eu-central  ')).toEqual(['e', 'mail', 'office', 'eu', 'central']);
    expect(tokenize('  --  ')).toEqual([]);
  });
});

describe('allowedTypos', () => {
  it('allows none below 4 letters, 1 from 4, 2 from 8', () => {
    expect(['vps', 'servr', 'virtual', 'postgres'].map(allowedTypos)).toEqual([0, 1, 1, 2]);
  });
});

describe('editDistanceWithin', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one each', () => {
    expect(editDistanceWithin('servr', 'server', 2)).toBe(1);
    expect(editDistanceWithin('virtaul', 'virtual', 2)).toBe(1);
    expect(editDistanceWithin('postgre', 'postgres', 2)).toBe(1);
    expect(editDistanceWithin('kitten', 'sitting', 3)).toBe(3);
  });

  it('answers max + 1 as soon as the distance must exceed max', () => {
    expect(editDistanceWithin('server', 'service', 1)).toBe(2);
    expect(editDistanceWithin('a', 'abcdef', 2)).toBe(3);
  });

  it('agrees with the textbook algorithm up to its bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        expect(editDistanceWithin(a, b, max)).toBe(Math.min(referenceDistance(a, b), max + 1));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('deletions', () => {
  it('holds the word and every word made by deleting up to n letters', () => {
    expect([...deletions('vps', 1)].sort()).toEqual(['ps', 'vp', 'vps', 'vs']);
    expect(deletions('abcd', 2).size).toBe(1 + 4 + 6);
  });

  it('finds a shared variant for words within the distance (what the typo lookup relies on)', () => {
    // the index looks up words of 3+ letters only, so no variant needs to be empty
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 3, maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const distance = referenceDistance(a, b);
        if (distance > 2) return;
        const left = deletions(a, distance);
        expect([...deletions(b, distance)].some((variant) => left.has(variant))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
