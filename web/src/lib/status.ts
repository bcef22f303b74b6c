import type { DependencyCheck, HealthStatus } from './api/health.ts';

/** How a status reads on screen: a word and a symbol, so it never relies on colour alone. */
export type StatusLabel = { word: string; symbol: string; summary: string };

/** What a `Pill` means, not its colour: ok (green), warning (amber), danger (red), neutral. */
export type PillTone = 'ok' | 'warning' | 'danger' | 'neutral';

const LABELS: Record<HealthStatus, StatusLabel> = {
  ok: { word: 'Operational', symbol: '✓', summary: 'All systems operational' },
  degraded: { word: 'Degraded', symbol: '!', summary: 'Some systems degraded' },
  down: { word: 'Down', symbol: '✕', summary: 'Major outage' },
};

export function statusLabel(status: HealthStatus): StatusLabel {
  return LABELS[status];
}

const DEPENDENCY_NAMES: Record<string, string> = {
  api: 'API',
  dynamodb: 'DynamoDB',
  sqs: 'SQS queues',
  eventbus: 'Event bus',
  schedules: 'Schedules',
  scheduler: 'Schedules',
  pipeline: 'Schedule → bus → queue',
  s3: 'S3',
  stripe: 'Stripe',
};

/** A readable name for a dependency id such as `dynamodb`; unknown ids are shown as they are. */
export function dependencyName(id: string): string {
  return DEPENDENCY_NAMES[id] ?? id;
}

/** Worst first, then by name: what needs attention comes to the top of the table. */
export function sortDependencies(dependencies: readonly DependencyCheck[]): DependencyCheck[] {
  const rank: Record<HealthStatus, number> = { down: 0, degraded: 1, ok: 2 };
  return [...dependencies].sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A local date and time for people; the `<time datetime>` attribute keeps the ISO value. */
export function formatDateTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}
