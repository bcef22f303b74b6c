import type { FieldIssue } from '#shared/http/error-body.ts';
import type { ApiProblem } from './http.ts';
import { isRecord } from './http.ts';

export type { FieldIssue };

/** One message per form field that has a problem. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** What a failed submit means for a form: messages beside fields, and the rest for the alert. */
export type FormProblem<F extends string> = {
  fields: FieldErrors<F>;
  /** Messages that belong to no field of the form (shown in the alert above it). */
  general: string[];
};

/** The `details` of a `validation_failed` answer: `[{ path: 'body.email', message, code }]`. */
export function fieldIssues(problem: ApiProblem): FieldIssue[] {
  if (problem.kind !== 'http' || !Array.isArray(problem.details)) return [];
  return problem.details.flatMap((item) => {
    if (!isRecord(item)) return [];
    const { path, message, code } = item;
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    return [{ path, message, code: typeof code === 'string' ? code : 'invalid' }];
  });
}

/** `body.items[0].quantity` → `items`; `body.email` → `email`; `query.limit` → undefined. */
export function fieldOfPath(path: string): string | undefined {
  const match = /^body\.([A-Za-z0-9_]+)/.exec(path);
  return match?.[1];
}

/**
 * The API's validation messages are written for developers ("Too small: expected string to have
 * >=1 characters"); people get a sentence.
 */
export function describeIssue(issue: Pick<FieldIssue, 'message' | 'code'>): string {
  const { message, code } = issue;
  if (code === 'invalid_type' && /received undefined|received null/.test(message))
    return 'This field is required.';
  const small = /^Too small: expected (string|array) to have >=(\d+)/.exec(message);
  if (small) {
    const [, type, count] = small;
    if (count === '1') return type === 'array' ? 'Choose at least one.' : 'This field is required.';
    return type === 'array' ? `Choose at least ${count}.` : `Must be at least ${count} characters.`;
  }
  const big = /^Too big: expected (string|array) to have <=(\d+)/.exec(message);
  if (big) {
    const [, type, count] = big;
    return type === 'array' ? `Choose at most ${count}.` : `Must be at most ${count} characters.`;
  }
  return sentence(message);
}

/** Capital first letter, full stop at the end. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export type FormProblemOptions<F extends string> = {
  /** Error codes that concern one field as a whole, e.g. `{ email_taken: 'email' }` (409). */
  codes?: Partial<Record<string, F>>;
  /** API field names that the form shows under another name, e.g. `{ ownerEmail: 'email' }`. */
  aliases?: Partial<Record<string, F>>;
};

/**
 * Spreads an API problem over a form's fields: validation details go beside their fields (the
 * first message of a field wins, the others would repeat it), known error codes to their field,
 * anything else to the general list.
 */
export function formProblem<F extends string>(
  problem: ApiProblem,
  fields: readonly F[],
  options: FormProblemOptions<F> = {},
): FormProblem<F> {
  const known = new Set<string>(fields);
  const result: FormProblem<F> = { fields: {}, general: [] };

  if (problem.kind === 'http') {
    const byCode = options.codes?.[problem.code];
    if (byCode) {
      result.fields[byCode] = sentence(problem.message);
      return result;
    }
  }

  const issues = fieldIssues(problem);
  for (const issue of issues) {
    const name = fieldOfPath(issue.path);
    const field = name === undefined ? undefined : (options.aliases?.[name] ?? name);
    if (field !== undefined && known.has(field)) {
      const key = field as F;
      result.fields[key] ??= describeIssue(issue);
    } else {
      const message = describeIssue(issue);
      result.general.push(name ? `${name}: ${message}` : message);
    }
  }
  if (issues.length === 0) result.general.push(sentence(problem.message));
  return result;
}

/** The form's fields that have an error, in the form's order (the first gets the focus). */
export function fieldsWithErrors<F extends string>(errors: FieldErrors<F>, order: readonly F[]): F[] {
  return order.filter((field) => errors[field] !== undefined);
}
