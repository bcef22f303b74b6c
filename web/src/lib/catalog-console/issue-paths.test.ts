import { describe, expect, it } from 'vitest';
import {
  characterPosition,
  fieldKey,
  issueLine,
  keySegments,
  matchField,
  pathInWords,
  pathSegments,
  placeIssues,
} from './issue-paths.ts';

describe('paths', () => {
  it('splits an API path and drops body', () => {
    expect(pathSegments('body.prices.EUR.dimensions.vcpu.tiers[1].upTo')).toEqual([
      'prices',
      'EUR',
      'dimensions',
      'vcpu',
      'tiers',
      1,
      'upTo',
    ]);
    expect(pathSegments('body.synonyms[3][0]')).toEqual(['synonyms', 3, 0]);
    expect(pathSegments('query.limit')).toEqual(['query', 'limit']);
    expect(fieldKey(['dimensions', 0, 'max'])).toBe('dimensions.0.max');
    expect(keySegments('dimensions.0.max')).toEqual(['dimensions', 0, 'max']);
  });

  it('says a path in words', () => {
    expect(pathInWords('body.prices.EUR.dimensions.vcpu.tiers[1].upTo')).toBe(
      'Prices in EUR › dimension “vcpu” › tier 2 › up to',
    );
    expect(pathInWords('body.dimensions[0].max')).toBe('Dimension 1 › maximum');
    expect(pathInWords('body.prices.USD.options.os.windows.price.model')).toBe(
      'Prices in USD › option “os” › choice “windows” › price › price model',
    );
    expect(pathInWords('body.presets[0].configuration.dimensions.vcpu')).toBe(
      'Preset 1 › configuration › dimension “vcpu”',
    );
    expect(pathInWords('body.name.de')).toBe('Name (de)');
    expect(pathInWords('body.attributes.region')).toBe('Attribute “region”');
    expect(pathInWords('body.options[1].choices[0].key')).toBe('Option 2 › choice 1 › key');
    expect(pathInWords('body.configurator.imageRequirements.windows.vcpu')).toBe(
      'Configurator › image requirements › “windows” › “vcpu”',
    );
    expect(pathInWords('body.fix.set.vcpu')).toBe('Fix › sets “vcpu”');
    expect(pathInWords('body.synonyms[3][0]')).toBe('Synonym group 4 › term 1');
    expect(pathInWords('body')).toBe('The request');
  });

  it('reads the character a rule-language message points at', () => {
    expect(characterPosition('Expected expression after * at character 14')).toBe(14);
    expect(characterPosition('Unknown name "storage"')).toBeUndefined();
  });
});

describe('placeIssues', () => {
  const known = new Set(['slug', 'dimensions.0.max', 'prices', 'name.en']);
  const has = (key: string) => known.has(key);

  it('puts each issue at the field with the longest matching key', () => {
    expect(matchField(['prices', 'EUR', 'baseRate'], has)).toEqual({
      key: 'prices',
      rest: ['EUR', 'baseRate'],
    });
    expect(matchField(['dimensions', 0, 'max'], has)).toEqual({ key: 'dimensions.0.max', rest: [] });
    expect(matchField(['dimensions', 1, 'max'], has)).toBeUndefined();

    const placed = placeIssues(
      [
        {
          path: 'body.dimensions[0].max',
          code: 'range_inverted',
          message: 'max (4) must not be below min (8)',
        },
        {
          path: 'body.prices.EUR.dimensions.vcpu.tiers[1].upTo',
          code: 'last_tier_bounded',
          message: 'the last tier …',
        },
        { path: 'body.prices.USD', code: 'missing_currency', message: 'add prices in USD' },
        { path: 'body.categoryIds[0]', code: 'unknown_category', message: 'there is no category "nope"' },
        { path: 'body.name', code: 'missing_default_language', message: 'needs a name' },
      ],
      has,
      (segments) => (segments.length === 1 && segments[0] === 'name' ? ['name', 'en'] : segments),
    );
    expect([...placed.fields.keys()]).toEqual(['dimensions.0.max', 'prices', 'name.en']);
    expect(placed.fields.get('dimensions.0.max')?.[0]?.message).toBe('Max (4) must not be below min (8).');
    expect(placed.fields.get('prices')?.map((issue) => issue.rest)).toEqual([
      ['EUR', 'dimensions', 'vcpu', 'tiers', 1, 'upTo'],
      ['USD'],
    ]);
    expect(placed.general.map(issueLine)).toEqual(['Category 1: There is no category "nope".']);
  });
});
