/**
 * The local runtime with the demo seed, one per API test file: starts before the file's tests,
 * stops after them, and signs in as the demo users.
 *
 * @example const demo = demoRuntime('basket'); … const buyer = await demo.signedIn('buyer@demo.test');
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';
import { ApiClient } from './http-client.ts';
import { serviceEndpoints, uniqueName } from './services.ts';

export const DEMO_STORE_API = '/api/v1/stores/demo';

export type OutboxMail = { subject: string; text: string };

export function demoRuntime(name: string, options: Partial<LocalRuntimeOptions> = {}) {
  let started: LocalRuntime | undefined;
  beforeAll(async () => {
    started = await startLocalRuntime({
      port: 0,
      services: serviceEndpoints(),
      namePrefix: uniqueName(name),
      webRoot: null,
      seed: true,
      runSchedules: false,
      quiet: true,
      ...options,
    });
  });
  afterAll(() => started?.stop());
  const runtime = (): LocalRuntime => {
    if (!started) throw new Error('demoRuntime: use it inside tests (the runtime starts in beforeAll)');
    return started;
  };

  return {
    runtime,
    url: () => runtime().url,
    /** A client of the runtime (a visitor until it signs in); `headers` go with every request. */
    client: (headers?: Record<string, string>) =>
      new ApiClient(runtime().url, { origin: runtime().url, ...(headers ? { headers } : {}) }),
    /** A client signed in to the demo store as `email`. */
    async signedIn(email: string, options: { password?: string; headers?: Record<string, string> } = {}) {
      const client = new ApiClient(runtime().url, {
        origin: runtime().url,
        ...(options.headers ? { headers: options.headers } : {}),
      });
      const response = await client.post(`${DEMO_STORE_API}/auth/login`, {
        email,
        password: options.password ?? DEMO_PASSWORD,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return client;
    },
    /** The mail the store sent to `to`, newest first (the local outbox). */
    async mailTo(to: string): Promise<OutboxMail[]> {
      const response = await fetch(`${runtime().url}/_outbox.json?to=${encodeURIComponent(to)}`);
      return (await response.json()) as OutboxMail[];
    },
  };
}

/** The token of an emailed link (`…?token=…`). */
export const tokenIn = (text = ''): string =>
  decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(text)?.[1] ?? '');
