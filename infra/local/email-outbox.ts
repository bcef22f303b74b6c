/**
 * The SES stand-in: an outbox. It speaks the SES v2 API's SendEmail (REST-JSON,
 * `POST /v2/email/outbound-emails`) on its own port, so handlers use the real
 * @aws-sdk/client-sesv2 with AWS_ENDPOINT_URL_SESV2 pointing here. Nothing is delivered: every
 * message is kept (newest first, the latest `capacity`) and, with a file, appended to it as JSON
 * lines so mail survives restarts. The runtime's HTTP server shows them at /_outbox (a page) and
 * /_outbox.json (for tests and scripts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import * as z from 'zod';
import { consoleRuntimeLog, type RuntimeLog } from './runtime-log.ts';

export const OUTBOX_PAGE_PATH = '/_outbox';
export const OUTBOX_JSON_PATH = '/_outbox.json';
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
const DEFAULT_CAPACITY = 500;
/** SES v2 accepts messages up to 40 MB; a local outbox has no use for more than this. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** SES: at most 50 recipients (To + Cc + Bcc) per message. */
const MAX_RECIPIENTS = 50;

/** One accepted message, as kept in memory, in the JSON-lines file and in /_outbox.json. */
export type OutboxMessage = {
  /** The MessageId SendEmail answered. */
  id: string;
  /** When the outbox accepted it (ISO 8601, UTC). */
  time: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text: string;
  html?: string;
  tags: Record<string, string>;
};

export type EmailOutboxOptions = {
  /** JSON-lines file that keeps every message across restarts; none keeps mail in memory only. */
  file?: string | undefined;
  /** How many messages to keep in memory (newest first). */
  capacity?: number;
  log?: RuntimeLog;
};

const Text = z.object({ Data: z.string(), Charset: z.string().optional() });
const Addresses = z.array(z.string()).optional();
/** The part of SendEmailRequest the outbox understands (simple content only). */
const SendEmailRequest = z.object({
  FromEmailAddress: z.string({ error: 'FromEmailAddress is required' }).min(1),
  Destination: z.object(
    { ToAddresses: Addresses, CcAddresses: Addresses, BccAddresses: Addresses },
    { error: 'Destination is required' },
  ),
  ReplyToAddresses: Addresses,
  Content: z.object(
    {
      Simple: z
        .object({
          Subject: Text,
          Body: z.object({ Text: Text.optional(), Html: Text.optional() }),
        })
        .optional(),
      Raw: z.unknown().optional(),
      Template: z.unknown().optional(),
    },
    { error: 'Content is required' },
  ),
  EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
});

/** A line of the JSON-lines file (checked on load: the file may have been edited or cut short). */
const StoredMessage = z.object({
  id: z.string(),
  time: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  replyTo: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  tags: z.record(z.string(), z.string()),
});

/** Bad input, answered as SES answers it: 400 with `x-amzn-errortype: BadRequestException`. */
export class BadEmailRequest extends Error {
  override readonly name = 'BadRequestException';
}

export class LocalEmailOutbox {
  #server: Server | undefined;
  /** Newest first. */
  #messages: OutboxMessage[] = [];
  #writes: Promise<void> = Promise.resolve();
  readonly #file: string | undefined;
  readonly #capacity: number;
  readonly #log: RuntimeLog;

  constructor(options: EmailOutboxOptions = {}) {
    this.#file = options.file;
    this.#capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.#log = options.log ?? consoleRuntimeLog;
  }

  /** Loads the file (if any) and listens on a free 127.0.0.1 port; returns the endpoint URL. */
  async start(): Promise<string> {
    if (this.#file) this.#load(this.#file);
    this.#server = createServer((request, response) => {
      this.#serveApi(request, response).catch((error: unknown) => {
        this.#log('[outbox] request failed:', error);
        if (!response.headersSent) respondJson(response, 500, { message: String(error) }, 'InternalFailure');
        else response.end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.#server) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    await this.#writes;
  }

  /** Messages, newest first; `to` keeps those addressed (To, Cc or Bcc) to that address. */
  messages(filter: { to?: string | undefined } = {}): OutboxMessage[] {
    const wanted = filter.to?.trim() ? addressOf(filter.to) : undefined;
    if (!wanted) return [...this.#messages];
    return this.#messages.filter((message) =>
      [...message.to, ...message.cc, ...message.bcc].some((recipient) => addressOf(recipient) === wanted),
    );
  }

  /** Accepts a SendEmail request body (parsed JSON) as SES would; throws BadEmailRequest if it is not one. */
  async accept(input: unknown): Promise<OutboxMessage> {
    const message = toOutboxMessage(input);
    this.#messages.unshift(message);
    if (this.#messages.length > this.#capacity) this.#messages.length = this.#capacity;
    const file = this.#file;
    if (file) {
      this.#writes = this.#writes
        .then(() => appendFile(file, `${JSON.stringify(message)}\n`, 'utf8'))
        .catch((error: unknown) => this.#log(`[outbox] could not append to ${file}:`, error));
      await this.#writes;
    }
    return message;
  }

  /**
   * Serves the mailbox on the runtime's HTTP server: `/_outbox` (HTML) and `/_outbox.json`, both
   * with an optional `?to=` filter. Returns false for any other path.
   */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const page = url.pathname === OUTBOX_PAGE_PATH || url.pathname === `${OUTBOX_PAGE_PATH}/`;
    if (!page && url.pathname !== OUTBOX_JSON_PATH) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('Method Not Allowed');
      return true;
    }
    const to = url.searchParams.get('to') ?? undefined;
    const messages = this.messages({ to });
    const body = page
      ? renderOutboxPage(messages, { to, capacity: this.#capacity })
      : JSON.stringify(messages, null, 2);
    response.writeHead(200, {
      'content-type': page ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(page ? { 'content-security-policy': PAGE_CSP } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  }

  #load(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const loaded: OutboxMessage[] = [];
    let skipped = 0;
    for (const line of lines) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // e.g. a line cut short when the process was killed mid-write
      }
      const message = StoredMessage.safeParse(parsed);
      if (message.success) loaded.push(message.data as OutboxMessage);
      else skipped += 1;
    }
    if (skipped > 0) this.#log(`[outbox] skipped ${skipped} unreadable line(s) in ${file}`);
    const kept = loaded.slice(-this.#capacity);
    this.#messages = kept.reverse();
    // Keep the file from growing without bound: rewrite it with what is kept once it holds twice that.
    if (lines.length > 2 * this.#capacity || skipped > 0) {
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(
        temporary,
        [...this.#messages]
          .reverse()
          .map((m) => `${JSON.stringify(m)}\n`)
          .join(''),
      );
      renameSync(temporary, file);
    }
  }

  async #serveApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== SEND_EMAIL_PATH) {
      request.resume();
      respondJson(
        response,
        404,
        { message: `${request.method} ${path} is not emulated locally (only SendEmail is).` },
        'NotFoundException',
      );
      return;
    }
    if (request.method !== 'POST') {
      request.resume();
      respondJson(response, 405, { message: `${SEND_EMAIL_PATH} takes POST.` }, 'MethodNotAllowedException');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
    }
    try {
      if (size > MAX_REQUEST_BYTES)
        throw new BadEmailRequest('The request is larger than the outbox takes (10 MB).');
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new BadEmailRequest('The request body is not valid JSON.');
      }
      const message = await this.accept(input);
      respondJson(response, 200, { MessageId: message.id });
    } catch (error) {
      if (!(error instanceof BadEmailRequest)) throw error;
      respondJson(response, 400, { message: error.message }, 'BadRequestException');
    }
  }
}

/** Checks a SendEmail request as SES would (for what the outbox emulates) and turns it into a message. */
export function toOutboxMessage(input: unknown, now = new Date()): OutboxMessage {
  const parsed = SendEmailRequest.safeParse(input);
  if (!parsed.success) {
    throw new BadEmailRequest(
      parsed.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; '),
    );
  }
  const request = parsed.data;
  const simple = request.Content.Simple;
  if (!simple) {
    throw new BadEmailRequest('Only Content.Simple is emulated locally (not Raw or Template content).');
  }
  if (!simple.Body.Text && !simple.Body.Html) {
    throw new BadEmailRequest('Content.Simple.Body needs Text or Html.');
  }
  const to = request.Destination.ToAddresses ?? [];
  const cc = request.Destination.CcAddresses ?? [];
  const bcc = request.Destination.BccAddresses ?? [];
  const recipients = [...to, ...cc, ...bcc];
  if (recipients.length === 0) throw new BadEmailRequest('Destination needs at least one recipient.');
  if (recipients.length > MAX_RECIPIENTS) {
    throw new BadEmailRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  }
  const replyTo = request.ReplyToAddresses ?? [];
  for (const address of [request.FromEmailAddress, ...recipients, ...replyTo]) {
    if (!isAddress(address)) throw new BadEmailRequest(`Illegal address: ${address}`);
  }
  return {
    id: `local-${randomUUID()}`,
    time: now.toISOString(),
    from: request.FromEmailAddress,
    to,
    cc,
    bcc,
    replyTo,
    subject: simple.Subject.Data,
    text: simple.Body.Text?.Data ?? '',
    ...(simple.Body.Html ? { html: simple.Body.Html.Data } : {}),
    tags: Object.fromEntries((request.EmailTags ?? []).map((tag) => [tag.Name, tag.Value])),
  };
}

/** `Ada <ada@example.com>` → `ada@example.com`; compared case-insensitively. */
function addressOf(recipient: string): string {
  const angled = /<([^<>]*)>\s*$/.exec(recipient);
  return (angled?.[1] ?? recipient).trim().toLowerCase();
}

function isAddress(recipient: string): boolean {
  return /^[^\s@<>",;]+@[^\s@<>",;]+$/.test(addressOf(recipient));
}

function respondJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

/* ----------------------------------------------------------------------------------------------
 * The mailbox page. Everything in it comes from handlers (and so, often, from user input): every
 * value is escaped, only http(s) URLs in the text become links, HTML bodies are shown in a
 * sandboxed frame, and the CSP allows no script at all.
 */

const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
input { flex: 1 1 14rem; min-width: 0; font: inherit; padding: .4rem .6rem; }
button { font: inherit; padding: .4rem 1rem; cursor: pointer; }
ol { list-style: none; margin: 0; padding: 0; }
article { border: 1px solid color-mix(in srgb, currentColor 25%, transparent); border-radius: .5rem;
  padding: 1rem; margin: 0 0 1rem; }
h2 { margin: 0 0 .5rem; font-size: 1.15rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .75rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { margin: 0; padding: .75rem; border-radius: .25rem; font: inherit; white-space: pre-wrap;
  overflow-wrap: anywhere; background: color-mix(in srgb, currentColor 6%, transparent); }
details { margin-top: .75rem; }
summary { cursor: pointer; }
iframe { width: 100%; min-height: 24rem; margin-top: .5rem; border: 1px solid #8888; background: #fff; }
:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
@media (max-width: 32rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: .3rem; } }
`;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Escapes plain text and turns the http(s) URLs in it into links (trailing punctuation stays text). */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index;
    html += `${escapeHtml(text.slice(last, start))}<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function renderMessage(message: OutboxMessage, index: number): string {
  const headingId = `message-${index + 1}`;
  const row = (label: string, values: string[]) =>
    values.length ? `<dt>${label}</dt><dd>${values.map(escapeHtml).join(', ')}</dd>` : '';
  const tags = Object.entries(message.tags).map(([name, value]) => `${name}=${value}`);
  const subject = message.subject || '(no subject)';
  return `<li><article aria-labelledby="${headingId}">
<h2 id="${headingId}">${escapeHtml(subject)}</h2>
<dl>
<dt>Time</dt><dd><time datetime="${escapeHtml(message.time)}">${escapeHtml(formatTime(message.time))}</time></dd>
${row('From', [message.from])}${row('To', message.to)}${row('Cc', message.cc)}${row('Bcc', message.bcc)}${row('Reply-To', message.replyTo)}${row('Tags', tags)}
</dl>
<pre>${message.text ? linkify(message.text) : '(no text version)'}</pre>
${
  message.html === undefined
    ? ''
    : `<details><summary>HTML version</summary><iframe sandbox srcdoc="${escapeHtml(message.html)}" title="HTML version of: ${escapeHtml(subject)}" loading="lazy"></iframe></details>`
}
</article></li>`;
}

/** The mailbox page: every message, newest first, with a recipient filter. */
export function renderOutboxPage(
  messages: OutboxMessage[],
  options: { to?: string | undefined; capacity?: number } = {},
): string {
  const to = options.to?.trim() ?? '';
  const count = `${messages.length} message${messages.length === 1 ? '' : 's'}`;
  const summary = to ? `${count} to ${escapeHtml(to)}.` : `${count}, newest first.`;
  const jsonHref = `${OUTBOX_JSON_PATH}${to ? `?to=${encodeURIComponent(to)}` : ''}`;
  const list = messages.length
    ? `<ol>\n${messages.map(renderMessage).join('\n')}\n</ol>`
    : `<p>${to ? 'No mail to this address yet.' : 'No mail yet.'} Mail the store sends shows up here (reload the page).</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mailbox · Nimbus (local)</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>Mailbox</h1>
<p>Mail sent by the local runtime; nothing leaves this machine (on AWS it goes out through SES).
The latest ${options.capacity ?? DEFAULT_CAPACITY} messages are kept. <a href="${escapeHtml(jsonHref)}">As JSON</a></p>
<form method="get" action="${OUTBOX_PAGE_PATH}" role="search">
<label for="to">Recipient</label>
<input id="to" name="to" type="search" value="${escapeHtml(to)}" placeholder="ada@example.com" autocomplete="off">
<button type="submit">Filter</button>${to ? ` <a href="${OUTBOX_PAGE_PATH}">Show all</a>` : ''}
</form>
<p role="status">${summary}</p>
${list}
</main>
</body>
</html>
`;
}
