/**
 * The filter grammar of catalog search, free of zod so the catalog page parses its URL with the
 * same code the API does.
 *
 * - `region:eu-central` — an enum or boolean attribute (`managed:true`), or `kind:iaas`;
 * - `vcpu>=4`, `ram_gb<=16` — a number attribute, or a capacity dimension (the product can be
 *   configured within the range: `vcpu>=4` finds servers whose vCPU goes up to at least 4);
 * - `price<=0.05` — the hourly "from" price in the searched currency.
 *
 * Several values of one key are alternatives (`region:eu-central,region:eu-west`); different keys
 * must all hold.
 */
export type SearchFilter =
  | { kind: 'value'; key: string; value: string }
  | { kind: 'range'; key: string; operator: '>=' | '<=' | '>' | '<'; value: number };

const FILTER = /^([a-z][a-z0-9_]{0,39})(?::(.{1,100})|(>=|<=|>|<)(-?\d+(?:\.\d+)?))$/;

/** @example parseSearchFilter('vcpu>=4') // { kind: 'range', key: 'vcpu', operator: '>=', value: 4 } */
export function parseSearchFilter(text: string): SearchFilter | undefined {
  const match = FILTER.exec(text.trim());
  if (!match) return undefined;
  const [, key, value, operator, number] = match;
  if (!key) return undefined;
  if (value !== undefined) return { kind: 'value', key, value };
  return { kind: 'range', key, operator: operator as '>=' | '<=' | '>' | '<', value: Number(number) };
}

export const formatSearchFilter = (filter: SearchFilter): string =>
  filter.kind === 'value'
    ? `${filter.key}:${filter.value}`
    : `${filter.key}${filter.operator}${filter.value}`;

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'name_asc', 'name_desc'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
