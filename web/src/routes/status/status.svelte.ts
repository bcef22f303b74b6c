import { type DependencyCheck, fetchHealth, type HealthReport } from '#lib/api/health.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { dependencyName, formatDateTime, sortDependencies, statusLabel } from '#lib/status.ts';

export type DependencyRow = DependencyCheck & { label: string };

/** View state of the platform status page (`/status`). */
export class PlatformStatus {
  readonly #fetch: typeof fetch | undefined;
  readonly resource = new Resource<HealthReport>((signal) => fetchHealth({ signal, fetch: this.#fetch }));

  constructor(fetchFn?: typeof fetch) {
    this.#fetch = fetchFn;
  }

  /** The latest report; after a failed refresh, the last good one (shown with the problem). */
  readonly report: HealthReport | undefined = $derived(this.resource.data);
  readonly problem: ApiProblem | undefined = $derived(this.resource.problem);
  readonly pending: boolean = $derived(!this.resource.settled);
  readonly loading: boolean = $derived(this.resource.loading);

  readonly rows: DependencyRow[] = $derived(
    this.report
      ? sortDependencies(this.report.dependencies).map((d) => ({ ...d, label: dependencyName(d.name) }))
      : [],
  );

  readonly checkedAt: string | undefined = $derived(
    this.report ? formatDateTime(this.report.checkedAt) : undefined,
  );

  /** One sentence for the live region, announced after every check. */
  readonly announcement: string = $derived.by(() => {
    if (this.loading) return 'Checking platform status…';
    if (this.problem) return `Platform status unavailable: ${this.problem.message}`;
    if (this.report) return `${statusLabel(this.report.status).summary}. Checked ${this.checkedAt}.`;
    return '';
  });

  refresh(): Promise<void> {
    return this.resource.refresh();
  }

  dispose(): void {
    this.resource.dispose();
  }
}
