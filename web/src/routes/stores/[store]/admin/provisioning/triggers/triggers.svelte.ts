import type { Product } from '#lib/api/catalog.ts';
import { fetchProducts } from '#lib/api/catalog-admin.ts';
import { fetchTriggerPolicies, saveTriggerPolicy, type TriggerPolicyView } from '#lib/api/triggers.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import type { SummaryItem } from '#lib/form.svelte.ts';
import {
  checkPolicy,
  emptyPolicyForm,
  POLICY_FIELD_LABELS,
  POLICY_FIELDS,
  type PolicyField,
  type PolicyForm,
  policyFormOf,
} from '#lib/provisioning/triggers.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { localized } from '#shared/catalog/localized.ts';
import type { CapacityDimension } from '#shared/catalog/product.ts';
import type { ConsoleFrame } from '../../console.svelte.ts';

/** A product's policies, for the list: products by name, policies in the API's order (oldest first). */
export type ProductPolicies = { productId: string; name: string; policies: TriggerPolicyView[] };

/**
 * The Triggers page of Provisioning: the store's capacity-trigger policies per product
 * (catalog:read) and a form to create or change one (catalog:manage). The form's field keys are
 * the API's paths, so the 400 of a dimension or step that does not fit the product lands beside
 * the field.
 */
export class TriggersPage {
  readonly frame: ConsoleFrame;
  readonly language: string;
  readonly policies: Resource<TriggerPolicyView[]>;
  readonly products: Resource<Product[]>;
  readonly issues = new IssueForm('policy');
  editing: TriggerPolicyView | undefined = $state();
  form: PolicyForm | undefined = $state();
  announcement = $state('');

  constructor(frame: ConsoleFrame, language: string) {
    this.frame = frame;
    this.language = language;
    const options = { fetch: frame.fetch };
    this.policies = new Resource((signal) =>
      frame.guard(fetchTriggerPolicies(frame.store, { ...options, signal })),
    );
    this.products = new Resource(async (signal) => {
      const result = await frame.guard(fetchProducts(frame.store, { limit: 100 }, { ...options, signal }));
      return result.ok ? { ...result, data: result.data.items } : result;
    });
  }

  readonly canManage: boolean = $derived.by(() => this.frame.can('catalog:manage'));

  product(id: string): Product | undefined {
    return this.products.data?.find((candidate) => candidate.id === id);
  }

  productName(id: string): string {
    const product = this.product(id);
    return product ? localized(product.name, this.language, 'en') : id;
  }

  dimensions(productId: string): CapacityDimension[] {
    return this.product(productId)?.dimensions ?? [];
  }

  readonly productOptions: { value: string; label: string }[] = $derived.by(() =>
    (this.products.data ?? [])
      .map((product) => ({ value: product.id, label: localized(product.name, this.language, 'en') }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  );

  readonly grouped: ProductPolicies[] = $derived.by(() => {
    const groups = new Map<string, TriggerPolicyView[]>();
    for (const policy of this.policies.data ?? []) {
      groups.set(policy.productId, [...(groups.get(policy.productId) ?? []), policy]);
    }
    return [...groups]
      .map(([productId, policies]) => ({ productId, name: this.productName(productId), policies }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });

  summary(): SummaryItem[] {
    return this.issues.summary(POLICY_FIELDS, (field) => POLICY_FIELD_LABELS[field as PolicyField]);
  }

  async load(): Promise<void> {
    await Promise.all([this.policies.refresh(), this.products.refresh()]);
  }

  dispose(): void {
    this.policies.dispose();
    this.products.dispose();
  }

  startNew(): void {
    this.editing = undefined;
    this.issues.clear();
    // A product with capacity to scale first: that is what most policies are for.
    const first =
      this.productOptions.find((option) => this.dimensions(option.value).length > 0)?.value ??
      this.productOptions[0]?.value ??
      '';
    this.form = emptyPolicyForm(first, this.dimensions(first));
  }

  edit(policy: TriggerPolicyView): void {
    this.editing = policy;
    this.issues.clear();
    this.form = policyFormOf(policy);
  }

  /** Another product: its first dimension and that dimension's range, unless the merchant typed others. */
  chooseProduct(productId: string): void {
    const form = this.form;
    if (!form) return;
    const fresh = emptyPolicyForm(productId, this.dimensions(productId));
    // No dimension yet: notify was the only choice of the product before (the select has already
    // put the new product into the form), so scaling is the likelier wish now.
    const onlyNotify = form.dimension === '';
    this.form = {
      ...form,
      productId,
      actionKind: fresh.actionKind === 'notify' || onlyNotify ? fresh.actionKind : form.actionKind,
      dimension: fresh.dimension,
      step: fresh.step,
      min: fresh.min,
      max: fresh.max,
    };
  }

  chooseDimension(key: string): void {
    const form = this.form;
    const dimension = form && this.dimensions(form.productId).find((candidate) => candidate.key === key);
    if (!form || !dimension) return;
    this.form = {
      ...form,
      dimension: key,
      step: String(dimension.step),
      min: String(dimension.min),
      max: String(dimension.max),
    };
  }

  close(): void {
    this.form = undefined;
    this.editing = undefined;
    this.issues.clear();
  }

  async save(): Promise<boolean> {
    const form = this.form;
    if (!form || this.issues.submitting) return false;
    const checked = checkPolicy(
      form,
      this.editing && { id: this.editing.id, revision: this.editing.revision },
    );
    if (checked.errors) {
      this.issues.reject(checked.errors);
      return false;
    }
    this.issues.clear();
    this.issues.submitting = true;
    try {
      const result = await this.frame.guard(
        saveTriggerPolicy(this.frame.store, checked.body, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.issues.fail(result.problem, new Set(POLICY_FIELDS), { codes: { unknown_product: 'productId' } });
        return false;
      }
      const saved = result.data;
      const list = this.policies.data ?? [];
      this.policies.data = list.some((policy) => policy.id === saved.id)
        ? list.map((policy) => (policy.id === saved.id ? saved : policy))
        : [...list, saved];
      this.announcement = `${this.editing ? 'Saved' : 'Created'} the policy “${saved.name}”.`;
      this.close();
      return true;
    } finally {
      this.issues.submitting = false;
    }
  }
}
