import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { ManualClock } from '#shared/time/clock.ts';
import { freshTable } from '../../../test/support/services.ts';
import type { EmailMessage } from '../notifications/email.ts';
import { createTenant } from '../tenants/tenant-admin.ts';
import { DEFAULT_POLICY, type IdentityDeps } from './identity-deps.ts';
import { acceptInvitation } from './invitations.ts';
import { requestPasswordReset, resetPassword } from './passwords.ts';
import { registerCustomer, verifyEmail } from './registration.ts';
import { login } from './sessions.ts';
import { buildIdentityDeps } from './table-identity.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let deps: IdentityDeps;
let tenant: Tenant;
const clock = new ManualClock('2026-11-23T10:00:00Z');
const sent: EmailMessage[] = [];
const client = { ip: '192.0.2.1' };

const tokenFor = (to: string, subject: RegExp) => {
  const mail = sent.filter((m) => m.to === to && subject.test(m.subject)).at(-1);
  return decodeURIComponent(/token=([^\s]+)/.exec(mail?.text ?? '')?.[1] ?? '');
};

beforeAll(async () => {
  table = await freshTable();
  deps = buildIdentityDeps(table.documentClient, table.tableName, 'https://shop.example', {
    clock,
    // The port to the mail service, captured in memory: what we test is what the links allow.
    email: { send: async (message) => void sent.push(message) },
  });
  const operator = { kind: 'operator' as const, operatorId: 'opr_x', email: 'o@x', sessionId: 's' };
  ({ tenant } = await createTenant(deps, operator, {
    name: 'Links',
    slug: 'links',
    defaultCurrency: 'EUR',
    defaultLanguage: 'en',
    signupMode: 'open',
    ownerEmail: 'owner@links.test',
  }));
});
afterAll(() => table.drop());

describe('emailed links', () => {
  it('points links at the web app of the store', async () => {
    expect(sent[0]?.text).toContain('https://shop.example/stores/links/accept-invitation?token=');
  });

  it('refuses an expired password-reset link, and accepts a fresh one once', async () => {
    await registerCustomer(
      deps,
      tenant,
      { type: 'person', name: 'Ed', email: 'ed@links.test', password: 'a long password 1', country: 'DE' },
      client,
    );
    await verifyEmail(deps, tenant, tokenFor('ed@links.test', /Confirm/), client);

    await requestPasswordReset(deps, tenant, 'ed@links.test', client);
    const stale = tokenFor('ed@links.test', /Reset/);
    clock.advance(DEFAULT_POLICY.resetTtlMs + 1);
    await expect(
      resetPassword(deps, tenant, { token: stale, password: 'a new password 22' }, client),
    ).rejects.toMatchObject({
      code: 'invalid_token',
    });

    await requestPasswordReset(deps, tenant, 'ed@links.test', client);
    const fresh = tokenFor('ed@links.test', /Reset/);
    await resetPassword(deps, tenant, { token: fresh, password: 'a new password 22' }, client);
    await expect(
      login(deps, tenant, { email: 'ed@links.test', password: 'a long password 1' }, client, undefined),
    ).rejects.toMatchObject({
      code: 'invalid_login',
    });
    const { view } = await login(
      deps,
      tenant,
      { email: 'ed@links.test', password: 'a new password 22' },
      client,
      undefined,
    );
    expect(view.email).toBe('ed@links.test');
  });

  it('refuses an expired verification link and an expired invitation', async () => {
    await registerCustomer(
      deps,
      tenant,
      { type: 'person', name: 'Vi', email: 'vi@links.test', password: 'a long password 1', country: 'DE' },
      client,
    );
    const verification = tokenFor('vi@links.test', /Confirm/);
    const invitation = tokenFor('owner@links.test', /invited/);
    clock.advance(DEFAULT_POLICY.invitationTtlMs + 1);
    await expect(verifyEmail(deps, tenant, verification, client)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(
      acceptInvitation(
        deps,
        tenant,
        { token: invitation, name: 'Owner', password: 'owner password 1' },
        client,
      ),
    ).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('sends at most a few reset mails per address per window', async () => {
    const before = sent.filter((mail) => mail.to === 'ed@links.test' && /Reset/.test(mail.subject)).length;
    for (let i = 0; i < 5; i += 1) await requestPasswordReset(deps, tenant, 'ed@links.test', client);
    const after = sent.filter((mail) => mail.to === 'ed@links.test' && /Reset/.test(mail.subject)).length;
    expect(after - before).toBe(DEFAULT_POLICY.maxResetMailsPerWindow);
    clock.advance(DEFAULT_POLICY.throttleWindowMs);
  });

  it('does not accept a link for another purpose', async () => {
    await requestPasswordReset(deps, tenant, 'ed@links.test', client);
    const reset = tokenFor('ed@links.test', /Reset/);
    await expect(verifyEmail(deps, tenant, reset, client)).rejects.toMatchObject({ code: 'invalid_token' });
  });
});
