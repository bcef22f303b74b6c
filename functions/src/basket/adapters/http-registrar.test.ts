import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '#shared/errors.ts';
import { ReferenceRegistrar } from '../../../../infra/local/reference-registrar.ts';
import { HttpRegistrar } from './http-registrar.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A registrar at a local port answering with `respond`; returns its base URL. */
async function registrarAt(respond: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(respond);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the registrar port over HTTP', () => {
  it('asks the reference registrar and reads its answers', async () => {
    const reference = new ReferenceRegistrar();
    const url = await registrarAt((request, response) => {
      if (!reference.serve(request, response)) response.writeHead(404).end();
    });
    const answers = await new HttpRegistrar(`${url}/_registrar`).check([
      'taken-shop.com',
      'fresh-name.de',
      'ab.io',
    ]);
    expect(answers.get('taken-shop.com')).toEqual({ available: false, reason: 'already registered' });
    expect(answers.get('fresh-name.de')).toEqual({ available: true });
    expect(answers.get('ab.io')?.available).toBe(false);
  });

  it('reports a registrar that fails, answers nonsense or is not there as unavailable (503)', async () => {
    const failing = await registrarAt((_request, response) => response.writeHead(500).end());
    await expect(new HttpRegistrar(failing).check(['a-name.com'])).rejects.toBeInstanceOf(UnavailableError);
    server?.close();

    const nonsense = await registrarAt((_request, response) => response.end('{"results": "yes"}'));
    await expect(new HttpRegistrar(nonsense).check(['a-name.com'])).rejects.toThrow(/unreadable/);
    server?.close();
    server = undefined;

    await expect(new HttpRegistrar(nonsense).check(['a-name.com'])).rejects.toThrow(/did not answer/);
  });

  it('asks nothing for no domains', async () => {
    expect((await new HttpRegistrar('http://127.0.0.1:9').check([])).size).toBe(0);
  });
});
