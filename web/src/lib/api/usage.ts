/**
 * A service's usage for charts (`GET subscriptions/{id}/usage`): one metric as 5-minute or hourly
 * points, oldest first, empty steps left out. Buyers read their own services, staff every
 * customer's. The answer is checked with the shared schema.
 */
import { type UsageSeries, UsageSeries as UsageSeriesSchema } from '#shared/usage/api.ts';
import { METRIC_NAMES, type MetricName } from '#shared/usage/metrics.ts';
import { type ApiOptions, type ApiResult, getJson } from './http.ts';
import { storePath } from './identity.ts';
import { schemaParser } from './parse.ts';

export type { MetricName, UsageSeries };
export type UsagePoint = UsageSeries['points'][number];
export { METRIC_NAMES };

export const parseUsageSeries = schemaParser(UsageSeriesSchema);

export type UsageQuery = { metric: MetricName; from?: string; to?: string; step?: '5m' | '1h' };

export function fetchUsageSeries(
  store: string,
  subscriptionId: string,
  query: UsageQuery,
  options?: ApiOptions,
): Promise<ApiResult<UsageSeries>> {
  const search = new URLSearchParams({ metric: query.metric });
  if (query.from) search.set('from', query.from);
  if (query.to) search.set('to', query.to);
  if (query.step) search.set('step', query.step);
  return getJson(
    storePath(store, `/subscriptions/${encodeURIComponent(subscriptionId)}/usage?${search}`),
    parseUsageSeries,
    options,
  );
}
