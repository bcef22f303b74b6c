import type * as z from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call an operation. Identity (issue 3) refines this; the foundation knows only `public`. */
export type Access = { kind: 'public' };

/**
 * One HTTP operation of the API: the single source for its path, its request and response
 * schemas (zod) and its OpenAPI entry. Handlers parse with it, the OpenAPI document is generated
 * from it, and the topology routes to it by operationId.
 *
 * @example
 * export const getHealth = defineOperation({
 *   operationId: 'getHealth', method: 'GET', path: '/api/health', summary: 'Dependency health',
 *   tags: ['system'], access: { kind: 'public' }, responses: { 200: HealthReport },
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
  access: Access;
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    body?: z.ZodType;
  };
  /** Accepts an `Idempotency-Key` header: a retry returns the first result. */
  idempotent?: boolean;
  /** Success responses by status; error responses are added to the document for every operation. */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType | null>>;
};

export function defineOperation<const O extends Operation>(operation: O): O {
  return operation;
}
