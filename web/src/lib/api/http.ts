/**
 * The one way the web app talks to the API (`/api/*` on the same origin): fetch, then turn every
 * outcome — success, API error, unreachable API, unexpected body — into a typed result that a
 * page can render without try/catch.
 */
import { newIdempotencyKey } from './idempotency.ts';

/** The API's one error shape: `{ "error": { "code", "message", "details"? } }`. */
export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Why a call did not produce the data the page needs. */
export type ApiProblem =
  /** The API could not be reached (offline, DNS, refused, timed out). */
  | { kind: 'unreachable'; message: string }
  /** The API answered with an error status (and, usually, the error shape). */
  | { kind: 'http'; status: number; code: string; message: string; details?: unknown }
  /** The API answered, but not with what this page understands (e.g. HTML instead of JSON). */
  | { kind: 'invalid'; status: number; message: string };

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; problem: ApiProblem };

/** Returns the value when `body` has the expected shape, `undefined` otherwise. */
export type Parser<T> = (body: unknown) => T | undefined;

export type GetJsonOptions = {
  /** Statuses whose body is the success shape (default: 200 only). */
  okStatuses?: readonly number[];
  /** Aborts the request; a timeout is applied on top. */
  signal?: AbortSignal;
  /** Milliseconds before the request is given up as unreachable (default 10 s). */
  timeoutMs?: number;
  /** Injected in tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
};

/** The options of a call whose success statuses are the API's own (every `fetchX(store, options)`). */
export type ApiOptions = Omit<GetJsonOptions, 'okStatuses'>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the API error shape, or `undefined` when `body` is something else. */
export function parseErrorBody(body: unknown): ApiErrorBody['error'] | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, details } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return details === undefined ? { code, message } : { code, message, details };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type RequestOptions = GetJsonOptions & {
  method?: Method;
  /** Sent as JSON (`content-type: application/json`). */
  body?: unknown;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
};

/** `GET` a JSON resource. */
export function getJson<T>(
  path: string,
  parse: Parser<T>,
  options: GetJsonOptions = {},
): Promise<ApiResult<T>> {
  return requestJson(path, parse, options);
}

/**
 * Any request whose successful answer carries a JSON body (`parse` reads it). The browser sends the
 * session cookie (same origin) and, for writes, the `Origin` header the API checks.
 */
export async function requestJson<T>(
  path: string,
  parse: Parser<T>,
  options: RequestOptions = {},
): Promise<ApiResult<T>> {
  const answer = await exchange(path, options);
  if ('problem' in answer) return { ok: false, problem: answer.problem };
  const { response, body } = answer;
  const { status } = response;
  if ((options.okStatuses ?? [200]).includes(status)) {
    const data = body === undefined ? undefined : parse(body);
    if (data !== undefined) return { ok: true, status, data };
    // An accepted error status (e.g. the 503 of /api/health) may still carry the error shape.
    if (status < 400 || !parseErrorBody(body)) return { ok: false, problem: invalid(status, response, body) };
  }
  return { ok: false, problem: errorProblem(response, body) };
}

/**
 * A `POST` that creates something: it carries an `Idempotency-Key` (a fresh one unless the caller
 * keeps one across retries), so a retried request returns the first result instead of creating twice.
 */
export function postOnce<T>(
  path: string,
  parse: Parser<T>,
  body: unknown,
  options: ApiOptions & { idempotencyKey?: string } = {},
  okStatuses: readonly number[] = [201],
): Promise<ApiResult<T>> {
  const { idempotencyKey = newIdempotencyKey(), ...rest } = options;
  return requestJson(path, parse, {
    ...rest,
    method: 'POST',
    body,
    okStatuses,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/**
 * A request whose successful answer has no body the page needs (`204 No Content`, `202 Accepted`):
 * the result carries `null` as data.
 */
export async function send(
  path: string,
  options: RequestOptions & { okStatuses: readonly number[] },
): Promise<ApiResult<null>> {
  const answer = await exchange(path, options);
  if ('problem' in answer) return { ok: false, problem: answer.problem };
  const { response, body } = answer;
  if (options.okStatuses.includes(response.status)) return { ok: true, status: response.status, data: null };
  return { ok: false, problem: errorProblem(response, body) };
}

async function exchange(
  path: string,
  options: RequestOptions,
): Promise<{ response: Response; body: unknown } | { problem: ApiProblem }> {
  const { method = 'GET', timeoutMs = 10_000, fetch: fetchFn = globalThis.fetch } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const init: RequestInit = { method, headers, signal };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetchFn(path, init);
  } catch (cause) {
    if (options.signal?.aborted) throw cause; // the caller cancelled: not a problem to show
    const timedOut = timeout.aborted;
    return {
      problem: {
        kind: 'unreachable',
        message: timedOut
          ? `The Nimbus API did not answer within ${Math.round(timeoutMs / 1000)} seconds.`
          : 'The Nimbus API could not be reached. Check your connection and try again.',
      },
    };
  }
  return { response, body: await readJson(response) };
}

/** An answer that is not the success the caller expected, as a problem. */
function errorProblem(response: Response, body: unknown): ApiProblem {
  const { status } = response;
  const error = parseErrorBody(body);
  if (error) return { kind: 'http', status, ...error };
  if (body === undefined && isHtml(response)) return invalid(status, response, body);
  return {
    kind: 'http',
    status,
    code: `http_${status}`,
    message: `The Nimbus API answered with HTTP ${status}${response.statusText ? ` (${response.statusText})` : ''}.`,
  };
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function isHtml(response: Response): boolean {
  return /text\/html/i.test(response.headers.get('content-type') ?? '');
}

function invalid(status: number, response: Response, body: unknown): ApiProblem {
  return {
    kind: 'invalid',
    status,
    message: isHtml(response)
      ? 'The Nimbus API is not available here: /api answered with a web page instead of JSON.'
      : body === undefined
        ? 'The Nimbus API answered with something other than JSON.'
        : 'The Nimbus API answered with data this page does not understand.',
  };
}
