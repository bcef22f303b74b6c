import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './static-site.ts';

let root: string;
let server: Server;
let url: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'web-'));
  mkdirSync(join(root, '_app', 'immutable'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'home');
  writeFileSync(join(root, '200.html'), 'shell');
  writeFileSync(join(root, '_app', 'immutable', 'app.js'), 'js');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
  server = createServer((request, response) => serveStatic(root, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: await response.text(), headers: response.headers };
};

describe('serveStatic (as CloudFront + the SPA fallback function serve the web build)', () => {
  it('serves files with their type, immutable assets with a long cache', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: 'home' });
    const asset = await get('/_app/immutable/app.js');
    expect(asset.body).toBe('js');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('answers client-side routes with the SPA shell and missing files with a 404', async () => {
    expect(await get('/status')).toMatchObject({ status: 200, body: 'shell' });
    expect(await get('/stores/demo/products')).toMatchObject({ status: 200, body: 'shell' });
    expect((await get('/_app/immutable/missing.js')).status).toBe(404);
  });

  it('never serves files outside the web root', async () => {
    const escaped = await get('/..%2Fsecret.txt');
    expect(escaped.body).not.toBe('secret');
  });
});
