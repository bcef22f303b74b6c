import { describe, expect, it } from 'vitest';
import { DEMO_STORE_API, demoRuntime, tokenIn } from '../../../test/support/demo-runtime.ts';
import { ApiClient } from '../../../test/support/http-client.ts';
import { uniqueName } from '../../../test/support/services.ts';

const demo = demoRuntime('console');
const store = DEMO_STORE_API;
const { signedIn, mailTo } = demo;

describe('sign-up by application', () => {
  it('keeps an applicant out until the merchant approves; the merchant is notified and decides once', async () => {
    const merchant = await signedIn('merchant@demo.test');
    expect(
      (await merchant.request('PATCH', `${store}/admin/settings`, { body: { signupMode: 'application' } }))
        .status,
    ).toBe(200);

    const email = `${uniqueName('cto')}@example.com`;
    const visitor = demo.client();
    const applied = await visitor.post(`${store}/customers`, {
      type: 'company',
      companyName: 'Globex',
      country: 'FR',
      name: 'Hank',
      email,
      password: 'globex password 1',
      message: 'We run 40 VMs',
    });
    expect(applied.status).toBe(202);
    expect(applied.body).toMatchObject({ status: 'pending_approval', next: 'await_approval' });
    expect((await mailTo('merchant@demo.test')).some((mail) => /Globex/.test(mail.subject))).toBe(true);
    await visitor.post(`${store}/auth/email-verification`, {
      token: tokenIn((await mailTo(email))[0]?.text),
    });

    const early = await visitor.post(`${store}/auth/login`, { email, password: 'globex password 1' });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('account_pending_approval');

    const applications = await merchant.get(`${store}/admin/customer-applications`);
    const globex = applications.body.items.find((c: { name: string }) => c.name === 'Globex');
    expect(globex).toMatchObject({ status: 'pending_approval', applicationMessage: 'We run 40 VMs' });
    const approved = await merchant.post(`${store}/admin/customers/${globex.id}/approve`, {});
    expect(approved.body.status).toBe('active');
    expect((await merchant.post(`${store}/admin/customers/${globex.id}/reject`, {})).status).toBe(409);
    expect((await mailTo(email)).some((mail) => /ready/.test(mail.subject))).toBe(true);
    expect((await visitor.post(`${store}/auth/login`, { email, password: 'globex password 1' })).status).toBe(
      200,
    );
    await merchant.request('PATCH', `${store}/admin/settings`, { body: { signupMode: 'invite_only' } });
    const closed = await visitor.post(`${store}/customers`, {
      type: 'person',
      name: 'Late',
      email: `${uniqueName('late')}@example.com`,
      password: 'late password 12',
      country: 'FR',
    });
    expect(closed.status).toBe(403);
    expect(closed.body.error.code).toBe('signup_closed');
    await merchant.request('PATCH', `${store}/admin/settings`, { body: { signupMode: 'open' } });
  });
});

describe('acting as a customer', () => {
  it('gives support staff a token acting as the buyer, visible to the buyer, audited with both identities', async () => {
    const merchant = await signedIn('merchant@demo.test');
    const buyer = await signedIn('buyer@demo.test');
    const account = (await buyer.get(`${store}/account`)).body;
    const started = await merchant.post(`${store}/admin/customers/${account.id}/impersonation`, {
      reason: 'Order for them by phone',
    });
    expect(started.status).toBe(201);
    const actingAs = new ApiClient(demo.url(), {
      headers: { authorization: `Bearer ${started.body.token}` },
    });
    const session = await actingAs.get(`${store}/auth/session`);
    expect(session.body).toMatchObject({
      principal: 'buyer',
      email: 'buyer@demo.test',
      impersonatedBy: { email: 'merchant@demo.test' },
    });
    const key = await actingAs.post(`${store}/api-keys`, {
      name: 'made by support',
      scopes: ['orders:create'],
    });
    expect(key.status).toBe(201);

    const sessions = (await buyer.get(`${store}/auth/sessions`)).body.items;
    expect(
      sessions.some(
        (s: { impersonatedBy?: { email: string } }) => s.impersonatedBy?.email === 'merchant@demo.test',
      ),
    ).toBe(true);
    const audit = (await merchant.get(`${store}/admin/audit?limit=100`)).body.items;
    const created = audit.find(
      (entry: { action: string; target: string }) =>
        entry.action === 'apikey.created' && entry.target === key.body.key.id,
    );
    expect(created.actor).toMatchObject({ kind: 'staff', email: 'merchant@demo.test' });
    expect(created.onBehalfOf).toMatchObject({ kind: 'buyer', email: 'buyer@demo.test' });
    // The buyer can end it like any session.
    const impersonation = sessions.find((s: { impersonatedBy?: unknown }) => s.impersonatedBy);
    expect((await buyer.delete(`${store}/auth/sessions/${impersonation.id}`)).status).toBe(204);
    expect((await actingAs.get(`${store}/auth/session`)).status).toBe(401);
  });

  it('is refused to staff without customers:impersonate', async () => {
    const owner = await signedIn('merchant@demo.test');
    const email = `${uniqueName('fin')}@demo.test`;
    await owner.post(`${store}/admin/staff/invitations`, { email, roles: ['finance'] });
    const visitor = demo.client();
    await visitor.post(`${store}/auth/invitations/accept`, {
      token: tokenIn((await mailTo(email))[0]?.text),
      name: 'Fin',
      password: 'finance password',
    });
    await visitor.post(`${store}/auth/login`, { email, password: 'finance password' });
    const buyer = await signedIn('buyer@demo.test');
    const account = (await buyer.get(`${store}/account`)).body;
    const refused = await visitor.post(`${store}/admin/customers/${account.id}/impersonation`, {
      reason: 'x',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'permission_required',
      details: { required: ['customers:impersonate'] },
    });
  });
});

describe('company users', () => {
  it('lets the owner invite colleagues with chosen permissions, never beyond their own', async () => {
    const owner = await signedIn('buyer@demo.test');
    const users = await owner.get(`${store}/account/users`);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual([
      'buyer@demo.test',
      'member@demo.test',
    ]);
    expect(JSON.stringify(users.body)).not.toMatch(/passwordHash|scrypt/);
    const email = `${uniqueName('ops')}@acme.test`;
    const invited = await owner.post(`${store}/account/users`, { email, permissions: ['services:manage'] });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ status: 'invited', permissions: ['services:manage'] });

    const member = await signedIn('member@demo.test');
    expect((await member.get(`${store}/account/users`)).status).toBe(403);
    const memberId = users.body.items.find((u: { email: string }) => u.email === 'member@demo.test').id;
    const granted = await owner.request('PATCH', `${store}/account/users/${memberId}`, {
      body: { permissions: ['orders:create', 'finance:view'] },
    });
    expect(granted.body.permissions).toEqual(['finance:view', 'orders:create']);
    const session = await (await signedIn('member@demo.test')).get(`${store}/auth/session`);
    expect(session.body.permissions).toContain('finance:view');
    await owner.request('PATCH', `${store}/account/users/${memberId}`, {
      body: { permissions: ['orders:create', 'services:manage'] },
    });

    const selfChange = await owner.request('PATCH', `${store}/account/users/${users.body.items[0].id}`, {
      body: { permissions: [] },
    });
    expect(selfChange.status).toBe(403);
  });
});

describe('roles as data', () => {
  it('adds a role without code and assigns it; an admin cannot grant what they lack', async () => {
    const owner = await signedIn('merchant@demo.test');
    const put = await owner.request('PUT', `${store}/admin/roles/auditor`, {
      body: { permissions: ['audit:read', 'orders:read'] },
    });
    expect(put.status).toBe(200);
    expect(
      (await owner.get(`${store}/admin/roles`)).body.items.map((r: { name: string }) => r.name),
    ).toContain('auditor');

    const email = `${uniqueName('aud')}@demo.test`;
    await owner.post(`${store}/admin/staff/invitations`, { email, roles: ['catalog'] });
    const staff = (await owner.get(`${store}/admin/staff`)).body.items;
    const invitee = staff.find((u: { email: string }) => u.email === email);
    expect(invitee.status).toBe('invited');
    const changed = await owner.request('PUT', `${store}/admin/staff/${invitee.id}/roles`, {
      body: { roles: ['auditor'] },
    });
    expect(changed.body.roles).toEqual(['auditor']);
    const audit = (await owner.get(`${store}/admin/audit?limit=100`)).body.items;
    expect(
      audit.some(
        (e: { action: string; target: string }) =>
          e.action === 'staff.roles_changed' && e.target === invitee.id,
      ),
    ).toBe(true);

    const ownerId = staff.find((u: { email: string }) => u.email === 'merchant@demo.test').id;
    expect(
      (await owner.request('PUT', `${store}/admin/staff/${ownerId}/roles`, { body: { roles: ['catalog'] } }))
        .status,
    ).toBe(403);
    expect(
      (await owner.request('PUT', `${store}/admin/roles/owner`, { body: { permissions: [] } })).status,
    ).toBe(403);
  });
});
