import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddress, postJson } from './outbound-http.ts';

describe('outbound webhook addresses', () => {
  it.each([
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(blockedAddress(address, false)).toMatch(/private or internal/);
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(blockedAddress(address, false)).toBeUndefined();
  });

  it('allows loopback only where the deployment says so (the local runtime)', () => {
    expect(blockedAddress('127.0.0.1', true)).toBeUndefined();
    expect(blockedAddress('::1', true)).toBeUndefined();
    expect(blockedAddress('10.0.0.1', true)).toMatch(/private/);
  });
});

describe('postJson', () => {
  let server: Server;
  let url: string;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(body);
        if (request.url === '/slow') return; // never answers
        response.writeHead(request.url === '/down' ? 503 : 200).end('x'.repeat(5000));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('posts and keeps the first KiB of the answer', async () => {
    const answer = await postJson(`${url}/ok`, '{"a":1}', {}, { timeoutMs: 2000, allowLoopback: true });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toHaveLength(1024);
    expect(received).toContain('{"a":1}');
  });

  it('reports the status of a failing platform', async () => {
    const answer = await postJson(`${url}/down`, '{}', {}, { timeoutMs: 2000, allowLoopback: true });
    expect(answer.statusCode).toBe(503);
  });

  it('refuses to connect to localhost unless allowed, before sending anything', async () => {
    const before = received.length;
    await expect(
      postJson(`${url}/ok`, '{"b":2}', {}, { timeoutMs: 2000, allowLoopback: false }),
    ).rejects.toThrow(/refused: .*private or internal/);
    expect(received.length).toBe(before);
  });

  it('gives up on a platform that does not answer in time', async () => {
    await expect(postJson(`${url}/slow`, '{}', {}, { timeoutMs: 300, allowLoopback: true })).rejects.toThrow(
      /no answer within 300 ms/,
    );
  });
});
