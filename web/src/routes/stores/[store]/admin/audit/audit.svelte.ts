import { type AuditEntry, fetchAuditLog, fetchStaff } from '#lib/api/admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { type AuditLine, describeEntry } from '#lib/audit.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export const PAGE_SIZE = 50;

/**
 * The audit log (audit:read), newest first, 50 at a time: "Load more" asks for the next page with
 * the cursor of the last answer. With staff:manage, staff user ids are shown as their emails.
 */
export class AuditPage {
  readonly frame: ConsoleFrame;
  entries: AuditEntry[] = $state([]);
  nextCursor: string | undefined = $state();
  /** Whether the first page has arrived. */
  loaded = $state(false);
  loading = $state(false);
  problem: ApiProblem | undefined = $state();
  announcement = $state('');
  /** Staff user id → email, when this member of staff may list the staff. */
  names: Map<string, string> = $state(new Map());

  #controller: AbortController | undefined;

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
  }

  readonly canRead: boolean = $derived.by(() => this.frame.can('audit:read'));
  readonly lines: AuditLine[] = $derived.by(() =>
    this.entries.map((entry) => describeEntry(entry, this.names)),
  );

  async load(): Promise<void> {
    if (!this.canRead) return;
    this.entries = [];
    this.nextCursor = undefined;
    this.loaded = false;
    await Promise.all([this.#page(undefined), this.#loadNames()]);
  }

  /** The next page, after the entries already shown. */
  async loadMore(): Promise<number> {
    if (!this.nextCursor || this.loading) return 0;
    const before = this.entries.length;
    await this.#page(this.nextCursor);
    const added = this.entries.length - before;
    if (!this.problem)
      this.announcement = `Loaded ${added} more ${added === 1 ? 'entry' : 'entries'}${this.nextCursor ? '' : '; that is all of them'}.`;
    return added;
  }

  dispose(): void {
    this.#controller?.abort();
  }

  async #page(cursor: string | undefined): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.problem = undefined;
    try {
      const result = await this.frame.guard(
        fetchAuditLog(
          this.frame.store,
          { limit: PAGE_SIZE, cursor },
          { signal: controller.signal, fetch: this.frame.fetch },
        ),
      );
      if (controller.signal.aborted) return;
      if (!result.ok) {
        if (!isUnauthenticated(result.problem)) this.problem = result.problem;
        return;
      }
      const seen = new Set(this.entries.map((entry) => entry.id));
      this.entries = [...this.entries, ...result.data.items.filter((entry) => !seen.has(entry.id))];
      this.nextCursor = result.data.nextCursor;
      this.loaded = true;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  async #loadNames(): Promise<void> {
    if (!this.frame.can('staff:manage')) return;
    const result = await fetchStaff(this.frame.store, { fetch: this.frame.fetch });
    // Names are a nicety: without them the log shows ids, so a failure here is not worth a message.
    if (result.ok) this.names = new Map(result.data.map((member) => [member.id, member.email]));
  }
}
