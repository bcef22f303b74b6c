import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/time/clock.ts';

export type StoredResponse = { statusCode: number; body: string; headers: Record<string, string> };

export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string }
  | { status: 'completed'; requestHash: string; response: StoredResponse };

/** Remembers which idempotency keys were used, for which request, with which response. */
export interface IdempotencyStore {
  /** Claims the key for this request; returns the existing record when someone holds or used it. */
  claim(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyRecord | undefined>;
  complete(
    scope: string,
    key: string,
    requestHash: string,
    response: StoredResponse,
    now: Date,
  ): Promise<void>;
  /** Forgets a claim whose request failed, so a retry runs again. */
  release(scope: string, key: string): Promise<void>;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** What makes two requests "the same": method, path, query and body. */
export function requestFingerprint(event: APIGatewayProxyEventV2): string {
  const { method } = event.requestContext.http;
  return createHash('sha256')
    .update(`${method} ${event.rawPath}?${event.rawQueryString ?? ''}\n${event.body ?? ''}`)
    .digest('base64url');
}

type Options = {
  store: () => IdempotencyStore;
  /** Whose keys these are: the tenant (and later the principal), so two callers never collide. */
  scope: (event: APIGatewayProxyEventV2) => string;
  clock: Clock;
};

type Claim = { scope: string; key: string; requestHash: string };

/**
 * Middy middleware for POSTs that create or charge: with an `Idempotency-Key` header, the first
 * request runs and its response is stored; a retry with the same key and request gets that response
 * again (header `Idempotent-Replayed: true`); the same key with another request is a 409; a retry
 * while the first is still running is a 409 that says to retry later. Without the header the
 * request simply runs. Responses of 5xx are not stored, so the retry runs again.
 */
export function idempotency(
  options: Options,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const claims = new WeakMap<object, Claim>();

  return {
    before: async (request) => {
      const key = request.event.headers?.[IDEMPOTENCY_HEADER];
      if (key === undefined) return;
      if (!KEY_FORMAT.test(key)) {
        throw new ValidationError(
          'invalid_idempotency_key',
          'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces',
          [{ path: 'header.idempotency-key', message: 'invalid format', code: 'invalid_format' }],
        );
      }
      const claim = {
        scope: options.scope(request.event),
        key,
        requestHash: requestFingerprint(request.event),
      };
      const existing = await options.store().claim(claim.scope, key, claim.requestHash, options.clock.now());
      if (!existing) {
        claims.set(request.event, claim);
        return;
      }
      if (existing.requestHash !== claim.requestHash) {
        throw new ConflictError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request; use a new key for a new request',
        );
      }
      if (existing.status === 'in_progress') {
        throw new ConflictError(
          'request_in_progress',
          'A request with this Idempotency-Key is still being processed; retry in a moment',
        );
      }
      return {
        ...existing.response,
        headers: { ...existing.response.headers, [REPLAYED_HEADER]: 'true' },
      };
    },
    after: async (request) => {
      const claim = claims.get(request.event);
      const response = request.response;
      if (!claim || !response) return;
      const statusCode = response.statusCode ?? 200;
      if (statusCode >= 500) {
        await options.store().release(claim.scope, claim.key);
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      await options
        .store()
        .complete(
          claim.scope,
          claim.key,
          claim.requestHash,
          { statusCode, body: response.body ?? '', headers },
          options.clock.now(),
        );
    },
    onError: async (request) => {
      const claim = claims.get(request.event);
      if (claim) await options.store().release(claim.scope, claim.key);
    },
  };
}
