import { describe, expect, it } from 'vitest';
import { formatJson, lineOfPath, parseJsonText } from './json-text.ts';

describe('parseJsonText', () => {
  it('parses what JSON.parse parses, with the line of every value', () => {
    const value = {
      EUR: {
        baseRate: '0.005',
        dimensions: { vcpu: { model: 'graduated', tiers: [{ upTo: 8 }, { upTo: null }] } },
      },
    };
    const text = formatJson(value);
    const parsed = parseJsonText(text);
    expect(parsed.ok && parsed.value).toEqual(value);
    expect(parsed.ok && lineOfPath(parsed.lines, ['EUR', 'dimensions', 'vcpu', 'tiers', 1, 'upTo'])).toBe(
      text.split('\n').findIndex((line) => line.includes('"upTo": null')) + 1,
    );
  });

  it('finds the nearest line for a path the text does not have', () => {
    const parsed = parseJsonText('{\n  "EUR": {\n    "dimensions": {}\n  }\n}');
    expect(parsed.ok && lineOfPath(parsed.lines, ['EUR', 'dimensions', 'vcpu'])).toBe(3);
    expect(parsed.ok && lineOfPath(parsed.lines, ['USD'])).toBe(1);
  });

  it('reads escapes, numbers and literals', () => {
    const text = '[1, -2.5, 3e2, true, false, null, "a\\"b\\u00e9\\n"]';
    const parsed = parseJsonText(text);
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(text));
  });

  it('says where and what is wrong, in words', () => {
    expect(parseJsonText('{ "a": 1, }')).toEqual({
      ok: false,
      message: 'Remove the comma before }: JSON allows no comma after the last entry',
      line: 1,
      column: 11,
    });
    expect(parseJsonText('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ ok: false, line: 3, column: 3 });
    expect(parseJsonText("{ 'a': 1 }")).toMatchObject({
      ok: false,
      message: expect.stringContaining('double quotes'),
    });
    expect(parseJsonText('{ "a": "open }')).toMatchObject({ ok: false, line: 1, column: 8 });
    expect(parseJsonText('')).toMatchObject({ ok: false, message: 'Empty: write {} for none' });
    expect(parseJsonText('{} x')).toMatchObject({
      ok: false,
      message: 'Unexpected “x” after the end of the value',
    });
    expect(parseJsonText('[1, 2')).toMatchObject({
      ok: false,
      message: expect.stringContaining('the end of the text'),
    });
  });
});

describe('names without quotes', () => {
  it('says to quote them', () => {
    expect(parseJsonText('{ vcpu: 1 }')).toMatchObject({
      ok: false,
      message: 'Write the name in double quotes: "vcpu"',
    });
  });
});
