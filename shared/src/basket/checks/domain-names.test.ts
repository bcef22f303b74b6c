import { describe, expect, it } from 'vitest';
import {
  decodePunycode,
  matchSoldTld,
  normaliseDomain,
  normaliseHostname,
  soldTldsOf,
  validDomain,
} from './domain-names.ts';

describe('normaliseDomain', () => {
  it.each([
    ['example.com', 'example.com', 'example.com'],
    ['  Example.COM.  ', 'example.com', 'example.com'],
    ['bücher.de', 'xn--bcher-kva.de', 'bücher.de'],
    ['BÜCHER.de', 'xn--bcher-kva.de', 'bücher.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de', 'bücher.de'],
    ['例え.jp', 'xn--r8jz45g.jp', '例え.jp'],
    ['faß.de', 'xn--fa-hia.de', 'faß.de'],
    ['shop.example.co.uk', 'shop.example.co.uk', 'shop.example.co.uk'],
    ['a-b.io', 'a-b.io', 'a-b.io'],
    ['1and1.com', '1and1.com', '1and1.com'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('%s → %s', (typed, ascii, unicode) => {
    expect(normaliseDomain(typed)).toEqual({ ascii, unicode });
  });

  it.each([
    ['', 'the domain name is empty'],
    ['   ', 'the domain name is empty'],
    ['com', '"com" needs a name and a top-level domain, like example.com'],
    ['-a.com', 'label "-a" must not start or end with a hyphen'],
    ['a-.com', 'label "a-" must not start or end with a hyphen'],
    ['a..com', '"a..com" has an empty label (two dots in a row, or a leading dot)'],
    ['.a.com', '".a.com" has an empty label (two dots in a row, or a leading dot)'],
    [`${'a'.repeat(64)}.com`, 'label "aaaaaaaaaaaaaaaaaaaa…" is 64 characters long; at most 63 are allowed'],
    ['a_b.com', '"a_b.com" may only contain letters, digits, hyphens and dots'],
    ['a b.com', '"a b.com" may only contain letters, digits, hyphens and dots'],
    ['a/b.com', '"a/b.com" may only contain letters, digits, hyphens and dots'],
    ['user@example.com', '"user@example.com" may only contain letters, digits, hyphens and dots'],
    ['example.123', 'the top-level domain of "example.123" must not be a number'],
    ['1.2.3.4', 'the top-level domain of "1.2.3.4" must not be a number'],
    ['ab--c.com', 'label "ab--c" must not have hyphens in 3rd and 4th position'],
    ['xn--.com', 'label "xn--" must not start or end with a hyphen'],
    ['xn--ab.com', 'label "xn--ab" is not a valid internationalised label'],
    ['xn--abc-.com', 'label "xn--abc-" must not start or end with a hyphen'],
    ['xn--example.com', 'label "xn--example" is not a valid internationalised label'],
  ])('rejects %j', (typed, error) => {
    expect(normaliseDomain(typed)).toEqual({ error });
  });

  it('limits the whole name to 253 characters', () => {
    const longest = `${`${'a'.repeat(62)}.`.repeat(4)}com`; // 4 × 63 + 3 = 255
    expect(normaliseDomain(longest)).toEqual({
      error: `"${longest.slice(0, 40)}…" is 255 characters long; at most 253 are allowed`,
    });
    expect(normaliseDomain(longest.slice(2))).toHaveProperty('ascii');
  });
});

describe('validDomain', () => {
  it('gives the domain in both forms, or undefined for a blank or invalid name', () => {
    expect(validDomain(' Bücher.DE. ')).toEqual({ ascii: 'xn--bcher-kva.de', unicode: 'bücher.de' });
    expect(validDomain('-a.com')).toBeUndefined();
    expect(validDomain('')).toBeUndefined();
    expect(validDomain(undefined)).toBeUndefined();
  });
});

describe('decodePunycode', () => {
  it.each([
    ['bcher-kva', 'bücher'],
    ['r8jz45g', '例え'],
    ['fa-hia', 'faß'],
    ['ls8h', '💩'],
  ])('%s → %s', (encoded, decoded) => {
    expect(decodePunycode(encoded)).toBe(decoded);
  });

  it('rejects what is not Punycode', () => {
    expect(decodePunycode('99999999999')).toBeUndefined();
    expect(decodePunycode('abc-!!')).toBeUndefined();
    expect(decodePunycode('ab-c')).toBeUndefined(); // the digits end in the middle of a number
  });

  it('agrees with the URL parser for every label it encodes', () => {
    for (const name of ['bücher', 'mañana', 'παράδειγμα', 'пример', '例え', 'ドメイン名例', 'faß']) {
      const ascii = new URL(`http://${name}.de`).hostname.split('.')[0] as string;
      expect(ascii).toMatch(/^xn--/);
      expect(decodePunycode(ascii.slice(4))).toBe(name);
    }
  });
});

describe('normaliseHostname', () => {
  it('accepts one label or more, in lower case', () => {
    expect(normaliseHostname('Web1')).toEqual({ ascii: 'web1' });
    expect(normaliseHostname('web-1.example.com.')).toEqual({ ascii: 'web-1.example.com' });
  });

  it.each([
    ['', 'the host name is empty'],
    ['web_1', '"web_1" may only contain letters a–z, digits, hyphens and dots'],
    ['bücher', '"bücher" may only contain letters a–z, digits, hyphens and dots'],
    ['-web', 'label "-web" must not start or end with a hyphen'],
    ['web..example.com', '"web..example.com" has an empty label (two dots in a row, or a leading dot)'],
    ['web.123', 'the top-level domain of "web.123" must not be a number'],
  ])('rejects %j', (typed, error) => {
    expect(normaliseHostname(typed)).toEqual({ error });
  });
});

describe('sold TLDs', () => {
  const sold = soldTldsOf(['com', 'de', 'uk', 'co_uk']);

  it('reads choice keys as TLDs with _ for dots', () => {
    expect(sold).toContainEqual({ tld: 'co.uk', choice: 'co_uk' });
  });

  it('matches the longest sold TLD that leaves a name', () => {
    expect(matchSoldTld('shop.co.uk', sold)?.choice).toBe('co_uk');
    expect(matchSoldTld('shop.uk', sold)?.choice).toBe('uk');
    expect(matchSoldTld('co.uk', sold)?.choice).toBe('uk');
    expect(matchSoldTld('example.org', sold)).toBeUndefined();
    expect(matchSoldTld('examplecom.net', sold)).toBeUndefined();
  });
});
