import type { ApiResult } from '#lib/api/http.ts';
import { fetchUsageSeries, type MetricName, type UsageSeries } from '#lib/api/usage.ts';
import { rangeQuery, type UsageRange } from '#lib/provisioning/usage.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { SignedInArea } from '../../signed-in.svelte.ts';

/**
 * The usage chart of one service: a metric and a range the buyer picks, the series the API
 * returns for them. Ranges end at the store's time (a sandbox store's test clock may be ahead of
 * this browser's): the first read takes the API's default window (the last 24 hours by the store's
 * clock) and the answer's `to` tells how far the store's clock is from this browser's.
 */
export class ServiceUsage {
  readonly area: SignedInArea;
  readonly id: string;
  readonly series: Resource<UsageSeries>;
  metric: MetricName = $state('cpu_pct');
  range: UsageRange = $state('24h');
  /** The data table instead of only the summary (the chart's text alternative). */
  showTable = $state(false);
  /** Store clock minus browser clock, once an answer said it. */
  #offset: number | undefined;

  constructor(area: SignedInArea, id: string) {
    this.area = area;
    this.id = id;
    this.series = new Resource((signal) => this.#read(signal));
  }

  async #read(signal: AbortSignal): Promise<ApiResult<UsageSeries>> {
    const asked = Date.now();
    const window =
      this.#offset === undefined && this.range === '24h'
        ? {}
        : rangeQuery(this.range, asked + (this.#offset ?? 0));
    const result = await this.area.guard(
      fetchUsageSeries(
        this.area.store,
        this.id,
        { metric: this.metric, ...window },
        { signal, fetch: this.area.fetch },
      ),
    );
    if (result.ok) this.#offset = Date.parse(result.data.to) - asked;
    return result;
  }

  load(): Promise<void> {
    return this.series.refresh();
  }

  choose(change: { metric?: MetricName; range?: UsageRange }): Promise<void> {
    if (change.metric) this.metric = change.metric;
    if (change.range) this.range = change.range;
    return this.series.refresh();
  }

  dispose(): void {
    this.series.dispose();
  }
}
