import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../infra/local/seed.ts';
import { DEMO_STORE_API, demoRuntime, tokenIn } from '../../../test/support/demo-runtime.ts';
import { ApiClient } from '../../../test/support/http-client.ts';
import { uniqueName } from '../../../test/support/services.ts';

const demo = demoRuntime('identity');
const store = DEMO_STORE_API;
const { signedIn, mailTo } = demo;

describe('sign-in with sessions', () => {
  it('signs in with a httpOnly, Secure, SameSite cookie and tells who is signed in', async () => {
    const client = demo.client();
    const response = await client.post(`${store}/auth/login`, {
      email: 'BUYER@demo.test',
      password: DEMO_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ principal: 'buyer', email: 'buyer@demo.test', name: 'Ben Buyer' });
    expect(response.body.permissions).toContain('finance:view');
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^nimbus_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(response.body)).not.toMatch(/scrypt|passwordHash/);
    const session = await client.get(`${store}/auth/session`);
    expect(session.body).toMatchObject({ principal: 'buyer', email: 'buyer@demo.test' });
  });

  it('says only "wrong email or password", whichever was wrong', async () => {
    const client = demo.client();
    const wrongPassword = await client.post(`${store}/auth/login`, {
      email: 'merchant@demo.test',
      password: 'nope',
    });
    const noSuchUser = await client.post(`${store}/auth/login`, {
      email: 'nobody@demo.test',
      password: 'nope',
    });
    expect(wrongPassword.status).toBe(401);
    expect(noSuchUser.status).toBe(401);
    expect(wrongPassword.body.error).toEqual(noSuchUser.body.error);
  });

  it('gives every login a new session id, ending the one the browser had (no fixation)', async () => {
    const client = await signedIn('member@demo.test');
    const first = client.cookies.get('nimbus_session');
    await client.post(`${store}/auth/login`, { email: 'member@demo.test', password: DEMO_PASSWORD });
    const second = client.cookies.get('nimbus_session');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const replay = demo.client();
    replay.cookies.set('nimbus_session', first as string);
    expect((await replay.get(`${store}/auth/session`)).status).toBe(401);
  });

  it('ends the session at logout; the old cookie is refused', async () => {
    const client = await signedIn('member@demo.test');
    const cookie = client.cookies.get('nimbus_session') as string;
    expect((await client.post(`${store}/auth/logout`)).status).toBe(204);
    expect(client.cookies.has('nimbus_session')).toBe(false);
    const replay = demo.client();
    replay.cookies.set('nimbus_session', cookie);
    const response = await replay.get(`${store}/auth/session`);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_credentials');
  });

  it('lists a user’s sessions and revokes one; another user’s session is not found', async () => {
    const laptop = await signedIn('buyer@demo.test');
    const phone = await signedIn('buyer@demo.test');
    const list = await laptop.get(`${store}/auth/sessions`);
    expect(list.status).toBe(200);
    const current = list.body.items.find((s: { current: boolean }) => s.current);
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    expect(current && other).toBeTruthy();
    const stranger = await signedIn('member@demo.test');
    expect((await stranger.delete(`${store}/auth/sessions/${other.id}`)).status).toBe(404);
    const phoneSessions = (await phone.get(`${store}/auth/sessions`)).body.items.map(
      (s: { id: string }) => s.id,
    );
    const phoneId = (await phone.get(`${store}/auth/sessions`)).body.items.find(
      (s: { current: boolean }) => s.current,
    ).id;
    expect(phoneSessions).toContain(phoneId);
    expect((await laptop.delete(`${store}/auth/sessions/${phoneId}`)).status).toBe(204);
    expect((await phone.get(`${store}/auth/session`)).status).toBe(401);
  });

  it('rejects cookie-authenticated writes from another origin (CSRF)', async () => {
    const client = await signedIn('buyer@demo.test');
    const evil = await client.post(
      `${store}/api-keys`,
      { name: 'x', scopes: ['orders:create'] },
      { origin: 'https://evil.example' },
    );
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('csrf_rejected');
    const noOrigin = await client.request('POST', `${store}/auth/logout`, { headers: { origin: '' } });
    expect(noOrigin.status).toBe(403);
    expect((await client.get(`${store}/auth/session`)).status).toBe(200); // reads are fine
  });

  it('throttles failed sign-ins per account with a clear 429 and Retry-After', async () => {
    const client = demo.client();
    // Counted per email, whether or not an account has it, so a throttled answer reveals nothing.
    const email = `${uniqueName('guess')}@demo.test`;
    const attempt = () => client.post(`${store}/auth/login`, { email, password: 'wrong-password' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('too_many_attempts');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only a digest, works as Bearer, and stops at revocation', async () => {
    const buyer = await signedIn('buyer@demo.test');
    const created = await buyer.post(`${store}/api-keys`, { name: 'CI', scopes: ['orders:create'] });
    expect(created.status).toBe(201);
    const { key, secret } = created.body;
    expect(secret.startsWith(key.prefix)).toBe(true);
    const listed = await buyer.get(`${store}/api-keys`);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(key.prefix.length + 1));
    expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(key.id);

    const machine = new ApiClient(demo.url(), { headers: { authorization: `Bearer ${secret}` } });
    // The key authenticates (no 401) but carries no session: session routes say so with a 403.
    expect((await machine.get(`${store}/auth/session`)).status).toBe(403);
    expect((await buyer.delete(`${store}/api-keys/${key.id}`)).status).toBe(204);
    const afterRevoke = await machine.get(`${store}/auth/session`);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toMatch(/revoked/);
  });

  it('never lets a buyer key carry more than the buyer may do', async () => {
    const member = await signedIn('member@demo.test');
    const response = await member.post(`${store}/api-keys`, { name: 'x', scopes: ['finance:view'] });
    expect(response.status).toBe(403); // a member without apikeys:manage cannot create keys at all
    const buyer = await signedIn('buyer@demo.test');
    const merchantScope = await buyer.post(`${store}/api-keys`, { name: 'x', scopes: ['provisioning'] });
    expect(merchantScope.status).toBe(400);
    expect(merchantScope.body.error.code).toBe('scope_not_allowed');
  });

  it('keeps customers’ keys apart: another customer’s key id is not found', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const merchantKey = (
      await merchant.post(`${store}/api-keys`, { name: 'platform', scopes: ['provisioning'] })
    ).body.key;
    const buyer = await signedIn('buyer@demo.test');
    expect((await buyer.delete(`${store}/api-keys/${merchantKey.id}`)).status).toBe(404);
    expect((await buyer.get(`${store}/api-keys`)).body.items.map((k: { id: string }) => k.id)).not.toContain(
      merchantKey.id,
    );
  });
});

describe('sign-up and emailed links', () => {
  it('registers a buyer (open store), needs the emailed verification before sign-in', async () => {
    const email = `${uniqueName('ada')}@example.com`;
    const client = demo.client();
    const registered = await client.post(`${store}/customers`, {
      type: 'person',
      name: 'Ada',
      email,
      password: 'correct horse battery',
      country: 'GB',
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ status: 'active', next: 'verify_email' });
    const early = await client.post(`${store}/auth/login`, { email, password: 'correct horse battery' });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('email_not_verified');

    const [mail] = await mailTo(email);
    const token = tokenIn(mail?.text);
    expect(token).not.toBe('');
    expect((await client.post(`${store}/auth/email-verification`, { token })).status).toBe(204);
    expect((await client.post(`${store}/auth/email-verification`, { token })).status).toBe(400); // single use
    expect(
      (await client.post(`${store}/auth/login`, { email, password: 'correct horse battery' })).status,
    ).toBe(200);
    const again = await client.post(`${store}/customers`, {
      type: 'person',
      name: 'Ada',
      email,
      password: 'correct horse battery',
      country: 'GB',
    });
    expect(again.status).toBe(409);
  });

  it('resets a password by emailed link, once, and signs out everywhere', async () => {
    const email = `${uniqueName('rita')}@example.com`;
    const client = demo.client();
    await client.post(`${store}/customers`, {
      type: 'person',
      name: 'Rita',
      email,
      password: 'first password 1',
      country: 'DE',
    });
    const verify = tokenIn((await mailTo(email))[0]?.text);
    await client.post(`${store}/auth/email-verification`, { token: verify });
    expect((await client.post(`${store}/auth/login`, { email, password: 'first password 1' })).status).toBe(
      200,
    );

    expect((await client.post(`${store}/auth/password-reset`, { email })).status).toBe(202);
    expect((await client.post(`${store}/auth/password-reset`, { email: 'nobody@example.com' })).status).toBe(
      202,
    );
    const resetMail = (await mailTo(email)).find((mail) => /reset/i.test(mail.subject));
    const token = tokenIn(resetMail?.text);
    const reset = await client.post(`${store}/auth/password-reset/confirm`, {
      token,
      password: 'second password 2',
    });
    expect(reset.status).toBe(204);
    expect((await client.get(`${store}/auth/session`)).status).toBe(401);
    const reuse = await client.post(`${store}/auth/password-reset/confirm`, {
      token,
      password: 'third password 33',
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error.code).toBe('invalid_token');
    expect((await client.post(`${store}/auth/login`, { email, password: 'second password 2' })).status).toBe(
      200,
    );
  });
});

describe('staff invitations and the audit log', () => {
  it('invites staff by email; the invitee joins with the roles given; the audit log has it all', async () => {
    const owner = await signedIn('merchant@demo.test');
    const email = `${uniqueName('cat')}@demo.test`;
    const invited = await owner.post(`${store}/admin/staff/invitations`, { email, roles: ['catalog'] });
    expect(invited.status).toBe(201);
    const token = tokenIn((await mailTo(email))[0]?.text);
    const visitor = demo.client();
    expect(
      (
        await visitor.post(`${store}/auth/invitations/accept`, {
          token,
          name: 'Cat Alog',
          password: 'catalog password',
        })
      ).status,
    ).toBe(204);
    const login = await visitor.post(`${store}/auth/login`, { email, password: 'catalog password' });
    expect(login.body).toMatchObject({ principal: 'staff', roles: ['catalog'] });
    expect(login.body.permissions).toEqual(['catalog:manage', 'catalog:read']);
    // The catalog role may not invite staff nor read the audit log.
    expect(
      (await visitor.post(`${store}/admin/staff/invitations`, { email: 'x@demo.test', roles: ['catalog'] }))
        .status,
    ).toBe(403);
    expect((await visitor.get(`${store}/admin/audit`)).status).toBe(403);

    const audit = await owner.get(`${store}/admin/audit?limit=100`);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff.invited', 'staff.joined', 'login.succeeded', 'apikey.created']),
    );
  });
});

describe('operators', () => {
  it('create tenants; the new owner is invited; a suspended store disappears', async () => {
    const operator = demo.client();
    const login = await operator.post('/api/v1/operator/auth/login', {
      email: 'operator@nimbus.test',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
    const slug = uniqueName('shop');
    const ownerEmail = `${slug}@example.com`;
    const created = await operator.post('/api/v1/operator/tenants', {
      name: 'Shop',
      slug,
      defaultCurrency: 'USD',
      ownerEmail,
    });
    expect(created.status).toBe(201);
    expect((await mailTo(ownerEmail)).length).toBe(1);
    expect(
      (await operator.get('/api/v1/operator/tenants')).body.items.map((t: { slug: string }) => t.slug),
    ).toContain(slug);
    expect((await fetch(`${demo.url()}/api/v1/stores/${slug}`)).status).toBe(200);
    const taken = await operator.post('/api/v1/operator/tenants', {
      name: 'Again',
      slug,
      defaultCurrency: 'USD',
      ownerEmail,
    });
    expect(taken.status).toBe(409);

    const host = `${slug}.shops.test`;
    const mapped = await operator.request('PATCH', `/api/v1/operator/tenants/${created.body.id}`, {
      body: { customDomain: host },
    });
    expect(mapped.body.customDomain).toBe(host);
    const byDomain = await fetch(`${demo.url()}/api/v1/storefronts/by-domain/${host}`);
    expect(await byDomain.json()).toMatchObject({ slug, name: 'Shop' });

    const suspended = await operator.request('PATCH', `/api/v1/operator/tenants/${created.body.id}`, {
      body: { status: 'suspended' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect((await fetch(`${demo.url()}/api/v1/storefronts/by-domain/${host}`)).status).toBe(404);
    // Staff of other stores, buyers and anonymous callers cannot do any of this.
    const merchant = await signedIn('merchant@demo.test');
    expect((await merchant.get('/api/v1/operator/tenants')).status).toBe(401);
  });
});
