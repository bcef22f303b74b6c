import type { Storefront } from '#shared/tenants/api.ts';
import { type ApiResult, type GetJsonOptions, getJson, isRecord } from './http.ts';

export type { Storefront };

/** The storefront the public pages show until stores get their own host names or paths. */
export const DEMO_STORE = 'demo';

export function parseStorefront(body: unknown): Storefront | undefined {
  if (!isRecord(body)) return undefined;
  const { slug, name, defaultCurrency, defaultLanguage } = body;
  if (
    typeof slug !== 'string' ||
    typeof name !== 'string' ||
    typeof defaultCurrency !== 'string' ||
    typeof defaultLanguage !== 'string'
  ) {
    return undefined;
  }
  return { slug, name, defaultCurrency, defaultLanguage };
}

/** `GET /api/v1/stores/{store}`: the public facts of one storefront. */
export function fetchStorefront(slug: string, options?: GetJsonOptions): Promise<ApiResult<Storefront>> {
  return getJson(`/api/v1/stores/${encodeURIComponent(slug)}`, parseStorefront, options);
}
