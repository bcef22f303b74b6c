import type { ApiProblem } from '#lib/api/http.ts';
import type { CursorPage } from '#lib/api/parse.ts';
import {
  fetchServiceTriggers,
  fetchTriggerFirings,
  type ServiceTriggerList,
  type ServiceTriggerView,
  setServiceTrigger,
  type TriggerFiringView,
  type TriggerPolicyView,
} from '#lib/api/triggers.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import { checkTuning, TUNING_FIELDS, type TuningForm, tuningFormOf } from '#lib/provisioning/triggers.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { SignedInArea } from '../../signed-in.svelte.ts';

/** How many firings the box shows: the latest few, not the whole log. */
export const FIRINGS_SHOWN = 5;

/** One policy the service may use: the buyer's tuning being edited, its errors and the saved setting. */
export class TriggerChoice {
  readonly policy: TriggerPolicyView;
  setting: ServiceTriggerView | undefined = $state();
  form: TuningForm = $state(tuningFormOf(undefined));
  readonly issues: IssueForm;
  /** The tuning fields are open (they stay closed until asked: most buyers only switch). */
  tuning = $state(false);
  status = $state('');

  constructor(policy: TriggerPolicyView, setting: ServiceTriggerView | undefined) {
    this.policy = policy;
    this.setting = setting;
    this.form = tuningFormOf(setting);
    this.issues = new IssueForm(`trigger-${policy.id}`);
  }
}

/**
 * The "Capacity triggers" box of a service: the enabled policies of its product (each with the
 * buyer's switch and tuning within the merchant's bounds) and what they did lately. A PUT replaces
 * the whole tuning, so the switch sends the tuning fields too.
 */
export class ServiceTriggers {
  readonly area: SignedInArea;
  readonly id: string;
  readonly triggers: Resource<ServiceTriggerList>;
  readonly firings: Resource<CursorPage<TriggerFiringView>>;
  choices: TriggerChoice[] = $state.raw([]);

  constructor(area: SignedInArea, id: string) {
    this.area = area;
    this.id = id;
    this.triggers = new Resource(async (signal) => {
      const result = await area.guard(fetchServiceTriggers(area.store, id, { signal, fetch: area.fetch }));
      if (result.ok) {
        this.choices = result.data.items.map((item) => new TriggerChoice(item.policy, item.setting));
      }
      return result;
    });
    this.firings = new Resource((signal) =>
      area.guard(
        fetchTriggerFirings(area.store, id, { limit: FIRINGS_SHOWN }, { signal, fetch: area.fetch }),
      ),
    );
  }

  policyName(policyId: string): string {
    return this.choices.find((choice) => choice.policy.id === policyId)?.policy.name ?? 'A trigger';
  }

  async load(): Promise<void> {
    await Promise.all([this.triggers.refresh(), this.firings.refresh()]);
  }

  dispose(): void {
    this.triggers.dispose();
    this.firings.dispose();
  }

  /** Sends the choice's switch and tuning; on a problem the switch goes back to what is saved. */
  async save(choice: TriggerChoice, enabled = choice.form.enabled): Promise<boolean> {
    if (choice.issues.submitting) return false;
    const form = { ...choice.form, enabled };
    const checked = checkTuning(form, choice.policy, choice.setting?.revision);
    if (checked.errors) {
      choice.tuning = true;
      choice.issues.reject(checked.errors);
      return false;
    }
    choice.issues.clear();
    choice.issues.submitting = true;
    choice.status = '';
    try {
      const result = await this.area.guard(
        setServiceTrigger(this.area.store, this.id, choice.policy.id, checked.body, {
          fetch: this.area.fetch,
        }),
      );
      if (!result.ok) {
        this.#fail(choice, result.problem);
        return false;
      }
      choice.setting = result.data;
      choice.form = tuningFormOf(result.data);
      choice.status = `“${choice.policy.name}” is ${result.data.enabled ? 'on' : 'off'}.`;
      return true;
    } finally {
      choice.issues.submitting = false;
    }
  }

  #fail(choice: TriggerChoice, problem: ApiProblem): void {
    choice.form = { ...choice.form, enabled: choice.setting?.enabled ?? false };
    choice.issues.fail(problem, new Set(TUNING_FIELDS));
    if (Object.keys(choice.issues.errors).length > 0) choice.tuning = true;
  }
}
