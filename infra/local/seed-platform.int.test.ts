/**
 * The demo store connected to the reference platform on the local runtime: its default connector
 * points at /_platform/webhooks, a webhook signed with what the store keeps is taken by the
 * platform, and the credentials survive restarts (or are recovered when their file is lost).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '#functions/identity/credentials.ts';
import { buildIdentityDeps } from '#functions/identity/table-identity.ts';
import { listConnectors, signingSecrets } from '#functions/provisioning/connectors.ts';
import { buildConnectorDeps } from '#functions/provisioning/table-provisioning.ts';
import { signWebhook } from '#functions/provisioning/webhook-signature.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { serviceEndpoints, uniqueName } from '../../test/support/services.ts';
import { PLATFORM_PATH } from './reference-platform.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { PLATFORM_CREDENTIALS_FILE, seedReferencePlatform } from './seed-platform.ts';

let runtime: LocalRuntime;
let tenant: Tenant;
const dataDir = mkdtempSync(join(tmpdir(), 'platform-seed-'));

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    services: serviceEndpoints(),
    namePrefix: uniqueName('platform'),
    webRoot: null,
    seed: true,
    connectPlatform: true,
    runSchedules: false,
    quiet: true,
  });
  const identity = buildIdentityDeps(runtime.documentClient, runtime.tableName, runtime.url);
  tenant = (await identity.tenants.findBySlug('demo')) as Tenant;
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const connectorDeps = () => buildConnectorDeps(runtime.documentClient, runtime.tableName);
async function storeDefault() {
  const { items } = await listConnectors(connectorDeps(), tenant);
  const found = items.find((item) => item.productId === undefined);
  if (!found) throw new Error('no default connector');
  return found;
}
async function storedSecrets(): Promise<string[]> {
  const stored = await connectorDeps().connectors.get(tenant.id, (await storeDefault()).id);
  if (!stored) throw new Error('no stored connector');
  return signingSecrets(connectorDeps(), tenant.id, stored);
}

describe('the demo store connected to the reference platform', () => {
  it('points the default connector at /_platform/webhooks, and the platform takes what the store signs', async () => {
    expect(await storeDefault()).toMatchObject({
      url: `${runtime.url}${PLATFORM_PATH}/webhooks`,
      events: ['activate', 'start', 'stop', 'resize', 'suspend', 'resume', 'terminate'],
      timeoutSeconds: 600,
      enabled: true,
    });
    expect(runtime.platform.settings).toMatchObject({ nimbusUrl: runtime.url, store: 'demo' });

    const body = JSON.stringify({
      id: 'evt_seedcheck',
      type: 'service.start',
      time: new Date().toISOString(),
      store: 'demo',
      data: { subscriptionId: 'sub_SEEDCHECK', sequence: 1, configuration: {} },
    });
    const headers = signWebhook({
      id: 'evt_seedcheck',
      body,
      secrets: await storedSecrets(),
      now: new Date(),
    });
    const response = await fetch(`${runtime.url}${PLATFORM_PATH}/webhooks`, {
      method: 'POST',
      headers,
      body,
    });
    expect(response.status).toBe(200);
    expect(runtime.platform.list().map((s) => [s.subscriptionId, s.state])).toEqual([
      ['sub_SEEDCHECK', 'active'],
    ]);
  });

  it('keeps the credentials in a 0600 file, re-uses them, and recovers them when the file is lost', async () => {
    const { documentClient, tableName, url } = runtime;
    const first = await seedReferencePlatform(documentClient, tableName, url, dataDir);
    const file = join(dataDir, PLATFORM_CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
    // The runtime's own seed had no file: it was recovered by a rotation, ending the older secret.
    expect(await storedSecrets()).toEqual([first.secret]);

    const again = await seedReferencePlatform(documentClient, tableName, url, dataDir);
    expect(again).toEqual(first);

    const identity = buildIdentityDeps(documentClient, tableName, url);
    const key = await identity.apiKeys.get(tenant.id, parseApiKey(first.apiKey)?.keyId as string);
    expect(key).toMatchObject({ scopes: ['provisioning', 'usage:write'], owner: { kind: 'merchant' } });
    expect(key?.revokedAt).toBeUndefined();

    rmSync(file);
    const recovered = await seedReferencePlatform(documentClient, tableName, url, dataDir);
    expect(recovered.secret).not.toBe(first.secret);
    expect(await storedSecrets()).toEqual([recovered.secret]);
    expect((await identity.apiKeys.get(tenant.id, key?.id as string))?.revokedAt).toBeDefined();
    const active = (await identity.apiKeys.listByOwner(tenant.id, { kind: 'merchant' })).filter(
      (k) => !k.revokedAt,
    );
    expect(active.map((k) => k.id)).toEqual([parseApiKey(recovered.apiKey)?.keyId]);
  });
});
