import type * as z from 'zod';
import type { Grant } from '../identity/access.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Anyone, signed in or not. */
export const PUBLIC: Grant[] = [{ kind: 'anonymous' }];

/**
 * One HTTP operation of the API: the single source for its path, its request and response
 * schemas (zod) and its OpenAPI entry. Handlers parse with it, the OpenAPI document is generated
 * from it, and the topology routes to it by operationId.
 *
 * @example
 * export const getHealth = defineOperation({
 *   operationId: 'getHealth', method: 'GET', path: '/api/health', summary: 'Dependency health',
 *   tags: ['system'], access: PUBLIC, responses: { 200: HealthReport },
 * });
 */
export type Operation = {
  operationId: string;
  method: HttpMethod;
  /** API Gateway v2 route path, e.g. `/api/v1/stores/{store}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it: any one grant admits the caller (shared/src/identity/access.ts). */
  access: readonly Grant[];
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    body?: z.ZodType;
  };
  /** Accepts an `Idempotency-Key` header: a retry returns the first result. */
  idempotent?: boolean;
  /** Success responses by status; error responses are added to the document for every operation. */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType | null>>;
  /** Media type of the success body when it is not JSON (a PDF: `application/pdf`). */
  responseContentType?: string;
};

export function defineOperation<const O extends Operation>(operation: O): O {
  return operation;
}
