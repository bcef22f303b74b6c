import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSender } from '#functions/notifications/adapters/ses-email-sender.ts';
import { readJson } from '../../test/support/http.ts';
import { serviceEndpoints, uniqueName } from '../../test/support/services.ts';
import { nimbus } from '../topology/nimbus.ts';
import type { Topology } from '../topology/types.ts';
import type { OutboxMessage } from './email-outbox.ts';
import { LOCAL_EMAIL_FROM, type LocalRuntime, startLocalRuntime } from './runtime.ts';

/** No functions needed: the test sends as a handler would, with the environment the runtime sets. */
const topology: Topology = {
  ...nimbus,
  app: 'email-test',
  functions: [],
  routes: [],
  queues: [],
  rules: [],
  schedules: [],
};

let dataDir: string;
const start = () =>
  startLocalRuntime({
    port: 0,
    topology,
    services: serviceEndpoints(),
    namePrefix: uniqueName('mail'),
    dataDir,
    webRoot: null,
    runSchedules: false,
    quiet: true,
  });

let runtime: LocalRuntime;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nimbus-mail-'));
  runtime = await start();
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const inbox = async (url: string, to: string): Promise<OutboxMessage[]> =>
  readJson(await fetch(`${url}/_outbox.json?to=${encodeURIComponent(to)}`));

describe('mail in the local runtime', () => {
  const to = `${uniqueName('buyer')}@example.com`;
  const link = 'http://localhost:3000/stores/demo/verify-email?token=tok_123';

  it('gives handlers an SES endpoint and sender, and shows what they send at /_outbox.json', async () => {
    expect(process.env.AWS_ENDPOINT_URL_SESV2).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.EMAIL_FROM).toBe(LOCAL_EMAIL_FROM);
    await emailSender().send({
      to,
      subject: '<script>alert(1)</script> Verify your email',
      text: `Welcome! Verify your address: ${link}`,
      tenantId: 'ten_demo',
      tags: { kind: 'verify-email' },
    });
    const [message] = await inbox(runtime.url, to);
    expect(message).toMatchObject({
      from: LOCAL_EMAIL_FROM,
      to: [to],
      subject: '<script>alert(1)</script> Verify your email',
      tags: { kind: 'verify-email', tenant: 'ten_demo' },
    });
    expect(runtime.outbox.messages({ to })).toEqual([message]);
  });

  it('shows the mailbox page with the subject escaped and the link clickable', async () => {
    const response = await fetch(`${runtime.url}/_outbox`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Verify your email');
    expect(page).not.toContain('<script>');
    expect(page).toContain(`<a href="${link}">${link}</a>`);
  });

  it('keeps the mail across a restart with the same data folder', async () => {
    await runtime.stop();
    runtime = await start();
    const [message] = await inbox(runtime.url, to);
    expect(message?.text).toContain(link);
  });

  it('leaves /api and everything else to the API and the web app', async () => {
    expect((await fetch(`${runtime.url}/_outbox/other`)).status).toBe(404);
    expect((await fetch(`${runtime.url}/api/nowhere`)).status).toBe(404);
  });
});
