/**
 * The one way the web app talks to the API (`/api/*` on the same origin): fetch, then turn every
 * outcome — success, API error, unreachable API, unexpected body — into a typed result that a
 * page can render without try/catch.
 */

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

export async function getJson<T>(
  path: string,
  parse: Parser<T>,
  options: GetJsonOptions = {},
): Promise<ApiResult<T>> {
  const { okStatuses = [200], timeoutMs = 10_000, fetch: fetchFn = globalThis.fetch } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetchFn(path, { headers: { accept: 'application/json' }, signal });
  } catch (cause) {
    if (options.signal?.aborted) throw cause; // the caller cancelled: not a problem to show
    const timedOut = timeout.aborted;
    return {
      ok: false,
      problem: {
        kind: 'unreachable',
        message: timedOut
          ? `The Nimbus API did not answer within ${Math.round(timeoutMs / 1000)} seconds.`
          : 'The Nimbus API could not be reached. Check your connection and try again.',
      },
    };
  }

  const { status } = response;
  const body = await readJson(response);

  if (okStatuses.includes(status)) {
    const data = body === undefined ? undefined : parse(body);
    if (data !== undefined) return { ok: true, status, data };
    // An accepted error status (e.g. the 503 of /api/health) may still carry the error shape.
    if (status < 400 || !parseErrorBody(body)) return { ok: false, problem: invalid(status, response, body) };
  }

  const error = parseErrorBody(body);
  if (error) return { ok: false, problem: { kind: 'http', status, ...error } };
  if (body === undefined && isHtml(response)) return { ok: false, problem: invalid(status, response, body) };
  return {
    ok: false,
    problem: {
      kind: 'http',
      status,
      code: `http_${status}`,
      message: `The Nimbus API answered with HTTP ${status}${response.statusText ? ` (${response.statusText})` : ''}.`,
    },
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
