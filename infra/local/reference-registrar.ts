/**
 * The local reference registrar: a small stand-in for a domain registrar's availability API, served
 * by the runtime at /_registrar (the contract is in functions/src/basket/registrar.ts). Registered
 * names are kept in memory, starting with a few well-known ones; any name whose first label starts
 * with `taken` is registered, and one- or two-letter names are reserved, so demos and tests can
 * show an unavailable domain predictably.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REGISTRAR_PATH = '/_registrar';

const ALREADY_REGISTERED = [
  'example.com',
  'example.net',
  'example.org',
  'google.com',
  'nimbus.test',
  'demo.de',
];
const MAX_BODY_BYTES = 64 * 1024;

export class ReferenceRegistrar {
  private readonly registered = new Set(ALREADY_REGISTERED);

  availability(domain: string): { domain: string; available: boolean; reason?: string } {
    const name = domain.toLowerCase();
    const firstLabel = name.split('.')[0] ?? '';
    if (this.registered.has(name) || firstLabel.startsWith('taken')) {
      return { domain: name, available: false, reason: 'already registered' };
    }
    if (firstLabel.length <= 2) return { domain: name, available: false, reason: 'reserved by the registry' };
    return { domain: name, available: true };
  }

  register(domain: string): boolean {
    if (!this.availability(domain).available) return false;
    this.registered.add(domain.toLowerCase());
    return true;
  }

  /** Handles /_registrar requests; false for other paths. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    const path = (request.url ?? '').split('?')[0];
    if (!path?.startsWith(`${REGISTRAR_PATH}/`)) return false;
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const action = path.slice(REGISTRAR_PATH.length);
    if (request.method !== 'POST' || (action !== '/v1/domains/check' && action !== '/v1/domains/register')) {
      answer(404, { error: 'POST /v1/domains/check or /v1/domains/register' });
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      let domains: unknown;
      try {
        domains = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { domains?: unknown }).domains;
      } catch {
        domains = undefined;
      }
      if (size > MAX_BODY_BYTES || !Array.isArray(domains) || !domains.every((d) => typeof d === 'string')) {
        answer(400, { error: 'send {"domains": ["example.com", …]}' });
        return;
      }
      if (action === '/v1/domains/check') {
        answer(200, { results: domains.map((domain) => this.availability(domain)) });
      } else {
        answer(200, { results: domains.map((domain) => ({ domain, registered: this.register(domain) })) });
      }
    });
    return true;
  }
}
