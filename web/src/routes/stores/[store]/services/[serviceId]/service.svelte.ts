import { fetchProduct, type Product } from '#lib/api/catalog.ts';
import type { ApiProblem, ApiResult } from '#lib/api/http.ts';
import {
  type CancelWhen,
  cancelService,
  changeService,
  conflictState,
  fetchService,
  previewResize,
  type ResizePreview,
  resizeService,
  type ServiceAction,
  type SubscriptionView,
} from '#lib/api/services.ts';
import { type ServiceActions, serviceActions } from '#lib/billing/view.ts';
import { SERVICE_STATE } from '#lib/billing/words.ts';
import { type ConfigState, configurationOf, stateFrom } from '#lib/catalog/configuration.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { SignedInArea } from '../../signed-in.svelte.ts';

export type Busy = ServiceAction | 'preview' | 'resize' | 'cancel';

/**
 * One service: what it is and costs, its billing and history, and what the buyer does to it
 * (start, stop, resize after a preview, cancel now or at the end of the term). A 409 says the
 * state the service is in now; the page then shows it and reads the service again.
 */
export class ServicePage {
  readonly area: SignedInArea;
  readonly id: string;
  readonly service: Resource<SubscriptionView>;
  /** The product, for its capacity controls and words; undefined once retired. */
  product: Product | undefined = $state();

  busy: Busy | undefined = $state();
  /** The last action's problem, with the state a 409 reported. */
  actionProblem: { action: Busy; problem: ApiProblem; state?: string | undefined } | undefined = $state();
  announcement = $state('');

  /** The capacity being chosen for a resize (undefined while the resize panel is closed). */
  resize: ConfigState | undefined = $state();
  preview: ResizePreview | undefined = $state();
  cancelWhen: CancelWhen = $state('now');

  constructor(area: SignedInArea, id: string) {
    this.area = area;
    this.id = id;
    this.service = new Resource((signal) =>
      area.guard(fetchService(area.store, id, { signal, fetch: area.fetch })),
    );
  }

  readonly actions: ServiceActions = $derived.by(() =>
    this.service.data && this.area.managesServices
      ? serviceActions(this.service.data.state)
      : { start: false, stop: false, resize: false, cancel: false },
  );

  async load(): Promise<void> {
    if (!(await this.area.check())) return;
    await this.service.refresh();
    const slug = this.service.data?.product.slug;
    if (!slug) return;
    const result = await fetchProduct(this.area.store, slug, { fetch: this.area.fetch });
    if (result.ok) this.product = result.data.product;
  }

  dispose(): void {
    this.service.dispose();
  }

  async #act(action: Busy, call: () => Promise<ApiResult<SubscriptionView>>, done: string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = action;
    this.actionProblem = undefined;
    try {
      const result = await this.area.guard(call());
      if (!result.ok) {
        const state = conflictState(result.problem);
        this.actionProblem = { action, problem: result.problem, state };
        // Someone (or the platform) changed the service meanwhile: show what it is now.
        if (state) void this.service.refresh();
        return false;
      }
      this.service.data = result.data;
      void this.service.refresh(); // the history comes with a read
      this.announcement = `${done} The service is ${SERVICE_STATE[result.data.state].word.toLowerCase()}.`;
      return true;
    } finally {
      this.busy = undefined;
    }
  }

  change(action: ServiceAction): Promise<boolean> {
    return this.#act(
      action,
      () => changeService(this.area.store, this.id, action, undefined, { fetch: this.area.fetch }),
      action === 'start' ? 'Started.' : 'Stopped.',
    );
  }

  openResize(): void {
    const service = this.service.data;
    if (!service || !this.product) return;
    this.resize = stateFrom(this.product, service.configuration);
    this.preview = undefined;
  }

  closeResize(): void {
    this.resize = undefined;
    this.preview = undefined;
  }

  setDimension(key: string, value: number): void {
    if (!this.resize) return;
    this.resize = { ...this.resize, dimensions: { ...this.resize.dimensions, [key]: value } };
    this.preview = undefined; // a preview is of one configuration only
  }

  /** Whether the chosen capacity differs from what the service has. */
  readonly resizeChanged: boolean = $derived.by(() => {
    const current = this.service.data?.configuration.dimensions ?? {};
    return Object.entries(this.resize?.dimensions ?? {}).some(([key, value]) => current[key] !== value);
  });

  async previewResize(): Promise<boolean> {
    if (!this.resize || this.busy) return false;
    this.busy = 'preview';
    this.actionProblem = undefined;
    try {
      const result = await this.area.guard(
        previewResize(this.area.store, this.id, configurationOf(this.resize), { fetch: this.area.fetch }),
      );
      if (!result.ok) {
        this.actionProblem = { action: 'preview', problem: result.problem };
        return false;
      }
      this.preview = result.data;
      this.announcement = 'Preview ready: check the new price, then resize.';
      return true;
    } finally {
      this.busy = undefined;
    }
  }

  async confirmResize(): Promise<boolean> {
    const preview = this.preview;
    if (!preview) return false;
    const done = await this.#act(
      'resize',
      () =>
        resizeService(this.area.store, this.id, preview.configuration, preview.proposed.hourly, {
          fetch: this.area.fetch,
        }),
      'Resized.',
    );
    if (done) this.closeResize();
    return done;
  }

  cancel(): Promise<boolean> {
    const when = this.cancelWhen;
    return this.#act(
      'cancel',
      () => cancelService(this.area.store, this.id, when, undefined, { fetch: this.area.fetch }),
      when === 'now' ? 'Cancelled.' : 'Cancellation set for the end of the term.',
    );
  }
}
