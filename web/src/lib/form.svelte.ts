import {
  type FieldErrors,
  type FormProblemOptions,
  fieldsWithErrors,
  formProblem,
} from './api/field-errors.ts';
import type { ApiProblem, ApiResult } from './api/http.ts';
import { compactErrors } from './validation.ts';

export type SummaryItem = { field: string; id: string; text: string };

/**
 * State of one form: field errors (from the checks before sending and from the API's answer),
 * messages for the alert above the form, and whether a submit is in flight. Pages render it;
 * `id` prefixes the element ids so errors can point at their fields.
 */
export class FormState<F extends string> {
  readonly id: string;
  readonly labels: Record<F, string>;
  readonly #order: () => readonly F[];
  readonly #options: FormProblemOptions<F>;

  errors: FieldErrors<F> = $state({});
  /** Messages that belong to no field (wrong password, store closed, API unreachable…). */
  general: string[] = $state([]);
  /** The last API problem, for pages that react to a particular code. */
  problem: ApiProblem | undefined = $state();
  submitting = $state(false);

  /**
   * `labels` also gives the order of the fields on the page (the alert lists errors in it); a form
   * whose fields change (person or company) passes `order`, which may read reactive state.
   */
  constructor(
    id: string,
    labels: Record<F, string>,
    options: FormProblemOptions<F> & { order?: () => readonly F[] } = {},
  ) {
    this.id = id;
    this.labels = labels;
    const all = Object.keys(labels) as F[];
    this.#order = options.order ?? (() => all);
    this.#options = options;
  }

  /** The fields on the page now, in their order. */
  get order(): readonly F[] {
    return this.#order();
  }

  readonly invalidFields: F[] = $derived.by(() => fieldsWithErrors(this.errors, this.order));
  readonly hasProblems: boolean = $derived(this.invalidFields.length > 0 || this.general.length > 0);

  /** The field errors as a list for the alert, each linking to its field. */
  readonly summary: SummaryItem[] = $derived(
    this.invalidFields.map((field) => ({
      field,
      id: this.fieldId(field),
      text: `${this.labels[field]}: ${this.errors[field] ?? ''}`,
    })),
  );

  fieldId(field: F): string {
    return `${this.id}-${field}`;
  }

  errorId(field: F): string {
    return `${this.id}-${field}-error`;
  }

  error(field: F): string | undefined {
    return this.errors[field];
  }

  clear(): void {
    this.errors = {};
    this.general = [];
    this.problem = undefined;
  }

  /** Clears one field's error once the person changes it. */
  touch(field: F): void {
    if (this.errors[field] === undefined) return;
    const { [field]: _removed, ...rest } = this.errors as Record<F, string>;
    this.errors = rest as FieldErrors<F>;
  }

  /** Shows problems found before sending (or after, by the page itself). */
  reject(errors: Partial<Record<F, string | undefined>>, general: string[] = []): void {
    this.errors = compactErrors(errors);
    this.general = general;
  }

  /** Spreads an API problem over the fields and the alert. */
  fail(problem: ApiProblem): void {
    const { fields, general } = formProblem(problem, this.order, this.#options);
    this.errors = fields;
    this.general = general;
    this.problem = problem;
  }

  /**
   * A submit: the checks first (nothing is sent while one fails), then the call. Returns the
   * API result, or `undefined` when nothing was sent (a check failed or a submit is in flight).
   * A failed result is already on the form; the caller handles success and any special code.
   */
  async submit<T>(
    checks: Partial<Record<F, string | undefined>>,
    call: () => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T> | undefined> {
    if (this.submitting) return undefined;
    const found = compactErrors(checks);
    if (Object.keys(found).length > 0) {
      this.reject(found);
      return undefined;
    }
    this.clear();
    this.submitting = true;
    try {
      const result = await call();
      if (!result.ok) this.fail(result.problem);
      return result;
    } finally {
      this.submitting = false;
    }
  }
}
