/**
 * JSON typed by a person in a textarea (a product's prices and presets): parse errors with a line
 * and column in words, and the line where each value starts, so an issue the API reports at
 * `prices.EUR.dimensions.vcpu.tiers[1].upTo` can say "line 12". `JSON.parse` gives neither (its
 * messages differ between browsers), hence this small parser; it accepts exactly JSON.
 */

export type JsonPath = readonly (string | number)[];

export type JsonText =
  | {
      ok: true;
      value: unknown /** `pathKey(path)` → line (from 1) where the value starts */;
      lines: Map<string, number>;
    }
  | { ok: false; message: string; line: number; column: number };

/** `['prices', 'EUR', 'tiers', 1]` → `prices.EUR.tiers.1` (the key of the line map). */
function pathKey(path: JsonPath): string {
  return path.join('.');
}

class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Parses `text` as JSON.
 *
 * @example parseJsonText('{\n  "a": [1, 2]\n}') // { ok: true, value: { a: [1, 2] }, lines: Map { '' => 1, 'a' => 2, 'a.0' => 2, 'a.1' => 2 } }
 * @example parseJsonText('{ "a": 1, }') // { ok: false, message: 'Expected a "name" in quotes after the comma', line: 1, column: 11 }
 */
export function parseJsonText(text: string): JsonText {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === '\n') lineStarts.push(index + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= offset) line++;
    return line;
  };
  const lines = new Map<string, number>();
  let at = 0;

  const fail = (message: string, offset = at): never => {
    throw new JsonSyntaxError(message, offset);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  };
  const describeHere = () => (at >= text.length ? 'the end of the text' : `“${text[at]}”`);

  const parseString = (): string => {
    const start = at;
    at++; // opening quote
    let result = '';
    while (at < text.length) {
      const char = text[at] as string;
      if (char === '"') {
        at++;
        return result;
      }
      if (char === '\n') fail('A text in quotes must end on the same line: a closing " is missing', start);
      if (char === '\\') {
        const next = text[at + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (next !== undefined && next in simple) {
          result += simple[next];
          at += 2;
          continue;
        }
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
          result += String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16));
          at += 6;
          continue;
        }
        fail('Unknown escape after \\ (write \\\\ for a backslash)');
      }
      result += char;
      at++;
    }
    return fail('A text in quotes is not closed: a " is missing', start);
  };

  const parseNumber = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) return fail(`Expected a value, found ${describeHere()}`);
    at += match[0].length;
    return Number(match[0]);
  };

  const parseValue = (path: (string | number)[]): unknown => {
    skipSpace();
    lines.set(pathKey(path), lineOf(at) + 1);
    const char = text[at];
    if (char === '{') return parseObject(path);
    if (char === '[') return parseArray(path);
    if (char === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    if (char === "'") fail('Texts and names are written in double quotes ("), not single ones');
    if (char === undefined) fail('The text ends where a value is expected');
    return parseNumber();
  };

  const parseObject = (path: (string | number)[]): Record<string, unknown> => {
    at++;
    const result: Record<string, unknown> = {};
    skipSpace();
    if (text[at] === '}') {
      at++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[at] === '}') fail('Remove the comma before }: JSON allows no comma after the last entry');
      if (text[at] === "'") fail('Texts and names are written in double quotes ("), not single ones');
      const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at))?.[0];
      if (bare) fail(`Write the name in double quotes: "${bare}"`);
      if (text[at] !== '"') fail(`Expected a "name" in quotes, found ${describeHere()}`);
      const key = parseString();
      skipSpace();
      if (text[at] !== ':') fail(`Expected : after "${key}", found ${describeHere()}`);
      at++;
      result[key] = parseValue([...path, key]);
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === '}') {
        at++;
        return result;
      }
      fail(`Expected , or } after the value of "${key}", found ${describeHere()}`);
    }
  };

  const parseArray = (path: (string | number)[]): unknown[] => {
    at++;
    const result: unknown[] = [];
    skipSpace();
    if (text[at] === ']') {
      at++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[at] === ']') fail('Remove the comma before ]: JSON allows no comma after the last entry');
      result.push(parseValue([...path, result.length]));
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') {
        at++;
        return result;
      }
      fail(`Expected , or ] after an entry of the list, found ${describeHere()}`);
    }
  };

  try {
    skipSpace();
    if (at >= text.length) fail('Empty: write {} for none');
    const value = parseValue([]);
    skipSpace();
    if (at < text.length) fail(`Unexpected ${describeHere()} after the end of the value`);
    return { ok: true, value, lines };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const line = lineOf(error.offset);
    return {
      ok: false,
      message: error.message,
      line: line + 1,
      column: error.offset - (lineStarts[line] ?? 0) + 1,
    };
  }
}

/** The line of the deepest value along `path` that the text has (the whole text: line 1). */
export function lineOfPath(lines: ReadonlyMap<string, number>, path: JsonPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const line = lines.get(pathKey(path.slice(0, length)));
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Two-space JSON, the way the editor shows values. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
