/**
 * Errors of the pricing engine. All are validation errors (400) whose `details` list every issue
 * as `{ path, message, code }`, so the API can say at once everything that is wrong.
 */
import { ValidationError } from '../errors.ts';
import type { FieldIssue } from '../http/error-body.ts';

/** One problem found in a product or a configuration; `path` is relative (`dimensions[0].max`). */
export type PricingIssue = FieldIssue;

function summary(subject: string, issues: readonly PricingIssue[]): string {
  const first = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${subject}: ${first}${more}`;
}

/** The merchant's product cannot be priced as it is. @example new InvalidProductPricingError(issues) */
export class InvalidProductPricingError extends ValidationError {
  readonly issues: readonly PricingIssue[];
  constructor(issues: readonly PricingIssue[]) {
    super('invalid_product_pricing', summary('Invalid product pricing', issues), [...issues]);
    this.issues = issues;
  }
}

/** The buyer's configuration does not fit the product (out of range, off step, unknown option …). */
export class InvalidConfigurationError extends ValidationError {
  readonly issues: readonly PricingIssue[];
  constructor(issues: readonly PricingIssue[]) {
    super('invalid_configuration', summary('Invalid configuration', issues), [...issues]);
    this.issues = issues;
  }
}

/** The product has no price list in the requested currency. */
export class CurrencyNotOfferedError extends ValidationError {
  constructor(currency: string, offered: readonly string[]) {
    super('currency_not_offered', `This product is not sold in ${currency}; it is in ${offered.join(', ')}`, {
      currency,
      offered: [...offered],
    });
  }
}

/** The quote context is unusable: unknown seller country, malformed buyer country, bad discount. */
export class InvalidQuoteContextError extends ValidationError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}
