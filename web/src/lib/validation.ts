/**
 * Checks a form runs before it sends anything, so the common mistakes get a plain sentence at once.
 * The API checks everything again; its answers are mapped onto the same fields (api/field-errors.ts).
 * Each check returns the message to show, or `undefined` when the value is fine.
 */

/** The API's rule for new passwords (shared/src/identity/api.ts NewPassword). */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

// Deliberately loose: one @, something before it, a dot in the domain. The API has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkRequired(value: string, message: string): string | undefined {
  return value.trim() === '' ? message : undefined;
}

export function checkEmail(value: string, missing = 'Enter your email address.'): string | undefined {
  const email = value.trim();
  if (email === '') return missing;
  if (!EMAIL.test(email) || email.length > 254) return 'Enter an email address like name@example.com.';
  return undefined;
}

/** The password of a sign-in: only required (old passwords may not follow today's rules). */
export function checkCurrentPassword(value: string): string | undefined {
  return value === '' ? 'Enter your password.' : undefined;
}

export function checkNewPassword(value: string): string | undefined {
  if (value === '') return 'Choose a password.';
  if (value.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (value.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

export function checkPasswordConfirmation(password: string, confirmation: string): string | undefined {
  if (confirmation === '') return 'Enter the password again.';
  return confirmation === password ? undefined : 'The two passwords are not the same.';
}

/** Drops the fields without a message, so `Object.keys(errors).length` counts real errors. */
export function compactErrors<F extends string>(
  errors: Partial<Record<F, string | undefined>>,
): Partial<Record<F, string>> {
  const result: Partial<Record<F, string>> = {};
  for (const [field, message] of Object.entries(errors) as [F, string | undefined][]) {
    if (message !== undefined) result[field] = message;
  }
  return result;
}
