/**
 * Provisioning connectors through the API on the local runtime: create, list, change, rotate; the
 * signing secret shown once and sealed at rest; who may see and change connectors; clear 400s.
 * The secrets the store keeps sign webhooks that the `standardwebhooks` library verifies with
 * the secret the merchant was shown, as a platform would.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '#shared/ids/ids.ts';
import { ManualClock, systemClock } from '#shared/time/clock.ts';
import { DEMO_PASSWORD } from '../../../infra/local/seed.ts';
import { demoRuntime, DEMO_STORE_API as store } from '../../../test/support/demo-runtime.ts';
import { ApiClient } from '../../../test/support/http-client.ts';
import { uniqueName } from '../../../test/support/services.ts';
import { hashPassword } from '../identity/secrets.ts';
import { buildIdentityDeps } from '../identity/table-identity.ts';
import { SecretBox } from '../payments/secret-box.ts';
import { createTenant } from '../tenants/tenant-admin.ts';
import type { StoredConnector } from './connector-store.ts';
import { signingSecrets } from './connectors.ts';
import { buildConnectorDeps } from './table-provisioning.ts';
import { signWebhook } from './webhook-signature.ts';

const demo = demoRuntime('connectors');
const connectors = `${store}/admin/connectors`;
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

let tenantId: string;
let otherStore: string;
let otherOwner: ApiClient;

beforeAll(async () => {
  const { documentClient, tableName, url } = demo.runtime();
  const identity = buildIdentityDeps(documentClient, tableName, url);
  tenantId = (await identity.tenants.findBySlug('demo'))?.id as string;
  // A second store with its own owner: it must never see the demo store's connectors.
  otherStore = uniqueName('store-b');
  const { tenant, ownerUserId } = await createTenant(
    identity,
    { kind: 'operator', operatorId: 'opr_test', email: 'o@test', sessionId: 's' },
    {
      name: 'Store B',
      slug: otherStore,
      defaultCurrency: 'EUR',
      defaultLanguage: 'en',
      signupMode: 'open',
      ownerEmail: 'owner@b.test',
    },
  );
  await identity.users.completeInvitation(
    tenant.id,
    ownerUserId,
    'B Owner',
    await hashPassword(DEMO_PASSWORD),
    new Date(),
  );
  otherOwner = new ApiClient(url, { origin: url });
  const login = await otherOwner.post(`/api/v1/stores/${otherStore}/auth/login`, {
    email: 'owner@b.test',
    password: DEMO_PASSWORD,
  });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
}, 60_000);

async function firstProductId(merchant: ApiClient): Promise<string> {
  const products = await merchant.get(`${store}/admin/products?limit=10`);
  expect(products.status, JSON.stringify(products.body)).toBe(200);
  return products.body.items[0].id as string;
}

async function rawItems(): Promise<Record<string, unknown>[]> {
  const { documentClient, tableName } = demo.runtime();
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `T#${tenantId}`, ':prefix': 'CONNECTOR' },
    }),
  );
  return Items ?? [];
}

async function stored(connectorId: string): Promise<StoredConnector> {
  const { documentClient, tableName } = demo.runtime();
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: { pk: `T#${tenantId}`, sk: `CONNECTOR#${connectorId}` } }),
  );
  return Item?.connector as StoredConnector;
}

/** The runtime's own key ring: what the connectors function seals with. */
const box = () => new SecretBox(JSON.parse(process.env.PAYMENTS_DATA_KEYS as string));
const depsAt = (clock = systemClock) =>
  buildConnectorDeps(demo.runtime().documentClient, demo.runtime().tableName, {
    clock,
    secrets: async () => box(),
  });

/** A webhook signed with what the store keeps, checked by a receiver holding `secret`. */
async function receiverAccepts(connectorId: string, secret: string, clock = systemClock): Promise<boolean> {
  const secrets = await signingSecrets(depsAt(clock), tenantId, await stored(connectorId));
  const body = JSON.stringify({ type: 'subscription.activate', connectorId });
  const headers = signWebhook({ id: newId('evt', systemClock), body, secrets, now: new Date() });
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('provisioning connectors', () => {
  it('creates the default and a product connector, showing each secret once, sealed at rest', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const productId = await firstProductId(merchant);

    const fallback = await merchant.request('PUT', connectors, {
      body: { url: 'https://platform.example.com/hooks', events: ['activate', 'terminate'] },
    });
    expect(fallback.status, JSON.stringify(fallback.body)).toBe(201);
    expect(fallback.body).toEqual({
      id: expect.stringMatching(/^con_/),
      url: 'https://platform.example.com/hooks',
      events: ['activate', 'terminate'],
      timeoutSeconds: 3600,
      enabled: true,
      secret: expect.stringMatching(SECRET),
      secretLast4: fallback.body.secret.slice(-4),
      revision: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    // The reference platform runs on this machine: plain http to localhost is allowed.
    const product = await merchant.request('PUT', connectors, {
      body: {
        productId,
        url: 'http://127.0.0.1:4010/webhooks',
        events: ['activate', 'start', 'stop', 'resize', 'suspend', 'resume', 'terminate'],
        timeoutSeconds: 120,
      },
    });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    expect(product.body).toMatchObject({
      productId,
      timeoutSeconds: 120,
      secret: expect.stringMatching(SECRET),
    });
    expect(product.body.secret).not.toBe(fallback.body.secret);

    // The list shows both, the default first, and no secret.
    const list = await merchant.get(connectors);
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([
      fallback.body.id,
      product.body.id,
    ]);
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain('whsec_');
    expect(listed).not.toContain(fallback.body.secret.slice(6, 30));

    // The raw items hold sealed values only; they open with the data keys, in their context.
    const raw = JSON.stringify(await rawItems());
    expect(raw).not.toContain('whsec_');
    expect(raw).not.toContain(fallback.body.secret.slice(6, 30));
    expect(raw).not.toContain(product.body.secret.slice(6, 30));
    const item = await stored(fallback.body.id);
    expect(item.secret).toMatchObject({ v: 1, kid: box().currentKeyId });
    expect(box().open(item.secret, `${tenantId}/connector.${fallback.body.id}.secret`)).toBe(
      fallback.body.secret,
    );
    expect(() => box().open(item.secret, `${tenantId}/connector.${product.body.id}.secret`)).toThrow();

    // A product is served by its own connector, every other one by the default; a store without
    // connectors by none.
    const served = depsAt().connectors;
    expect((await served.serving(tenantId, productId))?.id).toBe(product.body.id);
    expect((await served.serving(tenantId, 'prd_without_connector'))?.id).toBe(fallback.body.id);
    expect(await served.serving('ten_without_connectors', productId)).toBeUndefined();

    // What the store signs with is what the merchant was shown.
    expect(await receiverAccepts(product.body.id, product.body.secret)).toBe(true);
    expect(await receiverAccepts(product.body.id, fallback.body.secret)).toBe(false);
  });

  it('changes a connector by its scope, keeping its id and secret, and guards revisions', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const before = (await merchant.get(connectors)).body.items[0];
    expect(before.productId).toBeUndefined();

    const changed = await merchant.request('PUT', connectors, {
      body: {
        url: 'https://platform.example.com/v2/hooks',
        events: ['activate', 'suspend', 'resume', 'terminate'],
        timeoutSeconds: 900,
        enabled: false,
        expectedRevision: before.revision,
      },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      id: before.id,
      url: 'https://platform.example.com/v2/hooks',
      enabled: false,
      timeoutSeconds: 900,
      secretLast4: before.secretLast4,
      revision: before.revision + 1,
      createdAt: before.createdAt,
    });
    expect(changed.body.secret).toBeUndefined();

    const stale = await merchant.request('PUT', connectors, {
      body: { url: 'https://x.example.com', events: ['activate'], expectedRevision: before.revision },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision_conflict');
    expect((await merchant.get(connectors)).body.items).toHaveLength(2);
  });

  it('rotates the secret: shown once, the previous one signs too until the window ends', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const productId = await firstProductId(merchant);
    const connector = (await merchant.get(connectors)).body.items.find(
      (item: { productId?: string }) => item.productId === productId,
    );
    const oldSecret = box().open(
      (await stored(connector.id)).secret,
      `${tenantId}/connector.${connector.id}.secret`,
    );

    const rotated = await merchant.post(`${connectors}/${connector.id}/rotate-secret`, {});
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.secret).toMatch(SECRET);
    expect(rotated.body.secret).not.toBe(oldSecret);
    expect(rotated.body.secretLast4).toBe(rotated.body.secret.slice(-4));
    const expires = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    // During the window, platforms holding either secret verify; after it, only the new one.
    expect(await receiverAccepts(connector.id, oldSecret)).toBe(true);
    expect(await receiverAccepts(connector.id, rotated.body.secret)).toBe(true);
    const later = new ManualClock(new Date(expires + 1_000));
    expect(await receiverAccepts(connector.id, oldSecret, later)).toBe(false);
    expect(await receiverAccepts(connector.id, rotated.body.secret, later)).toBe(true);

    // The list shows the window, never a secret; the raw item holds no plain secret.
    const listed = (await merchant.get(connectors)).body.items.find(
      (item: { id: string }) => item.id === connector.id,
    );
    expect(listed).toMatchObject({
      secretLast4: rotated.body.secretLast4,
      previousSecretExpiresAt: rotated.body.previousSecretExpiresAt,
    });
    expect(listed.secret).toBeUndefined();
    expect(JSON.stringify(await rawItems())).not.toContain('whsec_');

    // A rotation with no window ends the previous secret at once.
    const now = await merchant.post(`${connectors}/${connector.id}/rotate-secret`, { keepPreviousHours: 0 });
    expect(now.status, JSON.stringify(now.body)).toBe(200);
    expect(now.body.previousSecretExpiresAt).toBeUndefined();
    expect(await receiverAccepts(connector.id, rotated.body.secret)).toBe(false);
    expect(await receiverAccepts(connector.id, now.body.secret)).toBe(true);

    const tooLong = await merchant.post(`${connectors}/${connector.id}/rotate-secret`, {
      keepPreviousHours: 169,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].path).toBe('body.keepPreviousHours');
    const missing = await merchant.post(`${connectors}/con_01jd2x8k3m4n5p6q7r8s9t0v1w/rotate-secret`, {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('connector_not_found');
  });

  it('answers a clear 400 for a bad URL, an unknown product or bad events', async () => {
    const merchant = await demo.signedIn('merchant@demo.test');
    const put = (body: Record<string, unknown>) =>
      merchant.request('PUT', connectors, { body: { events: ['activate'], ...body } });
    const problem = async (body: Record<string, unknown>) => {
      const response = await put(body);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      return response.body.error;
    };

    const http = await problem({ url: 'http://platform.example.com/hooks' });
    expect(http.details[0]).toMatchObject({ path: 'body.url', message: expect.stringMatching(/https/) });
    expect((await problem({ url: 'ftp://platform.example.com' })).details[0].message).toMatch(
      /https, not ftp/,
    );
    expect((await problem({ url: 'not a url' })).details[0].message).toMatch(/not a URL/);
    expect((await problem({ url: 'https://user:pw@platform.example.com' })).details[0].message).toMatch(
      /credentials/,
    );
    const unknown = await problem({ url: 'https://p.example.com', productId: 'prd_doesnotexist' });
    expect(unknown.code).toBe('unknown_product');
    expect(unknown.details[0].path).toBe('body.productId');
    expect((await problem({ url: 'https://p.example.com', events: [] })).details[0].path).toBe('body.events');
    expect((await problem({ url: 'https://p.example.com', events: ['reboot'] })).details[0].path).toBe(
      'body.events[0]',
    );
    expect((await problem({ url: 'https://p.example.com', timeoutSeconds: 1 })).details[0].path).toBe(
      'body.timeoutSeconds',
    );
    // Nothing was created by any of them.
    expect((await merchant.get(connectors)).body.items).toHaveLength(2);
  });

  it('is for the store’s staff only: buyers get 403, another store’s staff see nothing of it', async () => {
    const buyer = await demo.signedIn('buyer@demo.test');
    const merchant = await demo.signedIn('merchant@demo.test');
    const [first] = (await merchant.get(connectors)).body.items;

    for (const response of [
      await buyer.get(connectors),
      await buyer.request('PUT', connectors, {
        body: { url: 'https://evil.example.com', events: ['activate'] },
      }),
      await buyer.post(`${connectors}/${first.id}/rotate-secret`, {}),
    ]) {
      expect(response.status).toBe(403);
    }
    expect((await demo.client().get(connectors)).status).toBe(401);

    // Store B's owner: 403 on the demo store's routes; in their own store, an empty list and no
    // way to reach the demo connector by its id.
    const foreign = await otherOwner.get(connectors);
    expect(foreign.status).toBe(403);
    const rotateForeign = await otherOwner.post(`${connectors}/${first.id}/rotate-secret`, {});
    expect(rotateForeign.status).toBe(403);
    const own = await otherOwner.get(`/api/v1/stores/${otherStore}/admin/connectors`);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.items).toEqual([]);
    const byId = await otherOwner.post(
      `/api/v1/stores/${otherStore}/admin/connectors/${first.id}/rotate-secret`,
      {},
    );
    expect(byId.status).toBe(404);
    // Unchanged by all of that.
    expect((await merchant.get(connectors)).body.items[0]).toMatchObject({
      secretLast4: first.secretLast4,
      url: first.url,
    });
  });
});
