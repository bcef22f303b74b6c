import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '#functions/notifications/adapters/ses-email-sender.ts';
import { readJson } from '../../test/support/http.ts';
import { LOCAL_CREDENTIALS } from './backing-services.ts';
import { LocalEmailOutbox, linkify, type OutboxMessage, renderOutboxPage } from './email-outbox.ts';
import { silentRuntimeLog } from './runtime-log.ts';

const FROM = 'Nimbus <no-reply@nimbus.test>';
const client = (endpoint: string) =>
  new SESv2Client({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint });

/** The outbox's SES endpoint, and its mailbox served as the runtime serves it. */
async function startOutbox(file?: string) {
  const outbox = new LocalEmailOutbox({ file, log: silentRuntimeLog });
  const endpoint = await outbox.start();
  const site: Server = createServer((request, response) => {
    if (!outbox.serve(request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const ses = client(endpoint);
  return {
    outbox,
    endpoint,
    url,
    sender: new SesEmailSender(ses, FROM),
    ses,
    stop: async () => {
      ses.destroy();
      await new Promise<void>((resolve) => site.close(() => resolve()));
      await outbox.stop();
    },
  };
}

describe('the outbox speaks SES v2 SendEmail as @aws-sdk/client-sesv2 sends it', () => {
  let running: Awaited<ReturnType<typeof startOutbox>>;
  beforeAll(async () => {
    running = await startOutbox();
  });
  afterAll(() => running.stop());

  const post = (body: string, path = '/v2/email/outbound-emails') =>
    fetch(`${running.endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('keeps what SesEmailSender sends: sender, recipient, subject, text, HTML and tags', async () => {
    await running.sender.send({
      to: 'Ada Lovelace <ada@example.com>',
      subject: 'Verify your email — Nimbus',
      text: 'Open http://localhost:3000/stores/demo/verify-email?token=abc123 to verify.',
      html: '<p><a href="http://localhost:3000/stores/demo/verify-email?token=abc123">Verify</a></p>',
      tenantId: 'ten_01 demo',
      tags: { kind: 'verify-email' },
    });
    const [message] = running.outbox.messages({ to: 'ADA@example.com' });
    expect(message).toEqual({
      id: expect.stringMatching(/^local-/),
      time: expect.any(String),
      from: FROM,
      to: ['Ada Lovelace <ada@example.com>'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'Verify your email — Nimbus',
      text: 'Open http://localhost:3000/stores/demo/verify-email?token=abc123 to verify.',
      html: '<p><a href="http://localhost:3000/stores/demo/verify-email?token=abc123">Verify</a></p>',
      tags: { kind: 'verify-email', tenant: 'ten_01_demo' },
    });
    expect(Date.now() - Date.parse(message?.time ?? '')).toBeLessThan(5_000);
  });

  it('answers with the MessageId and reads Cc, Bcc and Reply-To from the SDK request', async () => {
    const result = await running.ses.send(
      new SendEmailCommand({
        FromEmailAddress: FROM,
        Destination: {
          ToAddresses: ['to@example.com'],
          CcAddresses: ['cc@example.com'],
          BccAddresses: ['bcc@example.com'],
        },
        ReplyToAddresses: ['help@nimbus.test'],
        Content: { Simple: { Subject: { Data: 'Copies' }, Body: { Html: { Data: '<b>only html</b>' } } } },
      }),
    );
    const [message] = running.outbox.messages({ to: 'bcc@example.com' });
    expect(result.MessageId).toBe(message?.id);
    expect(message).toMatchObject({
      to: ['to@example.com'],
      cc: ['cc@example.com'],
      bcc: ['bcc@example.com'],
      replyTo: ['help@nimbus.test'],
      text: '',
      html: '<b>only html</b>',
    });
    expect(running.outbox.messages({ to: 'cc@example.com' })).toEqual([message]);
  });

  it('refuses what SES refuses, as a BadRequestException the SDK recognises', async () => {
    const send = (input: ConstructorParameters<typeof SendEmailCommand>[0]) =>
      running.ses.send(new SendEmailCommand(input));
    const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };
    await expect(send({ FromEmailAddress: FROM, Destination: {}, Content: simple })).rejects.toMatchObject({
      name: 'BadRequestException',
      message: 'Destination needs at least one recipient.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      send({ FromEmailAddress: FROM, Destination: { ToAddresses: ['not an address'] }, Content: simple }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: 'Illegal address: not an address' });
    await expect(
      send({
        FromEmailAddress: FROM,
        Destination: { ToAddresses: ['a@example.com'] },
        Content: { Raw: { Data: new TextEncoder().encode('raw') } },
      }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringMatching(/Simple/) });
  });

  it('answers malformed requests with 400 and a message that says what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"FromEmailAddress": ', /not valid JSON/],
      ['[]', /expected object/],
      [
        JSON.stringify({ Destination: { ToAddresses: ['a@example.com'] }, Content: {} }),
        /FromEmailAddress is required/,
      ],
      [
        JSON.stringify({
          FromEmailAddress: FROM,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: {}, Body: { Text: { Data: 'x' } } } },
        }),
        /Content\.Simple\.Subject\.Data/,
      ],
      [
        JSON.stringify({
          FromEmailAddress: FROM,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: {} } },
        }),
        /needs Text or Html/,
      ],
    ];
    const before = running.outbox.messages().length;
    for (const [body, message] of cases) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
      expect((await readJson(response)).message, body).toMatch(message);
    }
    expect(running.outbox.messages()).toHaveLength(before);
    expect((await post('{}', '/v2/email/templates')).status).toBe(404);
  });

  it('serves the mail as JSON, newest first, filtered by recipient', async () => {
    const tag = `${Date.now()}`;
    await running.sender.send({ to: `first-${tag}@example.com`, subject: 'one', text: '1' });
    await running.sender.send({ to: `second-${tag}@example.com`, subject: 'two', text: '2' });
    const all = await readJson(await fetch(`${running.url}/_outbox.json`));
    expect(all.slice(0, 2).map((m: OutboxMessage) => m.subject)).toEqual(['two', 'one']);
    const response = await fetch(
      `${running.url}/_outbox.json?to=${encodeURIComponent(`first-${tag}@example.com`)}`,
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await readJson(response)).map((m: OutboxMessage) => m.subject)).toEqual(['one']);
    expect(await readJson(await fetch(`${running.url}/_outbox.json?to=nobody@example.com`))).toEqual([]);
    expect((await fetch(`${running.url}/_outbox.json`, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves the mailbox page with everything escaped and the links in the text clickable', async () => {
    await running.sender.send({
      to: 'mallory@example.com',
      subject: '<script>alert("subject")</script>',
      text: 'Verify: http://localhost:3000/stores/demo/verify-email?token=a&b=<c>.\n<img src=x onerror=alert(1)>',
      html: '<p onclick="alert(1)">"quoted"</p>',
    });
    const response = await fetch(`${running.url}/_outbox?to=mallory@example.com`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toContain('<p onclick');
    expect(page).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(page).toContain(
      '<a href="http://localhost:3000/stores/demo/verify-email?token=a&amp;b=">http://localhost:3000/stores/demo/verify-email?token=a&amp;b=</a>&lt;c&gt;.',
    );
    expect(page).toContain('srcdoc="&lt;p onclick=&quot;alert(1)&quot;&gt;&quot;quoted&quot;&lt;/p&gt;"');
    expect(page).toMatch(/<iframe sandbox srcdoc=/);
    expect(page).toContain('value="mallory@example.com"');
    expect(page).toContain('1 message to mallory@example.com.');
  });
});

describe('the outbox file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps mail across restarts, one JSON line per message, skipping unreadable lines', async () => {
    const file = join(dir, 'nested', 'outbox.jsonl');
    const first = await startOutbox(file);
    await first.sender.send({ to: 'keep@example.com', subject: 'kept', text: 'still here' });
    await first.sender.send({ to: 'keep@example.com', subject: 'kept too', text: 'also here' });
    await first.stop();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).subject)).toEqual(['kept', 'kept too']);
    appendFileSync(file, '{"id": "cut short');

    const second = await startOutbox(file);
    try {
      const messages = await readJson(await fetch(`${second.url}/_outbox.json?to=keep@example.com`));
      expect(messages.map((m: OutboxMessage) => m.subject)).toEqual(['kept too', 'kept']);
      await second.sender.send({ to: 'keep@example.com', subject: 'after restart', text: '3' });
      expect(second.outbox.messages().map((m) => m.subject)).toEqual(['after restart', 'kept too', 'kept']);
      // The cut-short line was dropped when the file was rewritten.
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
    } finally {
      await second.stop();
    }
  });

  it('keeps the newest messages up to its capacity', async () => {
    const file = join(dir, 'outbox.jsonl');
    const outbox = new LocalEmailOutbox({ capacity: 2, file, log: silentRuntimeLog });
    for (const subject of ['a', 'b', 'c']) {
      await outbox.accept({
        FromEmailAddress: FROM,
        Destination: { ToAddresses: ['cap@example.com'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: subject } } } },
      });
    }
    expect(outbox.messages().map((m) => m.subject)).toEqual(['c', 'b']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});

describe('the mailbox page', () => {
  it('links only http(s) URLs, leaving trailing punctuation outside the link', () => {
    expect(linkify('See https://example.com/a?b=1&c=2. Or javascript:alert(1) (http://x.test/y)')).toBe(
      'See <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>. ' +
        'Or javascript:alert(1) (<a href="http://x.test/y">http://x.test/y</a>)',
    );
  });

  it('says when there is no mail, and escapes the filter', () => {
    const page = renderOutboxPage([], { to: '"><b>x' });
    expect(page).toContain('No mail to this address yet.');
    expect(page).toContain('value="&quot;&gt;&lt;b&gt;x"');
    expect(page).not.toContain('<b>x');
    expect(page).toMatch(/<html lang="en">/);
    expect(page).toMatch(/<meta name="viewport"/);
  });
});
