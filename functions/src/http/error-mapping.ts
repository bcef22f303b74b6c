import { DomainError } from '#shared/errors.ts';
import type { ErrorBody } from '#shared/http/error-body.ts';

const statusByKind: Record<DomainError['kind'], number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export type ErrorResponse = {
  status: number;
  body: ErrorBody;
  exposed: boolean;
  headers?: Record<string, string>;
};

/**
 * The one place where errors become HTTP statuses. Domain errors are shown as they are; anything
 * else is a 500 that carries only the request id, never the error's message or stack.
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return {
      status: statusByKind[error.kind],
      body,
      exposed: true,
      // 429 and 503 say when to come back, when the error knows.
      ...(typeof retryAfter === 'number' ? { headers: { 'retry-after': String(retryAfter) } } : {}),
    };
  }
  return {
    status: 500,
    exposed: false,
    body: {
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side. Quote the request id if you report it.',
        details: { requestId },
      },
    },
  };
}
