import { sentence } from '#lib/api/field-errors.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import type { SummaryItem } from '#lib/form.svelte.ts';
import {
  keySegments,
  type PlacedIssue,
  pathInWords,
  placeIssues,
  problemIssues,
  type Segment,
} from './issue-paths.ts';

export type IssueFormOptions = {
  /** Error codes that concern one field as a whole (`slug_taken` → `slug`). */
  codes?: Record<string, string>;
  /** Rewrites an issue's path before it is matched (`fix.set.vcpu` → the row holding vcpu). */
  rewrite?: (segments: Segment[]) => Segment[];
  /** Where inside a field an issue is, for fields holding structure (a JSON text: "line 12"). */
  where?: (key: string, issue: PlacedIssue) => string | undefined;
};

/**
 * State of a catalog form whose fields come and go (rows of dimensions, options, attributes): errors
 * by field key (`dimensions.0.max`), each with every message the API or the checks found, messages
 * for no field, and whether a submit is in flight. Like `FormState`, with keys instead of a fixed
 * union, and several messages per field (a JSON text can have many issues).
 */
export class IssueForm {
  readonly id: string;
  errors: Record<string, string[]> = $state({});
  general: string[] = $state([]);
  problem: ApiProblem | undefined = $state();
  submitting = $state(false);

  constructor(id: string) {
    this.id = id;
  }

  fieldId(key: string): string {
    return `${this.id}-${key.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  }

  errorId(key: string): string {
    return `${this.fieldId(key)}-error`;
  }

  error(key: string): string[] | undefined {
    return this.errors[key];
  }

  readonly hasProblems: boolean = $derived(Object.keys(this.errors).length > 0 || this.general.length > 0);

  clear(): void {
    this.errors = {};
    this.general = [];
    this.problem = undefined;
  }

  /** Clears a field's messages once the person changes it. */
  touch(key: string): void {
    if (!(key in this.errors)) return;
    const { [key]: _removed, ...rest } = this.errors;
    this.errors = rest;
  }

  /** Problems found before sending. */
  reject(errors: ReadonlyMap<string, string>, general: string[] = []): void {
    this.errors = Object.fromEntries([...errors].map(([key, message]) => [key, [message]]));
    this.general = general;
    this.problem = undefined;
  }

  /** Spreads an API problem over the fields `known` and the list above the form. */
  fail(problem: ApiProblem, known: ReadonlySet<string>, options: IssueFormOptions = {}): void {
    this.problem = problem;
    const codeField = problem.kind === 'http' ? options.codes?.[problem.code] : undefined;
    if (codeField) {
      this.errors = { [codeField]: [sentence(problem.message)] };
      this.general = [];
      return;
    }
    const issues = problemIssues(problem);
    if (issues.length === 0) {
      this.errors = {};
      this.general = [sentence(problem.message)];
      return;
    }
    const placed = placeIssues(issues, (key) => known.has(key), options.rewrite);
    const errors: Record<string, string[]> = {};
    for (const [key, list] of placed.fields) {
      errors[key] = list.map((issue) => {
        const where = options.where?.(key, issue);
        const inside = issue.rest.length > 0 ? pathInWords([...keySegments(key), ...issue.rest]) : undefined;
        const place = [where, inside].filter(Boolean).join(' · ');
        return place ? `${place}: ${issue.message}` : issue.message;
      });
    }
    this.errors = errors;
    this.general = placed.general.map((issue) => `${pathInWords(issue.segments)}: ${issue.message}`);
  }

  /**
   * The field errors for `FormAlert`, in the order of `keys` (the form's order), each a link,
   * named by `label` (the form's own words for its fields) or else by the field's path in words.
   */
  summary(keys: Iterable<string>, label?: (key: string) => string | undefined): SummaryItem[] {
    const items: SummaryItem[] = [];
    const listed = new Set<string>();
    for (const key of [...keys, ...Object.keys(this.errors)]) {
      const messages = this.errors[key];
      if (!messages || listed.has(key)) continue;
      listed.add(key);
      items.push({
        field: key,
        id: this.fieldId(key),
        text: `${label?.(key) ?? pathInWords(keySegments(key))}: ${messages.join(' ')}`,
      });
    }
    return items;
  }
}
