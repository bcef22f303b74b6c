/**
 * Text as the catalog search sees it: one normal form for what the merchant writes and what the
 * buyer types, the words it is cut into, and the typo rules (docs/search.md).
 *
 * Normal form: lower case, accents dropped (`Größe` → `grosse`, `café` → `cafe`), words are runs of
 * letters and digits (`e-mail` → `e`, `mail`; `eu-central` → `eu`, `central`).
 */

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_A_WORD = /[^\p{L}\p{N}]+/u;
const NOT_AN_ASCII_WORD = /[^a-z0-9]+/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, to take the fast path
const ASCII = /^[\u0000-\u007f]*$/;
/** Letters NFKD does not decompose but a buyer types without their accent. */
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th' };
const FOLDABLE = /[ßæœøłđþ]/g;

/** @example normaliseText('Größe & Café') // 'grosse & cafe' */
export function normaliseText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(FOLDABLE, (letter) => FOLDED[letter] ?? letter);
}

/** @example tokenize('Virtueller KVM-Server, 4 vCPU') // ['virtueller', 'kvm', 'server', '4', 'vcpu'] */
export function tokenize(text: string): string[] {
  // most catalog text is ASCII, where a simpler split does (a third of the time)
  const ascii = ASCII.test(text);
  return (ascii ? text.toLowerCase() : normaliseText(text))
    .split(ascii ? NOT_AN_ASCII_WORD : NOT_A_WORD)
    .filter((token) => token !== '');
}

/**
 * Words a query may leave out (English and German): dropped from a query that has other words
 * (never its last word, which the buyer may still be typing), because a product need not contain
 * them. Short on purpose: `de` or `it` may be what the buyer looks for (a TLD).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // en
  'a',
  'an',
  'and',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  // de
  'der',
  'die',
  'das',
  'ein',
  'eine',
  'fur',
  'mit',
  'und',
  'oder',
]);

/**
 * Typos a query word may contain and still match a word of the catalog: none below 4 characters,
 * 1 from 4, 2 from 8.
 *
 * @example allowedTypos('servr') // 1
 */
export function allowedTypos(word: string): 0 | 1 | 2 {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}

/** The widest word {@link editDistanceWithin} compares; longer words compare by their start. */
const MAX_WORD = 64;
const rows = [new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1)];

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbouring letters each count 1) if it is at most `max`; otherwise `max + 1`. Stops as soon as
 * the distance must exceed `max`.
 *
 * @example editDistanceWithin('virtual', 'virtaul', 2) // 1 (one swap)
 * @example editDistanceWithin('server', 'service', 1) // 2 (more than 1)
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const m = Math.min(a.length, MAX_WORD);
  const n = Math.min(b.length, MAX_WORD);
  if (Math.abs(m - n) > max) return max + 1;
  let beforePrevious = rows[0] as Int32Array;
  let previous = rows[1] as Int32Array;
  let current = rows[2] as Int32Array;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    let rowMinimum = i;
    const letter = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = letter === b.charCodeAt(j - 1) ? 0 : 1;
      let distance = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && letter === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        distance = Math.min(distance, (beforePrevious[j - 2] as number) + 1);
      }
      current[j] = distance;
      if (distance < rowMinimum) rowMinimum = distance;
    }
    if (rowMinimum > max) return max + 1;
    const recycled = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = recycled;
  }
  const distance = previous[n] as number;
  return distance > max ? max + 1 : distance;
}

/**
 * The word and every string made of it by deleting up to `count` letters (the "symmetric delete"
 * trick: two words within distance d share a string made by at most d deletions from each).
 *
 * @example [...deletions('vps', 1)] // ['vps', 'ps', 'vs', 'vp']
 */
export function deletions(word: string, count: number): Set<string> {
  const found = new Set<string>([word]);
  let frontier = [word];
  for (let round = 0; round < count; round++) {
    const next: string[] = [];
    for (const text of frontier) {
      if (text.length <= 1) continue;
      for (let index = 0; index < text.length; index++) {
        const shorter = text.slice(0, index) + text.slice(index + 1);
        if (!found.has(shorter)) {
          found.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return found;
}
