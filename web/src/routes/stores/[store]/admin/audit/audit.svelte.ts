import { type AuditEntry, fetchAuditLog, fetchStaff } from '#lib/api/admin.ts';
import { type AuditLine, describeEntry } from '#lib/audit.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export const PAGE_SIZE = 50;

/**
 * The audit log (audit:read), newest first, 50 at a time: "Load more" asks for the next page with
 * the cursor of the last answer. With staff:manage, staff user ids are shown as their emails.
 */
export class AuditPage {
  readonly frame: ConsoleFrame;
  readonly entries: CursorList<AuditEntry>;
  announcement = $state('');
  /** Staff user id → email, when this member of staff may list the staff. */
  names: Map<string, string> = $state(new Map());

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.entries = new CursorList((cursor, signal) =>
      frame.guard(fetchAuditLog(frame.store, { limit: PAGE_SIZE, cursor }, { signal, fetch: frame.fetch })),
    );
  }

  readonly canRead: boolean = $derived.by(() => this.frame.can('audit:read'));
  readonly lines: AuditLine[] = $derived.by(() =>
    this.entries.items.map((entry) => describeEntry(entry, this.names)),
  );

  async load(): Promise<void> {
    if (!this.canRead) return;
    await Promise.all([this.entries.reload(), this.#loadNames()]);
  }

  /** The next page, after the entries already shown. */
  async loadMore(): Promise<void> {
    const added = await this.entries.more();
    if (!this.entries.problem)
      this.announcement = `Loaded ${added} more ${added === 1 ? 'entry' : 'entries'}${this.entries.nextCursor ? '' : '; that is all of them'}.`;
  }

  dispose(): void {
    this.entries.dispose();
  }

  async #loadNames(): Promise<void> {
    if (!this.frame.can('staff:manage')) return;
    const result = await fetchStaff(this.frame.store, { fetch: this.frame.fetch });
    // Names are a nicety: without them the log shows ids, so a failure here is not worth a message.
    if (result.ok) this.names = new Map(result.data.map((member) => [member.id, member.email]));
  }
}
