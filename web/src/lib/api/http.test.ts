import { describe, expect, it } from 'vitest';
import { fetchHealth, parseHealthReport } from './health.ts';
import { getJson, parseErrorBody } from './http.ts';
import { fetchStorefront, parseStorefront } from './storefront.ts';
import { json, recorder } from './testing.ts';

const fakeFetch = (answer: () => Response | Promise<Response>): typeof fetch => recorder(answer).fetch;

const demo = { slug: 'demo', name: 'Demo Cloud', defaultCurrency: 'EUR', defaultLanguage: 'en' };
const report = {
  status: 'degraded',
  checkedAt: '2026-11-23T10:00:00.000Z',
  dependencies: [
    { name: 'dynamodb', status: 'ok', latencyMs: 12 },
    { name: 'eventbus', status: 'degraded', latencyMs: 1840, detail: 'slow' },
  ],
};

describe('getJson', () => {
  it('returns the parsed body of a 200', async () => {
    const result = await fetchStorefront('demo', { fetch: fakeFetch(() => json(200, demo)) });
    expect(result).toEqual({ ok: true, status: 200, data: demo });
  });

  it('maps the API error shape to an http problem with its status, code and message', async () => {
    const body = { error: { code: 'store_not_found', message: 'No store "x".', details: { slug: 'x' } } };
    const result = await fetchStorefront('x', { fetch: fakeFetch(() => json(404, body)) });
    expect(result).toEqual({ ok: false, problem: { kind: 'http', status: 404, ...body.error } });
  });

  it('reports an error status without the error shape', async () => {
    const result = await getJson('/api/x', parseStorefront, {
      fetch: fakeFetch(() => new Response('oops', { status: 502, statusText: 'Bad Gateway' })),
    });
    expect(result).toMatchObject({ ok: false, problem: { kind: 'http', status: 502, code: 'http_502' } });
  });

  it('reports an unreachable API when fetch rejects', async () => {
    const result = await getJson('/api/x', parseStorefront, {
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(result).toMatchObject({ ok: false, problem: { kind: 'unreachable' } });
  });

  it('gives up after the timeout', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const result = await getJson('/api/x', parseStorefront, { fetch: hang, timeoutMs: 20 });
    expect(result).toMatchObject({ ok: false, problem: { kind: 'unreachable', message: /did not answer/ } });
  });

  it('rethrows when the caller aborts, so a cancelled request shows nothing', async () => {
    const controller = new AbortController();
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const pending = getJson('/api/x', parseStorefront, { fetch: hang, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('says so when /api answers with the HTML fallback page', async () => {
    const html = new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const result = await getJson('/api/x', parseStorefront, { fetch: fakeFetch(() => html) });
    expect(result).toMatchObject({
      ok: false,
      problem: { kind: 'invalid', status: 200, message: /web page/ },
    });
  });

  it('rejects a 200 whose body has the wrong shape', async () => {
    const result = await fetchStorefront('demo', { fetch: fakeFetch(() => json(200, { slug: 'demo' })) });
    expect(result).toMatchObject({ ok: false, problem: { kind: 'invalid', status: 200 } });
  });
});

describe('fetchHealth', () => {
  it('reads the report from a 200 and from a 503', async () => {
    for (const status of [200, 503]) {
      const result = await fetchHealth({ fetch: fakeFetch(() => json(status, report)) });
      expect(result).toEqual({ ok: true, status, data: report });
    }
  });

  it('treats a 503 with the error shape as a problem', async () => {
    const body = { error: { code: 'unavailable', message: 'Down for maintenance.' } };
    const result = await fetchHealth({ fetch: fakeFetch(() => json(503, body)) });
    expect(result).toMatchObject({ ok: false, problem: { kind: 'http', status: 503, code: 'unavailable' } });
  });
});

describe('parsers', () => {
  it('parseHealthReport rejects unknown statuses, bad dates and bad latencies', () => {
    expect(parseHealthReport(report)).toEqual(report);
    expect(parseHealthReport({ ...report, status: 'fine' })).toBeUndefined();
    expect(parseHealthReport({ ...report, checkedAt: 'yesterday' })).toBeUndefined();
    expect(
      parseHealthReport({ ...report, dependencies: [{ name: 'sqs', status: 'ok', latencyMs: -1 }] }),
    ).toBeUndefined();
  });

  it('parseStorefront keeps only the known fields', () => {
    expect(parseStorefront({ ...demo, extra: true })).toEqual(demo);
    expect(parseStorefront([])).toBeUndefined();
  });

  it('parseErrorBody reads only the error shape', () => {
    expect(parseErrorBody({ error: { code: 'c', message: 'm' } })).toEqual({ code: 'c', message: 'm' });
    expect(parseErrorBody({ error: 'nope' })).toBeUndefined();
    expect(parseErrorBody({ message: 'm' })).toBeUndefined();
  });
});
