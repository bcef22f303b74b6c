/**
 * The local reference provisioning platform: a small merchant platform that implements the
 * contract of docs/provisioning.md, served by the runtime at /_platform. It verifies Nimbus's
 * webhooks with the `standardwebhooks` package (as a platform in any language would), "provisions"
 * after a short delay and calls back with access details, keeps each service's state, and reports
 * plausible usage for running services, with load spikes that make demo capacity triggers fire.
 * Admin controls (outage, activation mode, forced spike) exist for tests and demos: local only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';
import { signWebhook } from '#functions/provisioning/webhook-signature.ts';
import type { RuntimeLog } from './runtime-log.ts';

export const PLATFORM_PATH = '/_platform';
export const PLATFORM_STATE_FILE = 'reference-platform.json';

const MAX_BODY_BYTES = 1024 * 1024;
const USAGE_BATCH = 500;
const SEEN_IDS_KEPT = 5_000;
const RECEIVED_KEPT = 10_000;
const HISTORY_KEPT = 50;
const CALLBACK_ATTEMPTS = 5;
/** One load spike per service every 20 minutes, 4 minutes long, at a phase of its own. */
export const SPIKE_PERIOD_MS = 20 * 60_000;
export const SPIKE_LENGTH_MS = 4 * 60_000;

export type PlatformConfig = {
  nimbusUrl: string;
  store: string;
  /** The connector's signing secrets: the current one first, then (during a rotation) the previous. */
  secrets: string[];
  /** A merchant API key with the `usage:write` scope; without it no usage is sent. */
  apiKey?: string | undefined;
  usageIntervalMs?: number | undefined;
  activationDelayMs?: number | undefined;
};

export type ActivationMode = 'async' | 'sync' | 'fail' | 'silent';

export type Access = { url: string; username: string; password: string };

export type PlatformService = {
  subscriptionId: string;
  state: 'provisioning' | 'active' | 'stopped' | 'suspended' | 'terminated' | 'failed';
  product?: { id: string; slug?: string | undefined; name?: string | undefined } | undefined;
  configuration: Configuration;
  access?: Access | undefined;
  lastSequence: number;
  storageUsedGb?: number | undefined;
  /** A load spike forced through /admin/spike, until this epoch ms. */
  spikeUntil?: number | undefined;
  /** An activation answered 202 and not called back yet (resumed after a restart). */
  pending?: { outcome: 'activated' | 'failed'; callbackUrl: string } | undefined;
  history: Array<{ at: string; what: string }>;
  updatedAt: string;
};

export type ReceivedWebhook = {
  receivedAt: number;
  webhookId: string | null;
  type: string | null;
  subscriptionId: string | null;
  sequence: number | null;
  signatureValid: boolean;
  status: number;
  outcome: 'applied' | 'duplicate' | 'stale' | 'ignored' | 'rejected' | 'invalid' | 'outage' | 'unconfigured';
};

const Configuration = z.looseObject({
  dimensions: z.record(z.string(), z.number()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
type Configuration = z.infer<typeof Configuration>;

const WebhookEvent = z.looseObject({
  id: z.string(),
  type: z.string(),
  time: z.string().optional(),
  store: z.string().optional(),
  data: z.looseObject({
    subscriptionId: z.string().min(1),
    // Nimbus always sends it; tolerated when missing so an older sender still works.
    sequence: z.number().int().nonnegative().optional(),
    product: z
      .looseObject({ id: z.string(), slug: z.string().optional(), name: z.string().optional() })
      .optional(),
    configuration: Configuration.optional(),
    callbackUrl: z.url().optional(),
  }),
});
type WebhookEvent = z.infer<typeof WebhookEvent>;

const OutageRequest = z.strictObject({
  down: z.boolean(),
  status: z.number().int().min(400).max(599).optional(),
});
const ModeRequest = z.strictObject({ activation: z.enum(['async', 'sync', 'fail', 'silent']) });
const SpikeRequest = z.strictObject({
  subscriptionId: z.string().min(1),
  minutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
});

/** The state a lifecycle step leaves a service in on the platform. */
const STATE_AFTER: Record<string, PlatformService['state']> = {
  'service.start': 'active',
  'service.resume': 'active',
  'service.stop': 'stopped',
  'service.suspend': 'suspended',
  'service.terminate': 'terminated',
};

/** FNV-1a: a stable number per service, so its spike phase survives restarts. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Whether a service is in its periodic load spike at `at` (or in one forced until `forcedUntil`). */
export function inSpike(subscriptionId: string, at: number, forcedUntil?: number): boolean {
  if (forcedUntil !== undefined && forcedUntil > at) return true;
  const phase = stableHash(subscriptionId) % SPIKE_PERIOD_MS;
  return (((at - phase) % SPIKE_PERIOD_MS) + SPIKE_PERIOD_MS) % SPIKE_PERIOD_MS < SPIKE_LENGTH_MS;
}

export type UsageSample = {
  spiking: boolean;
  cpuPct: number;
  memoryPct: number;
  storageUsedGb: number;
  egressGb: number;
};

/**
 * One sample of a service's load: cpu 20–45 % with noise, 86–98 % in a spike; memory following
 * it; storage growing slowly up to 95 % of the configured `storage_gb`; egress since the last
 * sample (larger in a spike). `random` is injected so tests can pin the noise.
 */
export function usageSample(input: {
  subscriptionId: string;
  at: number;
  intervalMs: number;
  storageGb?: number | undefined;
  storageUsedGb?: number | undefined;
  forcedSpikeUntil?: number | undefined;
  random?: () => number;
}): UsageSample {
  const random = input.random ?? Math.random;
  const spiking = inSpike(input.subscriptionId, input.at, input.forcedSpikeUntil);
  const phase = stableHash(input.subscriptionId);
  const wave = Math.sin((2 * Math.PI * (input.at + phase)) / (9 * 60_000));
  const cpuPct = spiking ? 86 + 12 * random() : clamp(32.5 + 7 * wave + (random() - 0.5) * 11, 20, 45);
  const memoryPct = spiking
    ? 70 + 20 * random()
    : clamp(45 + 0.3 * (cpuPct - 32) + (random() - 0.5) * 6, 30, 65);
  const minutes = input.intervalMs / 60_000;
  const limit = input.storageGb && input.storageGb > 0 ? input.storageGb : undefined;
  const start = input.storageUsedGb ?? (limit ? limit * 0.2 : 5);
  const growth = minutes * ((limit ?? 10) / 6_000) * (0.5 + random());
  const storageUsedGb = Math.min(start + growth, limit ? limit * 0.95 : Number.POSITIVE_INFINITY);
  const egressGb = Math.max(minutes * (0.002 + 0.004 * random()) * (spiking ? 6 : 1), 0.0001);
  return {
    spiking,
    cpuPct: round(cpuPct, 1),
    memoryPct: round(memoryPct, 1),
    storageUsedGb: round(storageUsedGb, 3),
    egressGb: round(egressGb, 4),
  };
}

/**
 * A tick's records in as few calls as the API takes (≤ 500 records each), a service's records
 * never split between calls: Nimbus writes a service's metrics of one 5-minute bucket as one item,
 * so a service together in a call costs one write (docs/provisioning.md, "Usage").
 *
 * @example usageCalls([[a1, a2, a3, a4], [b1, b2, b3, b4]], 500) // [[a1, a2, a3, a4, b1, b2, b3, b4]]
 */
export function usageCalls<T>(services: T[][], max = USAGE_BATCH): T[][] {
  const calls: T[][] = [];
  let call: T[] = [];
  for (const records of services) {
    if (call.length > 0 && call.length + records.length > max) {
      calls.push(call);
      call = [];
    }
    call.push(...records);
  }
  if (call.length > 0) calls.push(call);
  return calls;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Answer = { status: number; body: unknown };

export class ReferencePlatform {
  private config: PlatformConfig | undefined;
  private mode: ActivationMode = 'async';
  private outage: { down: boolean; status: number } = { down: false, status: 503 };
  private readonly services = new Map<string, PlatformService>();
  /** webhook-id → the answer given, replayed to a repeat without acting again. */
  private readonly seen = new Map<string, Answer>();
  private readonly received: ReceivedWebhook[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private usageTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly file: string | undefined;
  private readonly log: RuntimeLog;
  private readonly callbackRetryMs: number;

  constructor(options: { dataDir?: string | undefined; log?: RuntimeLog; callbackRetryMs?: number } = {}) {
    this.file = options.dataDir && join(options.dataDir, PLATFORM_STATE_FILE);
    this.log = options.log ?? (() => undefined);
    this.callbackRetryMs = options.callbackRetryMs ?? 1_000;
    this.load();
  }

  /** What it was configured with (undefined until `configure`). */
  get settings(): PlatformConfig | undefined {
    return this.config && { ...this.config, secrets: [...this.config.secrets] };
  }

  /**
   * Points the platform at a Nimbus store; callable again (a rotated secret, a shorter interval).
   * Restarts the usage timer and resumes activations a restart interrupted.
   */
  configure(config: PlatformConfig): void {
    if (config.secrets.length === 0) throw new Error('the reference platform needs at least one secret');
    this.config = { ...config, secrets: [...config.secrets] };
    this.stopped = false;
    if (this.usageTimer) clearInterval(this.usageTimer);
    const interval = config.usageIntervalMs ?? 60_000;
    this.usageTimer = setInterval(() => void this.reportUsage(), interval);
    this.usageTimer.unref();
    for (const service of this.services.values()) {
      if (service.pending) this.later(this.activationDelay(), () => this.confirm(service.subscriptionId));
    }
  }

  /** Clears every timer and writes the state out. */
  stop(): void {
    this.stopped = true;
    if (this.usageTimer) clearInterval(this.usageTimer);
    this.usageTimer = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.save();
    }
  }

  list(): PlatformService[] {
    return [...this.services.values()].map((service) => structuredClone(service));
  }

  receivedWebhooks(): ReceivedWebhook[] {
    return this.received.map((entry) => ({ ...entry }));
  }

  /** Handles /_platform requests; false for other paths. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path !== PLATFORM_PATH && !path.startsWith(`${PLATFORM_PATH}/`)) return false;
    const action = path.slice(PLATFORM_PATH.length) || '/';
    const route = `${request.method} ${action}`;
    const answer = ({ status, body }: Answer) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    if (route === 'GET /') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(this.statusPage());
      return true;
    }
    if (route === 'GET /services') {
      answer({ status: 200, body: { mode: this.mode, outage: this.outage, services: this.list() } });
      return true;
    }
    if (route === 'GET /received') {
      answer({ status: 200, body: { items: this.receivedWebhooks() } });
      return true;
    }
    const handlers: Record<string, (raw: Buffer) => Answer> = {
      'POST /webhooks': (raw) => this.receive(raw, request.headers),
      'POST /admin/outage': (raw) => this.admin(raw, OutageRequest, (body) => this.setOutage(body)),
      'POST /admin/mode': (raw) => this.admin(raw, ModeRequest, (body) => this.setMode(body.activation)),
      'POST /admin/spike': (raw) => this.admin(raw, SpikeRequest, (body) => this.spike(body)),
    };
    const handler = handlers[route];
    if (!handler) {
      answer({
        status: 404,
        body: {
          error: 'GET /, /services, /received; POST /webhooks, /admin/outage, /admin/mode, /admin/spike',
        },
      });
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) answer({ status: 413, body: { error: 'body too large' } });
      else answer(handler(Buffer.concat(chunks)));
    });
    return true;
  }

  setOutage(outage: { down: boolean; status?: number | undefined }): Answer {
    this.outage = { down: outage.down, status: outage.status ?? 503 };
    return { status: 200, body: { outage: this.outage } };
  }

  setMode(activation: ActivationMode): Answer {
    this.mode = activation;
    return { status: 200, body: { mode: this.mode } };
  }

  /** Forces a load spike on one service from now on, for `minutes` (default 5). */
  spike(request: { subscriptionId: string; minutes?: number | undefined }): Answer {
    const service = this.services.get(request.subscriptionId);
    if (!service) return { status: 404, body: { error: `no service ${request.subscriptionId}` } };
    service.spikeUntil = Date.now() + (request.minutes ?? 5) * 60_000;
    this.note(service, `load spike forced for ${request.minutes ?? 5} min`);
    return { status: 200, body: { subscriptionId: service.subscriptionId, spikeUntil: service.spikeUntil } };
  }

  private admin<T>(raw: Buffer, schema: z.ZodType<T>, act: (body: T) => Answer): Answer {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return { status: 400, body: { error: 'send a JSON body' } };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { status: 400, body: { error: z.prettifyError(parsed.error) } };
    return act(parsed.data);
  }

  private receive(raw: Buffer, rawHeaders: IncomingMessage['headers']): Answer {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(rawHeaders)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(' ') : value;
    }
    const record: ReceivedWebhook = {
      receivedAt: Date.now(),
      webhookId: headers['webhook-id'] ?? null,
      ...this.peek(raw),
      signatureValid: false,
      status: 0,
      outcome: 'rejected',
    };
    const answer = (outcome: ReceivedWebhook['outcome'], given: Answer): Answer => {
      record.outcome = outcome;
      record.status = given.status;
      this.received.push(record);
      if (this.received.length > RECEIVED_KEPT) this.received.shift();
      return given;
    };

    if (this.outage.down) {
      return answer('outage', {
        status: this.outage.status,
        body: { error: 'the platform is down (admin/outage)' },
      });
    }
    if (!this.config) {
      return answer('unconfigured', {
        status: 503,
        body: { error: 'the reference platform is not configured' },
      });
    }
    // As any receiver does: the raw bytes, every secret it holds (two during a rotation).
    let payload: unknown;
    for (const secret of this.config.secrets) {
      try {
        payload = new Webhook(secret).verify(raw, headers);
        record.signatureValid = true;
        break;
      } catch {
        // the next secret, if any
      }
    }
    if (!record.signatureValid) {
      return answer('rejected', { status: 401, body: { error: 'invalid signature' } });
    }
    const parsed = WebhookEvent.safeParse(payload);
    if (!parsed.success) {
      return answer('invalid', { status: 400, body: { error: z.prettifyError(parsed.error) } });
    }
    const webhookId = headers['webhook-id'] as string;
    const earlier = this.seen.get(webhookId);
    if (earlier) return answer('duplicate', earlier);

    const event = parsed.data;
    const existing = this.services.get(event.data.subscriptionId);
    const sequence = event.data.sequence;
    let outcome: ReceivedWebhook['outcome'] = 'applied';
    let given: Answer;
    if (existing && sequence !== undefined && sequence < existing.lastSequence) {
      outcome = 'stale';
      given = { status: 200, body: { ignored: 'stale', lastSequence: existing.lastSequence } };
    } else if (event.type === 'service.activate') {
      given = this.activate(event);
    } else if (event.type === 'service.resize' || STATE_AFTER[event.type]) {
      given = this.change(event, existing);
    } else {
      outcome = 'ignored';
      given = { status: 200, body: { ignored: `unknown type ${event.type}` } };
    }
    this.seen.set(webhookId, given);
    if (this.seen.size > SEEN_IDS_KEPT) this.seen.delete(this.seen.keys().next().value as string);
    this.scheduleSave();
    return answer(outcome, given);
  }

  /** Best-effort fields of an unverified body, for the received log only. */
  private peek(raw: Buffer): Pick<ReceivedWebhook, 'type' | 'subscriptionId' | 'sequence'> {
    try {
      const body = JSON.parse(raw.toString('utf8')) as {
        type?: unknown;
        data?: { subscriptionId?: unknown; sequence?: unknown };
      };
      return {
        type: typeof body.type === 'string' ? body.type : null,
        subscriptionId: typeof body.data?.subscriptionId === 'string' ? body.data.subscriptionId : null,
        sequence: typeof body.data?.sequence === 'number' ? body.data.sequence : null,
      };
    } catch {
      return { type: null, subscriptionId: null, sequence: null };
    }
  }

  private activate(event: WebhookEvent): Answer {
    const { data } = event;
    const now = new Date().toISOString();
    const service: PlatformService = {
      ...this.services.get(data.subscriptionId),
      subscriptionId: data.subscriptionId,
      state: 'provisioning',
      product: data.product && { id: data.product.id, slug: data.product.slug, name: data.product.name },
      configuration: data.configuration ?? {},
      lastSequence: data.sequence ?? 0,
      pending: undefined,
      history: this.services.get(data.subscriptionId)?.history ?? [],
      updatedAt: now,
    };
    this.services.set(data.subscriptionId, service);
    this.note(service, `activate received (${this.mode})`);
    if (this.mode === 'sync') {
      service.state = 'active';
      service.access = this.newAccess(service.subscriptionId);
      this.note(service, 'active at once (200)');
      return { status: 200, body: { status: 'active', access: service.access } };
    }
    if (this.mode !== 'silent') {
      const callbackUrl =
        data.callbackUrl ??
        `${this.config?.nimbusUrl}/api/v1/stores/${event.store ?? this.config?.store}/provisioning/callbacks`;
      service.pending = { outcome: this.mode === 'fail' ? 'failed' : 'activated', callbackUrl };
      this.later(this.activationDelay(), () => this.confirm(service.subscriptionId));
    }
    return { status: 202, body: { status: 'provisioning' } };
  }

  private change(event: WebhookEvent, existing: PlatformService | undefined): Answer {
    const { data } = event;
    const service: PlatformService = existing ?? {
      // A step for a service this platform never saw (its state was lost): take it as it comes.
      subscriptionId: data.subscriptionId,
      state: 'active',
      configuration: {},
      lastSequence: 0,
      history: [],
      updatedAt: new Date().toISOString(),
    };
    this.services.set(service.subscriptionId, service);
    if (data.sequence !== undefined) service.lastSequence = data.sequence;
    if (data.configuration) service.configuration = data.configuration;
    const next = STATE_AFTER[event.type];
    if (next) service.state = next;
    // A stop or termination ends a pending activation too.
    if (next && next !== 'active') service.pending = undefined;
    this.note(service, `${event.type.slice('service.'.length)} → ${service.state}`);
    return { status: 200, body: { status: service.state } };
  }

  private activationDelay(): number {
    return this.config?.activationDelayMs ?? 1_500;
  }

  private newAccess(subscriptionId: string): Access {
    return {
      url: `https://${subscriptionId.toLowerCase()}.platform.localhost`,
      username: 'admin',
      password: randomBytes(18).toString('base64url'),
    };
  }

  /** Carries out a pending activation: calls Nimbus back with `activated` or `failed`. */
  private confirm(subscriptionId: string): void {
    const service = this.services.get(subscriptionId);
    const pending = service?.pending;
    if (!service || !pending || this.stopped) return;
    service.pending = undefined;
    const body: Record<string, unknown> = {
      id: `cb_${randomUUID()}`,
      subscriptionId,
      type: pending.outcome,
      occurredAt: new Date().toISOString(),
    };
    if (pending.outcome === 'activated') {
      service.state = 'active';
      service.access = this.newAccess(subscriptionId);
      body.access = service.access;
    } else {
      service.state = 'failed';
      body.reason = 'The reference platform was told to fail activations (admin/mode fail)';
    }
    this.note(service, `${pending.outcome}; calling back`);
    void this.callBack(service, pending.callbackUrl, JSON.stringify(body), body.id as string, 1);
  }

  /** Signed with the current secret; retried with backoff on 5xx and network errors only. */
  private async callBack(
    service: PlatformService,
    url: string,
    body: string,
    id: string,
    attempt: number,
  ): Promise<void> {
    if (this.stopped || !this.config) return;
    const secret = this.config.secrets[0] as string;
    let outcome: string;
    let retry = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signWebhook({ id, body, secrets: [secret], now: new Date() }),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = (await response.text()).slice(0, 200);
      outcome = `callback ${response.status} ${text}`;
      retry = response.status >= 500;
      if (response.status >= 400) this.log(`[platform] callback for ${service.subscriptionId}: ${outcome}`);
    } catch (error) {
      outcome = `callback failed: ${(error as Error).message}`;
      retry = true;
      this.log(`[platform] callback for ${service.subscriptionId} failed`, error);
    }
    this.note(service, `${outcome} (attempt ${attempt})`);
    if (retry && attempt < CALLBACK_ATTEMPTS) {
      this.later(this.callbackRetryMs * 2 ** (attempt - 1), () =>
        this.callBack(service, url, body, id, attempt + 1),
      );
    }
  }

  /**
   * One tick of usage for every active service, all at the same time: one call for up to 125
   * services, grouped by service (errors are logged, never fatal).
   */
  async reportUsage(now = Date.now()): Promise<void> {
    const config = this.config;
    if (!config?.apiKey || this.stopped) return;
    const intervalMs = config.usageIntervalMs ?? 60_000;
    const time = new Date(now).toISOString();
    const services: unknown[][] = [];
    for (const service of this.services.values()) {
      if (service.state !== 'active') continue;
      const sample = usageSample({
        subscriptionId: service.subscriptionId,
        at: now,
        intervalMs,
        storageGb: service.configuration.dimensions?.storage_gb,
        storageUsedGb: service.storageUsedGb,
        forcedSpikeUntil: service.spikeUntil,
      });
      service.storageUsedGb = sample.storageUsedGb;
      const metrics: Array<[string, number]> = [
        ['cpu_pct', sample.cpuPct],
        ['memory_pct', sample.memoryPct],
        ['storage_used_gb', sample.storageUsedGb],
        ['egress_gb', sample.egressGb],
      ];
      services.push(
        metrics.map(([metric, value]) => ({
          specversion: '1.0',
          id: `u-${randomUUID()}`,
          source: 'reference-platform.localhost',
          type: 'nimbus.usage.v1',
          subject: service.subscriptionId,
          time,
          data: { metric, value },
        })),
      );
    }
    if (services.length === 0) return;
    this.scheduleSave();
    const url = `${config.nimbusUrl}/api/v1/stores/${config.store}/usage`;
    for (const events of usageCalls(services)) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) {
          this.log(`[platform] usage: ${response.status} ${(await response.text()).slice(0, 200)}`);
        }
      } catch (error) {
        this.log('[platform] usage could not be sent', error);
      }
    }
  }

  private later(ms: number, run: () => unknown): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private note(service: PlatformService, what: string): void {
    service.updatedAt = new Date().toISOString();
    service.history.push({ at: service.updatedAt, what });
    if (service.history.length > HISTORY_KEPT) service.history.shift();
    this.scheduleSave();
  }

  private load(): void {
    if (!this.file) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // first start
    }
    try {
      const state = JSON.parse(text) as { services?: PlatformService[]; seen?: Array<[string, Answer]> };
      for (const service of state.services ?? []) this.services.set(service.subscriptionId, service);
      for (const [id, given] of state.seen ?? []) this.seen.set(id, given);
    } catch (error) {
      this.log(`[platform] ${this.file} is not readable JSON; starting empty`, error);
    }
  }

  /** Debounced: a burst of webhooks writes the file once. */
  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, 250);
    this.saveTimer.unref();
  }

  private save(): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.tmp`;
      writeFileSync(
        temporary,
        JSON.stringify({ services: [...this.services.values()], seen: [...this.seen] }, null, 1),
      );
      renameSync(temporary, this.file);
    } catch (error) {
      this.log(`[platform] could not write ${this.file}`, error);
    }
  }

  private statusPage(): string {
    const rows = [...this.services.values()]
      .map((service) => {
        const dimensions = Object.entries(service.configuration.dimensions ?? {})
          .map(([name, value]) => `${name} ${value}`)
          .join(', ');
        const spike = inSpike(service.subscriptionId, Date.now(), service.spikeUntil) ? ' (load spike)' : '';
        return `<tr><td><code>${escapeHtml(service.subscriptionId)}</code></td><td>${escapeHtml(
          service.product?.name ?? service.product?.id ?? '',
        )}</td><td>${escapeHtml(service.state + spike)}</td><td>${escapeHtml(dimensions)}</td><td>${escapeHtml(
          service.access?.url ?? '',
        )}</td><td>${service.lastSequence}</td><td>${escapeHtml(service.updatedAt)}</td></tr>`;
      })
      .join('\n');
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference provisioning platform</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left}</style></head>
<body>
<h1>Reference provisioning platform</h1>
<p>Store: ${escapeHtml(this.config?.store ?? 'not configured')}. Activation mode: ${escapeHtml(this.mode)}.
Webhooks: ${this.outage.down ? `down (answering ${this.outage.status})` : 'up'}.
JSON: <a href="${PLATFORM_PATH}/services">services</a>, <a href="${PLATFORM_PATH}/received">received webhooks</a>.</p>
<table>
<caption>Services (${this.services.size})</caption>
<thead><tr><th scope="col">Subscription</th><th scope="col">Product</th><th scope="col">State</th><th scope="col">Configuration</th><th scope="col">Access</th><th scope="col">Sequence</th><th scope="col">Updated</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">No services yet.</td></tr>'}
</tbody>
</table>
</body>
</html>
`;
  }
}
