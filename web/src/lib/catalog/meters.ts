/** Usage a product prices per unit (egress per GB), as buyers read it next to the hourly price. */
import type { CounterMetric } from '#shared/usage/metrics.ts';
import { metricOf } from '#shared/usage/metrics.ts';

const LABELS: Record<CounterMetric, string> = { egress_gb: 'Outbound traffic' };

export type MeterRow = { metric: CounterMetric; label: string; unit: string; unitPrice: string };

/**
 * The metered prices of a price list or a service, in a stable order.
 *
 * @example meterRows({ egress_gb: { unitPrice: '0.05' } }) // [{ metric: 'egress_gb', label: 'Outbound traffic', unit: 'GB', unitPrice: '0.05' }]
 */
export function meterRows(
  meters: Partial<Record<CounterMetric, { unitPrice: string }>> | undefined,
): MeterRow[] {
  return (Object.entries(meters ?? {}) as Array<[CounterMetric, { unitPrice: string }]>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([metric, { unitPrice }]) => ({
      metric,
      label: LABELS[metric] ?? metric,
      unit: metricOf(metric).unit,
      unitPrice,
    }));
}
