/**
 * Domain names and hostnames as buyers type them: normalised to the ASCII form registries and DNS
 * use (IDN → punycode through the WHATWG URL parser, which Node and browsers both have) and checked
 * against RFC 1035 / 1123. Pure code: the basket checks, the rule language and the basket service
 * share it.
 */

/** A valid domain in both forms: `{ ascii: 'xn--bcher-kva.de', unicode: 'bücher.de' }`. */
export type NormalisedDomain = { ascii: string; unicode: string };

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/** Letters of any script, marks, digits, hyphens and the dots IDNA maps to `.` (。．｡). */
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.\u3002\uFF0E\uFF61-]+$/u;
const LDH_LABEL = /^[a-z0-9-]+$/;
const NUMERIC = /^[0-9]+$/;

/**
 * Normalises what a buyer typed (trim, lower case, one trailing dot dropped, IDN to punycode) and
 * checks it is a domain with at least a name and a top-level domain.
 *
 * @example normaliseDomain(' Bücher.DE. ') // { ascii: 'xn--bcher-kva.de', unicode: 'bücher.de' }
 * @example normaliseDomain('-a.com') // { error: 'label "-a" must not start or end with a hyphen' }
 */
export function normaliseDomain(name: string): NormalisedDomain | { error: string } {
  const ascii = toAscii(name);
  if (typeof ascii !== 'string') return ascii;
  const labels = ascii.split('.');
  if (labels.length < 2) return { error: `"${ascii}" needs a name and a top-level domain, like example.com` };
  const problem = nameProblem(ascii, labels);
  if (problem) return { error: problem };
  return { ascii, unicode: labels.map(unicodeLabel).join('.') };
}

/**
 * {@link normaliseDomain} for code that only needs the valid ones: undefined for a blank or
 * invalid name.
 *
 * @example validDomain(' Bücher.DE. ')?.ascii // 'xn--bcher-kva.de'; validDomain('-a.com') // undefined
 */
export function validDomain(name: string | undefined): NormalisedDomain | undefined {
  if (!name) return undefined;
  const domain = normaliseDomain(name);
  return 'error' in domain ? undefined : domain;
}

/**
 * Checks a host name (a server's `web1` or `web1.example.com`): ASCII letters, digits and hyphens
 * only, one label or more. Returns the lower-cased name or what is wrong.
 *
 * @example normaliseHostname('Web1.example.com') // { ascii: 'web1.example.com' }
 */
export function normaliseHostname(name: string): { ascii: string } | { error: string } {
  const host = tidied(name);
  if (host === '') return { error: 'the host name is empty' };
  if (!/^[a-z0-9.-]+$/.test(host)) {
    return { error: `"${host}" may only contain letters a–z, digits, hyphens and dots` };
  }
  const problem = nameProblem(host, host.split('.'));
  return problem ? { error: problem } : { ascii: host };
}

/** Trimmed, lower case, one trailing dot (the DNS root) dropped. */
function tidied(name: string): string {
  const cleaned = name.trim().toLowerCase();
  return cleaned.endsWith('.') ? cleaned.slice(0, -1) : cleaned;
}

/** The buyer's text in ASCII, before the label rules are checked. */
function toAscii(name: string): string | { error: string } {
  const cleaned = tidied(name);
  if (cleaned === '') return { error: 'the domain name is empty' };
  if (!DOMAIN_CHARACTERS.test(cleaned)) {
    return { error: `"${cleaned}" may only contain letters, digits, hyphens and dots` };
  }
  // the URL parser takes a numeric last label for an IPv4 address and fails without saying why
  const last = cleaned.split(/[.\u3002\uFF0E\uFF61]/).at(-1) ?? '';
  if (NUMERIC.test(last)) return { error: `the top-level domain of "${cleaned}" must not be a number` };
  try {
    return new URL(`http://${cleaned}`).hostname;
  } catch {
    return { error: `"${cleaned}" is not a valid domain name` };
  }
}

/** What breaks RFC 1035 / 1123 (and IDNA's rules for `xn--` labels) in an ASCII name, if anything. */
function nameProblem(ascii: string, labels: readonly string[]): string | undefined {
  if (ascii.length > MAX_NAME_LENGTH) {
    return `"${ascii.slice(0, 40)}…" is ${ascii.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
  }
  for (const label of labels) {
    if (label === '') return `"${ascii}" has an empty label (two dots in a row, or a leading dot)`;
    if (label.length > MAX_LABEL_LENGTH) {
      return `label "${label.slice(0, 20)}…" is ${label.length} characters long; at most ${MAX_LABEL_LENGTH} are allowed`;
    }
    if (!LDH_LABEL.test(label)) return `label "${label}" may only contain letters, digits and hyphens`;
    if (label.startsWith('-') || label.endsWith('-')) {
      return `label "${label}" must not start or end with a hyphen`;
    }
    if (label.slice(2, 4) === '--') {
      if (!label.startsWith('xn--')) return `label "${label}" must not have hyphens in 3rd and 4th position`;
      if (!isValidPunycodeLabel(label)) return `label "${label}" is not a valid internationalised label`;
    }
  }
  if (labels.length > 1 && NUMERIC.test(labels.at(-1) ?? '')) {
    return `the top-level domain of "${ascii}" must not be a number`;
  }
  return undefined;
}

function unicodeLabel(label: string): string {
  return label.startsWith('xn--') ? (decodePunycode(label.slice(4)) ?? label) : label;
}

/**
 * An `xn--` label is valid when it decodes, is not plain ASCII, and encodes back to itself (the URL
 * parser's IDNA encoding); Node 24's parser passes any `xn--` label through unchecked.
 */
function isValidPunycodeLabel(label: string): boolean {
  const decoded = decodePunycode(label.slice(4));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range test
  if (decoded === undefined || decoded === '' || /^[\u0000-\u007f]*$/.test(decoded)) return false;
  try {
    return new URL(`http://${decoded}`).hostname === label;
  } catch {
    return false;
  }
}

// RFC 3492 Bootstring parameters for Punycode
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_INT = 0x7fffffff;

function digitOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 22; // 0–9 → 26–35
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97;
  return BASE;
}

function adapt(delta: number, points: number, first: boolean): number {
  let scaled = first ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / points);
  let k = 0;
  while (scaled > ((BASE - T_MIN) * T_MAX) >> 1) {
    scaled = Math.floor(scaled / (BASE - T_MIN));
    k += BASE;
  }
  return Math.floor(k + ((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

/**
 * Decodes the part of a label after `xn--` (RFC 3492, section 6.2); `undefined` if it is not valid
 * Punycode.
 *
 * @example decodePunycode('bcher-kva') // 'bücher'
 */
export function decodePunycode(input: string): string | undefined {
  const output: number[] = [];
  const delimiter = input.lastIndexOf('-');
  for (let index = 0; index < Math.max(delimiter, 0); index++) {
    const code = input.charCodeAt(index);
    if (code >= 0x80) return undefined;
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = delimiter > 0 ? delimiter + 1 : 0; index < input.length; ) {
    const previous = i;
    let weight = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= input.length) return undefined;
      const digit = digitOf(input.charCodeAt(index++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / weight)) return undefined;
      i += digit * weight;
      const threshold = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < threshold) break;
      if (weight > Math.floor(MAX_INT / (BASE - threshold))) return undefined;
      weight *= BASE - threshold;
    }
    const length = output.length + 1;
    bias = adapt(i - previous, length, previous === 0);
    if (Math.floor(i / length) > MAX_INT - n) return undefined;
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** A TLD a domain product sells, and the choice of its TLD option that stands for it. */
export type SoldTld = { tld: string; choice: string };

/**
 * The TLDs of a domain product's TLD option: a choice key is the TLD with dots written as `_`.
 *
 * @example soldTldsOf(['com', 'co_uk']) // [{ tld: 'com', choice: 'com' }, { tld: 'co.uk', choice: 'co_uk' }]
 */
export function soldTldsOf(choiceKeys: readonly string[]): SoldTld[] {
  return choiceKeys.map((choice) => ({ tld: choice.replaceAll('_', '.'), choice }));
}

/**
 * The sold TLD an ASCII domain ends in, the longest if several do (`co.uk` before `uk`), leaving at
 * least one label in front.
 *
 * @example matchSoldTld('shop.co.uk', soldTldsOf(['uk', 'co_uk']))?.choice // 'co_uk'
 */
export function matchSoldTld(ascii: string, sold: readonly SoldTld[]): SoldTld | undefined {
  let best: SoldTld | undefined;
  for (const candidate of sold) {
    if (ascii.endsWith(`.${candidate.tld}`) && (!best || candidate.tld.length > best.tld.length)) {
      best = candidate;
    }
  }
  return best;
}
