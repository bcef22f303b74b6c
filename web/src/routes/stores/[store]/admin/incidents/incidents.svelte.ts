import { fetchProducts, type Product } from '#lib/api/catalog-admin.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { fetchIncident, fetchIncidents, type IncidentView, recordIncident } from '#lib/api/incidents.ts';
import {
  checkIncident,
  type IncidentField,
  type IncidentForm,
  lastHour,
  productRegions,
} from '#lib/billing/incident-form.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { localized } from '#shared/catalog/localized.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

/** How often, and how long, an incident that is still crediting is asked about. */
export const POLL_MS = 1000;
export const POLL_TRIES = 60;

export function freshIncidentForm(now: Date = new Date()): IncidentForm {
  return { title: '', products: [], region: '', ...lastHour(now) };
}

/**
 * The Incidents page: the outages recorded (finance:read) with the progress of their credits, and
 * recording one (finance:manage): the products come from the catalog (catalog:read), the region
 * from the products' `region` attribute. A new incident is asked about until it is `done`.
 */
export class IncidentsPage {
  readonly frame: ConsoleFrame;
  readonly language: string;
  readonly incidents: CursorList<IncidentView>;
  readonly products: Resource<Product[]>;
  form: IncidentForm = $state(freshIncidentForm());
  readonly incidentForm = new FormState<IncidentField>(
    'incident',
    { title: 'Title', products: 'Affected products', region: 'Region', start: 'Start', end: 'End' },
    {
      codes: {
        incident_not_over: 'end',
        invalid_period: 'end',
        unknown_product: 'products',
        scope_required: 'products',
        unknown_region: 'region',
      },
    },
  );
  announcement = $state('');
  #key: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(frame: ConsoleFrame, language: string) {
    this.frame = frame;
    this.language = language;
    const options = { fetch: frame.fetch };
    this.incidents = new CursorList((cursor, signal) =>
      frame.guard(fetchIncidents(frame.store, { cursor, limit: 20 }, { ...options, signal })),
    );
    this.products = new Resource(async (signal) => {
      const result = await frame.guard(fetchProducts(frame.store, { limit: 100 }, { ...options, signal }));
      return result.ok ? { ...result, data: result.data.items } : result;
    });
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('finance:manage'));
  readonly seesCatalog: boolean = $derived.by(() => this.frame.can('catalog:read'));
  /** Products that can have outage credits: not retired, by name. */
  readonly choices: { id: string; name: string; sla: boolean }[] = $derived.by(() =>
    (this.products.data ?? [])
      .filter((product) => product.status !== 'retired')
      .map((product) => ({
        id: product.id,
        name: localized(product.name, this.language, 'en'),
        sla: Boolean(product.sla),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  readonly regions: string[] = $derived.by(() => productRegions(this.products.data ?? []));
  readonly productNames: Map<string, string> = $derived.by(
    () => new Map(this.choices.map((choice) => [choice.id, choice.name])),
  );

  async load(): Promise<void> {
    await Promise.all([
      this.incidents.reload(),
      this.canManage && this.seesCatalog ? this.products.refresh() : undefined,
    ]);
    this.#pollCrediting();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.incidents.dispose();
    this.products.dispose();
  }

  toggleProduct(id: string, on: boolean): void {
    const others = this.form.products.filter((product) => product !== id);
    this.form.products = on ? [...others, id] : others;
    this.incidentForm.touch('products');
  }

  /** Records the incident; its services are credited in the background and the list follows. */
  async record(now: Date = new Date()): Promise<boolean> {
    const checked = checkIncident(this.form, now);
    // One key per incident typed: a retry after a lost answer records it once.
    this.#key ??= newIdempotencyKey();
    const key = this.#key;
    const result = await this.incidentForm.submit(checked.errors ?? {}, () =>
      this.frame.guard(
        recordIncident(this.frame.store, checked.request as NonNullable<typeof checked.request>, {
          idempotencyKey: key,
          fetch: this.frame.fetch,
        }),
      ),
    );
    if (result === undefined) return false;
    if (result.ok || result.problem.kind !== 'unreachable') this.#key = undefined;
    if (!result.ok) return false;
    const incident = result.data;
    this.incidents.items = [incident, ...this.incidents.items.filter((item) => item.id !== incident.id)];
    this.announcement =
      result.status === 201
        ? `Incident recorded: crediting the services it touched.`
        : 'This incident was recorded before; it is shown in the list.';
    this.form = freshIncidentForm();
    this.#pollCrediting();
    return true;
  }

  /** Asks again about every incident still crediting, until each is done (or the page goes). */
  #pollCrediting(attempt = 0): void {
    clearTimeout(this.#timer);
    const crediting = this.incidents.items.filter((incident) => incident.status === 'crediting');
    if (this.#disposed || crediting.length === 0 || attempt >= POLL_TRIES) return;
    this.#timer = setTimeout(async () => {
      for (const incident of crediting) {
        const result = await this.frame.guard(
          fetchIncident(this.frame.store, incident.id, { fetch: this.frame.fetch }),
        );
        if (!result.ok || this.#disposed) continue;
        this.incidents.items = this.incidents.items.map((item) =>
          item.id === result.data.id ? result.data : item,
        );
        if (result.data.status === 'done') {
          this.announcement = `“${result.data.title}”: ${result.data.services.credited} ${result.data.services.credited === 1 ? 'service' : 'services'} credited.`;
        }
      }
      this.#pollCrediting(attempt + 1);
    }, POLL_MS);
  }
}
