/**
 * Domain errors. Use cases throw these; the HTTP layer maps each `code` family to a status in one
 * place (functions/src/http/error-mapping.ts). Messages are written for the caller: they are shown.
 */
export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>>;

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'validation'
    | 'unauthenticated'
    | 'forbidden'
    | 'not_found'
    | 'conflict'
    | 'rate_limited'
    | 'unavailable';
  readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The request is well-formed JSON but breaks a rule (400). */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
}
/** No or invalid credentials (401). */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}
/** Authenticated, but not allowed (403). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}
/** Missing, or not visible to this caller (404). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}
/** The current state forbids the change, or an idempotency key was reused with another request (409). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}
/** Too many attempts (429). */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';
}
/** A dependency is down; the caller may retry later (503). */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}
