import type { Product } from '#lib/api/catalog.ts';
import { fetchProducts } from '#lib/api/catalog-admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import {
  type ConnectorView,
  fetchConnectors,
  rotateConnectorSecret,
  saveConnector,
} from '#lib/api/provisioning.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import type { SummaryItem } from '#lib/form.svelte.ts';
import {
  CONNECTOR_FIELD_LABELS,
  CONNECTOR_FIELDS,
  type ConnectorField,
  type ConnectorForm,
  checkConnector,
  checkKeepHours,
  connectorFormOf,
  DEFAULT_KEEP_PREVIOUS_HOURS,
  emptyConnectorForm,
  sortConnectors,
} from '#lib/provisioning/connectors.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { localized } from '#shared/catalog/localized.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

/** A signing secret just made: shown once, until the merchant says it is saved. */
export type ShownSecret = { connector: ConnectorView; secret: string; made: 'created' | 'rotated' };

/**
 * The Provisioning page: the store's connectors (catalog:read), a form to create or change one and
 * the secret rotation (catalog:manage). A secret is in the answer that makes it only, so the page
 * keeps it in memory until "I have saved it" and never reads it again.
 */
export class ConnectorsPage {
  readonly frame: ConsoleFrame;
  readonly language: string;
  readonly connectors: Resource<ConnectorView[]>;
  readonly products: Resource<Product[]>;
  readonly issues = new IssueForm('connector');
  /** The connector being changed; undefined with a form open: a new one. */
  editing: ConnectorView | undefined = $state();
  form: ConnectorForm | undefined = $state();
  secret: ShownSecret | undefined = $state();
  /** The connector whose rotation panel is open, the hours typed and their problem. */
  rotating: { id: string; hours: string; error?: string | undefined; busy: boolean } | undefined = $state();
  rotateProblem: { id: string; problem: ApiProblem } | undefined = $state();
  announcement = $state('');

  constructor(frame: ConsoleFrame, language: string) {
    this.frame = frame;
    this.language = language;
    const options = { fetch: frame.fetch };
    this.connectors = new Resource((signal) =>
      frame.guard(fetchConnectors(frame.store, { ...options, signal })),
    );
    this.products = new Resource(async (signal) => {
      const result = await frame.guard(fetchProducts(frame.store, { limit: 100 }, { ...options, signal }));
      return result.ok ? { ...result, data: result.data.items } : result;
    });
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));

  productName(id: string): string {
    const product = this.products.data?.find((candidate) => candidate.id === id);
    return product ? localized(product.name, this.language, 'en') : id;
  }

  /** "Store default" or the product's name. */
  scopeName(connector: Pick<ConnectorView, 'productId'>): string {
    return connector.productId ? this.productName(connector.productId) : 'Store default';
  }

  readonly sorted: ConnectorView[] = $derived.by(() =>
    sortConnectors(this.connectors.data ?? [], (id) => this.productName(id)),
  );

  /** What a new connector may serve: the default (when there is none yet) and products without their own. */
  readonly freeScopes: { value: string; label: string }[] = $derived.by(() => {
    const taken = new Set((this.connectors.data ?? []).map((connector) => connector.productId ?? ''));
    const products = (this.products.data ?? [])
      .filter((product) => !taken.has(product.id))
      .map((product) => ({ value: product.id, label: localized(product.name, this.language, 'en') }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return [
      ...(taken.has('') ? [] : [{ value: '', label: 'Store default (products without their own)' }]),
      ...products,
    ];
  });

  summary(): SummaryItem[] {
    return this.issues.summary(CONNECTOR_FIELDS, (field) => CONNECTOR_FIELD_LABELS[field as ConnectorField]);
  }

  async load(): Promise<void> {
    await Promise.all([this.connectors.refresh(), this.products.refresh()]);
  }

  dispose(): void {
    this.connectors.dispose();
    this.products.dispose();
  }

  startNew(): void {
    this.editing = undefined;
    this.issues.clear();
    this.form = emptyConnectorForm(this.freeScopes[0]?.value ?? '');
  }

  edit(connector: ConnectorView): void {
    this.editing = connector;
    this.issues.clear();
    this.form = connectorFormOf(connector);
  }

  close(): void {
    this.form = undefined;
    this.editing = undefined;
    this.issues.clear();
  }

  #replace(connector: ConnectorView): void {
    const others = (this.connectors.data ?? []).filter((existing) => existing.id !== connector.id);
    this.connectors.data = [...others, connector];
  }

  async save(): Promise<boolean> {
    const form = this.form;
    if (!form || this.issues.submitting) return false;
    const checked = checkConnector(form, this.editing?.revision);
    if (checked.errors) {
      this.issues.reject(checked.errors);
      return false;
    }
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const result = await this.frame.guard(
        saveConnector(this.frame.store, checked.body, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.issues.fail(result.problem, new Set(CONNECTOR_FIELDS), {
          codes: { unknown_product: 'productId' },
        });
        return false;
      }
      const { connector, secret } = result.data;
      this.#replace(connector);
      if (secret) this.secret = { connector, secret, made: 'created' };
      this.announcement = `${secret ? 'Created' : 'Saved'} the connector of ${this.scopeName(connector)}.`;
      this.close();
      return true;
    } finally {
      this.issues.submitting = false;
    }
  }

  openRotation(connector: ConnectorView): void {
    this.rotating = { id: connector.id, hours: String(DEFAULT_KEEP_PREVIOUS_HOURS), busy: false };
    this.rotateProblem = undefined;
  }

  closeRotation(): void {
    this.rotating = undefined;
  }

  async rotate(): Promise<boolean> {
    const rotating = this.rotating;
    if (!rotating || rotating.busy) return false;
    const checked = checkKeepHours(rotating.hours);
    if (checked.error !== undefined) {
      this.rotating = { ...rotating, error: checked.error };
      return false;
    }
    this.rotating = { ...rotating, error: undefined, busy: true };
    this.rotateProblem = undefined;
    try {
      const result = await this.frame.guard(
        rotateConnectorSecret(this.frame.store, rotating.id, checked.hours, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.rotateProblem = { id: rotating.id, problem: result.problem };
        return false;
      }
      const { connector, secret } = result.data;
      this.#replace(connector);
      if (secret) this.secret = { connector, secret, made: 'rotated' };
      this.announcement = `New signing secret for ${this.scopeName(connector)}.`;
      this.rotating = undefined;
      return true;
    } finally {
      if (this.rotating) this.rotating = { ...this.rotating, busy: false };
    }
  }

  /** The merchant has stored the secret: it leaves the page (and memory) for good. */
  dismissSecret(): void {
    this.secret = undefined;
  }
}
