/**
 * The reference platform over real HTTP: webhooks signed by Nimbus's signer go in, and a fake
 * "Nimbus" records the callbacks and usage batches that come out. Callbacks are checked with the
 * `standardwebhooks` package, as Nimbus's provisioningCallback (or any receiver) would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newWebhookSecret, signWebhook } from '#functions/provisioning/webhook-signature.ts';
import {
  inSpike,
  PLATFORM_PATH,
  type PlatformConfig,
  ReferencePlatform,
  SPIKE_PERIOD_MS,
  usageCalls,
  usageSample,
} from './reference-platform.ts';

type Recorded = { path: string; headers: IncomingHttpHeaders; body: string };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A stand-in for Nimbus: records every request; `statuses` are answered in turn, then 200. */
async function fakeNimbus(statuses: number[] = []) {
  const requests: Recorded[] = [];
  const url = await listen(
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const status = statuses.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 200 ? { result: 'applied' } : { error: 'nope' }));
      });
    }),
  );
  return {
    url,
    callbacks: () => requests.filter((r) => r.path.endsWith('/provisioning/callbacks')),
    usage: () => requests.filter((r) => r.path.endsWith('/usage')),
  };
}

async function startPlatform(config: Partial<PlatformConfig> & { nimbusUrl: string }, dataDir?: string) {
  const secret = newWebhookSecret();
  const platform = new ReferencePlatform({ dataDir, callbackRetryMs: 20 });
  platform.configure({ store: 'demo', secrets: [secret], activationDelayMs: 20, ...config });
  cleanups.push(() => platform.stop());
  const url = await listen(
    createServer((request, response) => {
      if (!platform.serve(request, response)) response.writeHead(404).end();
    }),
  );
  return { platform, secret: config.secrets?.[0] ?? secret, base: `${url}${PLATFORM_PATH}` };
}

let sequence = 0;
function event(type: string, subscriptionId: string, nimbusUrl: string, extra: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    id: `evt_${sequence}_${Math.random().toString(36).slice(2)}`,
    type: `service.${type}`,
    time: new Date().toISOString(),
    store: 'demo',
    data: {
      subscriptionId,
      sequence,
      state: 'provisioning',
      product: { id: 'prd_1', slug: 'managed-postgresql', name: 'Managed PostgreSQL', kind: 'paas' },
      configuration: { dimensions: { vcpu: 2, ram_gb: 4, storage_gb: 50 }, options: { version: 'v16' } },
      customer: { id: 'cus_1' },
      callbackUrl: `${nimbusUrl}/api/v1/stores/demo/provisioning/callbacks`,
      ...extra,
    },
  };
}

async function send(
  base: string,
  payload: { id: string },
  secrets: string[],
  options: { now?: Date; tamper?: (body: string) => string; id?: string } = {},
) {
  const body = JSON.stringify(payload);
  const headers = signWebhook({
    id: options.id ?? payload.id,
    body,
    secrets,
    now: options.now ?? new Date(),
  });
  const response = await fetch(`${base}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: options.tamper ? options.tamper(body) : body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function admin(base: string, path: string, body: unknown) {
  const response = await fetch(`${base}/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 2_000, interval: 10 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the reference platform: signatures', () => {
  it('accepts a valid signature and rejects tampered, stale and unsigned webhooks with 401', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });

    const valid = await send(base, event('start', 'sub_SIG', nimbus.url), [secret]);
    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({ status: 'active' });

    const tampered = await send(base, event('stop', 'sub_SIG', nimbus.url), [secret], {
      tamper: (body) => body.replace('service.stop', 'service.terminate'),
    });
    expect(tampered.status).toBe(401);
    const stale = await send(base, event('stop', 'sub_SIG', nimbus.url), [secret], {
      now: new Date(Date.now() - 10 * 60_000),
    });
    expect(stale.status).toBe(401);
    const wrongSecret = await send(base, event('stop', 'sub_SIG', nimbus.url), [newWebhookSecret()]);
    expect(wrongSecret.status).toBe(401);
    const unsigned = await fetch(`${base}/webhooks`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);

    // Nothing rejected was acted on; the log says which were valid.
    expect(platform.list()[0]?.state).toBe('active');
    expect(platform.receivedWebhooks().map((r) => [r.type, r.signatureValid, r.status])).toEqual([
      ['service.start', true, 200],
      ['service.terminate', false, 401],
      ['service.stop', false, 401],
      ['service.stop', false, 401],
      [null, false, 401],
    ]);
  });

  it('during a rotation accepts webhooks signed with either secret, or both', async () => {
    const nimbus = await fakeNimbus();
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const { base } = await startPlatform({ nimbusUrl: nimbus.url, secrets: [current, previous] });

    expect((await send(base, event('start', 'sub_ROT', nimbus.url), [previous])).status).toBe(200);
    expect((await send(base, event('stop', 'sub_ROT', nimbus.url), [current])).status).toBe(200);
    expect((await send(base, event('start', 'sub_ROT', nimbus.url), [current, previous])).status).toBe(200);
    expect((await send(base, event('stop', 'sub_ROT', nimbus.url), [newWebhookSecret()])).status).toBe(401);
  });
});

describe('the reference platform: activation', () => {
  it('answers 202, then calls back `activated` with access details, signed with the current secret', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });

    const answer = await send(base, event('activate', 'sub_01ABC', nimbus.url), [secret]);
    expect(answer).toEqual({ status: 202, body: { status: 'provisioning' } });
    expect(platform.list()[0]?.state).toBe('provisioning');

    await waitFor(() => expect(nimbus.callbacks()).toHaveLength(1));
    const [callback] = nimbus.callbacks();
    const verified = new Webhook(secret).verify(
      callback?.body as string,
      callback?.headers as Record<string, string>,
    ) as Record<string, unknown>;
    expect(verified).toEqual({
      id: expect.stringMatching(/^cb_/),
      subscriptionId: 'sub_01ABC',
      type: 'activated',
      occurredAt: expect.any(String),
      access: {
        url: 'https://sub_01abc.platform.localhost',
        username: 'admin',
        password: expect.stringMatching(/^[\w-]{20,}$/),
      },
    });
    expect(callback?.headers['webhook-id']).toBe(verified.id);
    expect(platform.list()[0]).toMatchObject({
      state: 'active',
      access: verified.access,
      lastSequence: sequence,
    });
  });

  it('acts once on a duplicate webhook-id and answers the repeat the same way', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });
    const activate = event('activate', 'sub_DUP', nimbus.url);

    const first = await send(base, activate, [secret]);
    const repeat = await send(base, activate, [secret]);
    expect(repeat).toEqual(first);
    await waitFor(() => expect(nimbus.callbacks()).toHaveLength(1));
    await sleep(80);
    expect(nimbus.callbacks()).toHaveLength(1);
    expect(platform.receivedWebhooks().map((r) => r.outcome)).toEqual(['applied', 'duplicate']);
  });

  it('retries a callback Nimbus answers with 5xx, and stops at a 4xx', async () => {
    const nimbus = await fakeNimbus([503, 502, 200, 409]);
    const { secret, base } = await startPlatform({ nimbusUrl: nimbus.url });

    await send(base, event('activate', 'sub_RETRY', nimbus.url), [secret]);
    await waitFor(() => expect(nimbus.callbacks()).toHaveLength(3));
    const ids = nimbus.callbacks().map((c) => c.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1); // one callback, retried under its id

    await send(base, event('activate', 'sub_REJECTED', nimbus.url), [secret]);
    await waitFor(() => expect(nimbus.callbacks()).toHaveLength(4));
    await sleep(100);
    expect(nimbus.callbacks()).toHaveLength(4);
  });

  it('sync mode answers 200 with access at once; fail mode calls back `failed`; silent never confirms', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });

    expect((await admin(base, 'mode', { activation: 'sync' })).status).toBe(200);
    const sync = await send(base, event('activate', 'sub_SYNC', nimbus.url), [secret]);
    expect(sync.status).toBe(200);
    expect(sync.body).toEqual({
      status: 'active',
      access: { url: 'https://sub_sync.platform.localhost', username: 'admin', password: expect.any(String) },
    });

    await admin(base, 'mode', { activation: 'fail' });
    expect((await send(base, event('activate', 'sub_FAIL', nimbus.url), [secret])).status).toBe(202);
    await waitFor(() => expect(nimbus.callbacks()).toHaveLength(1));
    expect(JSON.parse(nimbus.callbacks()[0]?.body as string)).toMatchObject({
      subscriptionId: 'sub_FAIL',
      type: 'failed',
      reason: expect.any(String),
    });

    await admin(base, 'mode', { activation: 'silent' });
    expect((await send(base, event('activate', 'sub_SILENT', nimbus.url), [secret])).status).toBe(202);
    await sleep(150);
    expect(nimbus.callbacks()).toHaveLength(1);
    const states = Object.fromEntries(platform.list().map((s) => [s.subscriptionId, s.state]));
    expect(states).toEqual({ sub_SYNC: 'active', sub_FAIL: 'failed', sub_SILENT: 'provisioning' });

    expect((await admin(base, 'mode', { activation: 'later' })).status).toBe(400);
  });
});

describe('the reference platform: lifecycle', () => {
  it('answers an outage status while down, then takes the retried webhook once', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });
    const start = event('start', 'sub_DOWN', nimbus.url);

    expect(await admin(base, 'outage', { down: true, status: 503 })).toMatchObject({ status: 200 });
    expect((await send(base, start, [secret])).status).toBe(503);
    expect(platform.list()).toEqual([]);

    await admin(base, 'outage', { down: false });
    expect((await send(base, start, [secret])).status).toBe(200);
    expect((await send(base, start, [secret])).status).toBe(200);
    expect(platform.receivedWebhooks().map((r) => [r.status, r.outcome])).toEqual([
      [503, 'outage'],
      [200, 'applied'],
      [200, 'duplicate'],
    ]);
    expect(platform.list()[0]?.history.filter((h) => h.what.startsWith('start'))).toHaveLength(1);
  });

  it('applies stop, resize and terminate, and ignores a lower sequence', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({ nimbusUrl: nimbus.url });
    await admin(base, 'mode', { activation: 'sync' });
    await send(base, event('activate', 'sub_LIFE', nimbus.url), [secret]);
    const late = event('stop', 'sub_LIFE', nimbus.url); // made before the resize, delivered after it

    const resize = event('resize', 'sub_LIFE', nimbus.url, {
      configuration: { dimensions: { vcpu: 4, ram_gb: 8, storage_gb: 50 } },
    });
    expect((await send(base, resize, [secret])).body).toEqual({ status: 'active' });
    expect(await send(base, late, [secret])).toEqual({
      status: 200,
      body: { ignored: 'stale', lastSequence: resize.data.sequence },
    });
    expect(platform.list()[0]).toMatchObject({
      state: 'active',
      configuration: { dimensions: { vcpu: 4 } },
    });
    expect((await send(base, event('terminate', 'sub_LIFE', nimbus.url), [secret])).body).toEqual({
      status: 'terminated',
    });
  });

  it('keeps its services in the data folder across restarts and shows them at GET /_platform', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'platform-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const nimbus = await fakeNimbus();
    const first = await startPlatform({ nimbusUrl: nimbus.url }, dataDir);
    await send(first.base, event('activate', 'sub_KEPT', nimbus.url), [first.secret]);
    await waitFor(() => expect(first.platform.list()[0]?.state).toBe('active'));
    first.platform.stop();

    const second = await startPlatform({ nimbusUrl: nimbus.url }, dataDir);
    expect(second.platform.list()[0]).toMatchObject({ subscriptionId: 'sub_KEPT', state: 'active' });
    const page = await fetch(second.base);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('sub_KEPT');
    const services = (await (await fetch(`${second.base}/services`)).json()) as {
      services: Array<{ subscriptionId: string }>;
    };
    expect(services.services[0]?.subscriptionId).toBe('sub_KEPT');
  });
});

describe('the reference platform: usage', () => {
  it('posts CloudEvents-shaped batches for active services with the API key, spikes above 85', async () => {
    const nimbus = await fakeNimbus();
    const { platform, secret, base } = await startPlatform({
      nimbusUrl: nimbus.url,
      apiKey: 'nmb_test_key',
      usageIntervalMs: 40,
    });
    await admin(base, 'mode', { activation: 'sync' });
    await send(base, event('activate', 'sub_USE', nimbus.url), [secret]);
    await send(base, event('activate', 'sub_IDLE', nimbus.url), [secret]);
    await send(base, event('stop', 'sub_IDLE', nimbus.url), [secret]);
    expect((await admin(base, 'spike', { subscriptionId: 'sub_USE', minutes: 1 })).status).toBe(200);
    expect((await admin(base, 'spike', { subscriptionId: 'sub_NONE' })).status).toBe(404);

    await waitFor(() => expect(nimbus.usage().length).toBeGreaterThanOrEqual(2));
    platform.stop();
    const batches = nimbus.usage();
    expect(batches[0]?.path).toBe('/api/v1/stores/demo/usage');
    expect(batches[0]?.headers.authorization).toBe('Bearer nmb_test_key');
    const events = batches.flatMap((batch) => JSON.parse(batch.body).events);
    for (const usage of events) {
      expect(usage).toEqual({
        specversion: '1.0',
        id: expect.stringMatching(/^u-/),
        source: expect.any(String),
        type: 'nimbus.usage.v1',
        subject: 'sub_USE', // the stopped service reports nothing
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        data: { metric: expect.any(String), value: expect.any(Number) },
      });
      expect(usage.data.value).toBeGreaterThan(0);
    }
    expect(new Set(events.map((e: { id: string }) => e.id)).size).toBe(events.length);
    const metrics = new Set(events.map((e: { data: { metric: string } }) => e.data.metric));
    expect(metrics).toEqual(new Set(['cpu_pct', 'memory_pct', 'storage_used_gb', 'egress_gb']));
    const cpu = events.filter((e: { data: { metric: string } }) => e.data.metric === 'cpu_pct');
    expect(cpu.every((e: { data: { value: number } }) => e.data.value > 85)).toBe(true);
  });

  it('sends a tick of 130 services in two calls of whole services, the first full', () => {
    const services = Array.from({ length: 130 }, (_, index) =>
      ['cpu_pct', 'memory_pct', 'storage_used_gb', 'egress_gb'].map((metric) => `sub_${index}:${metric}`),
    );
    const calls = usageCalls(services);
    expect(calls.map((call) => call.length)).toEqual([500, 20]);
    // A service's four records are together, in one call, side by side.
    for (const call of calls) {
      for (let offset = 0; offset < call.length; offset += 4) {
        const owners = new Set(call.slice(offset, offset + 4).map((record) => record.split(':')[0]));
        expect(owners.size).toBe(1);
      }
    }
    expect(calls.flat()).toEqual(services.flat());
    // Groups are never split: 3 × 200 records go as 400 + 200, not 500 + 100.
    expect(
      usageCalls([Array(200).fill('a'), Array(200).fill('b'), Array(200).fill('c')]).map(
        (call) => call.length,
      ),
    ).toEqual([400, 200]);
  });

  it('logs a failing usage post and carries on', async () => {
    const nimbus = await fakeNimbus([500]);
    const log = vi.fn();
    const platform = new ReferencePlatform({ log });
    cleanups.push(() => platform.stop());
    platform.configure({
      nimbusUrl: nimbus.url,
      store: 'demo',
      secrets: [newWebhookSecret()],
      apiKey: 'k',
      usageIntervalMs: 60_000,
    });
    platform.setMode('sync');
    const body = JSON.stringify(event('activate', 'sub_ERR', nimbus.url));
    const secret = platform.settings?.secrets[0] as string;
    const headers = signWebhook({ id: 'evt_err', body, secrets: [secret], now: new Date() });
    // Straight through serve's handler: a fake request is more code than it is worth here.
    const server = createServer((request, response) => void platform.serve(request, response));
    const url = await listen(server);
    await fetch(`${url}${PLATFORM_PATH}/webhooks`, { method: 'POST', headers, body });
    await platform.reportUsage();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('usage: 500'));
    await platform.reportUsage();
    expect(nimbus.usage()).toHaveLength(2);
  });

  it('samples a baseline of 20–45 % cpu and one spike of 86–98 % in every 20 minutes, storage bounded', () => {
    const start = Date.UTC(2026, 11, 4);
    for (const id of ['sub_A', 'sub_B', 'sub_C']) {
      const minutes = Array.from({ length: 20 }, (_, minute) => start + minute * 60_000);
      const samples = minutes.map((at) => usageSample({ subscriptionId: id, at, intervalMs: 60_000 }));
      const spiking = samples.filter((s) => s.spiking);
      expect(spiking.length).toBeGreaterThanOrEqual(3);
      expect(spiking.length).toBeLessThanOrEqual(5);
      for (const s of spiking) expect(s.cpuPct).toBeGreaterThan(85);
      for (const s of samples.filter((x) => !x.spiking)) {
        expect(s.cpuPct).toBeGreaterThanOrEqual(20);
        expect(s.cpuPct).toBeLessThanOrEqual(45);
      }
      // Deterministic per service: the same window a period later.
      expect(inSpike(id, start + SPIKE_PERIOD_MS)).toBe(inSpike(id, start));
    }
    let used: number | undefined;
    for (let hour = 0; hour < 2_000; hour++) {
      used = usageSample({
        subscriptionId: 'sub_A',
        at: start,
        intervalMs: 3_600_000,
        storageGb: 50,
        storageUsedGb: used,
      }).storageUsedGb;
    }
    expect(used).toBe(47.5);
  });
});
