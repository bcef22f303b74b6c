/** Fakes the API tests share: JSON answers and a fetch that remembers what it was asked. */

/** A JSON answer with `status`. */
export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export type Call = { url: string; init: RequestInit };

/** A fetch that answers `response()` to every request and records each request in `calls`. */
export function recorder(response: () => Response | Promise<Response>): {
  calls: Call[];
  fetch: typeof fetch;
} {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return response();
  };
  return { calls, fetch: fetchFn };
}

/** A request header of a recorded call. */
export const header = (call: Call | undefined, name: string): string | undefined =>
  (call?.init.headers as Record<string, string> | undefined)?.[name];

/** The JSON body of a recorded call. */
export const sent = (call: Call | undefined): Record<string, unknown> => JSON.parse(String(call?.init.body));
