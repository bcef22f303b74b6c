/**
 * Connects the demo store to the reference platform: a store-default connector pointing at
 * `<url>/_platform/webhooks` (every lifecycle event) and a merchant API key with the `provisioning`
 * and `usage:write` scopes, both made through the merchant's use cases. Secrets are shown once, so
 * they are kept in `<dataDir>/reference-platform-credentials.json` (mode 0600) and re-used on
 * later starts; a lost file is recovered by rotating the secret and making a new key.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApiKey, revokeApiKey } from '#functions/identity/api-keys.ts';
import { parseApiKey } from '#functions/identity/credentials.ts';
import { buildIdentityDeps } from '#functions/identity/table-identity.ts';
import { rotateConnectorSecret, upsertConnector } from '#functions/provisioning/connectors.ts';
import { buildConnectorDeps } from '#functions/provisioning/table-provisioning.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { LIFECYCLE_EVENTS, UpsertConnectorRequest } from '#shared/provisioning/connector.ts';
import { PLATFORM_PATH } from './reference-platform.ts';
import { DEMO_STORE } from './seed.ts';

export const PLATFORM_CREDENTIALS_FILE = 'reference-platform-credentials.json';
export const PLATFORM_KEY_NAME = 'Reference platform';

export type PlatformCredentials = { secret: string; apiKey: string };

function readCredentials(file: string | undefined): Partial<PlatformCredentials> {
  if (!file) return {};
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlatformCredentials>;
    return {
      ...(typeof saved.secret === 'string' ? { secret: saved.secret } : {}),
      ...(typeof saved.apiKey === 'string' ? { apiKey: saved.apiKey } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Ensures the demo store's connector and usage key; returns what the platform needs.
 *
 * @example const { secret, apiKey } = await seedReferencePlatform(client, table, runtime.url, dataDir);
 */
export async function seedReferencePlatform(
  client: DynamoDBDocumentClient,
  tableName: string,
  url: string,
  dataDir: string | undefined,
): Promise<PlatformCredentials> {
  const identity = buildIdentityDeps(client, tableName, url);
  const tenant = await identity.tenants.findBySlug(DEMO_STORE.slug);
  if (!tenant) throw new Error('the demo store is not seeded');
  const file = dataDir && join(dataDir, PLATFORM_CREDENTIALS_FILE);
  const saved = readCredentials(file);

  const connectors = buildConnectorDeps(client, tableName);
  // Upserted on every start: a different PORT changes the URL, the secret stays.
  const outcome = await upsertConnector(
    connectors,
    tenant,
    UpsertConnectorRequest.parse({
      url: `${url}${PLATFORM_PATH}/webhooks`,
      events: [...LIFECYCLE_EVENTS],
      timeoutSeconds: 600,
      enabled: true,
    }),
  );
  let secret: string;
  if (outcome.created) {
    secret = outcome.connector.secret;
  } else if (saved.secret && saved.secret.slice(-4) === outcome.connector.secretLast4) {
    secret = saved.secret;
  } else {
    // The secret was shown once and is lost: a new one, the old ending at once.
    secret = (await rotateConnectorSecret(connectors, tenant, outcome.connector.id, { keepPreviousHours: 0 }))
      .secret;
  }

  const owner = await identity.users.findByEmail(tenant.id, 'merchant@demo.test');
  const staff: Principal = {
    kind: 'staff',
    tenantId: tenant.id,
    userId: owner?.id ?? 'usr_seed',
    email: owner?.email ?? 'seed@nimbus.local',
    roles: ['owner'],
    permissions: ['apikeys:manage'],
    sessionId: 'seed',
  };
  const token = saved.apiKey ? parseApiKey(saved.apiKey) : undefined;
  const savedKey =
    token?.tenantId === tenant.id ? await identity.apiKeys.get(tenant.id, token.keyId) : undefined;
  let apiKey: string;
  if (saved.apiKey && savedKey && !savedKey.revokedAt) {
    apiKey = saved.apiKey;
  } else {
    // Keys of a lost file are revoked: nobody holds their secrets any more.
    for (const key of await identity.apiKeys.listByOwner(tenant.id, { kind: 'merchant' })) {
      if (key.name === PLATFORM_KEY_NAME && !key.revokedAt) await revokeApiKey(identity, staff, key.id, {});
    }
    apiKey = (
      await createApiKey(
        identity,
        staff,
        { name: PLATFORM_KEY_NAME, scopes: ['provisioning', 'usage:write'] },
        {},
      )
    ).secret;
  }

  if (file) {
    writeFileSync(file, JSON.stringify({ secret, apiKey }, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600); // writeFileSync's mode applies only to a new file
  }
  return { secret, apiKey };
}
