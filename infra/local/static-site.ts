/**
 * Serves the built web app as CloudFront does in front of S3 (infra/aws SPA_FALLBACK_FUNCTION):
 * files by path; a path without a file extension is a client-side route and gets /200.html, the
 * SPA shell adapter-static writes; a missing file with an extension is a 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export const SPA_FALLBACK = '200.html';

export function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): void {
  const base = resolve(root);
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  const isClientRoute = !lastSegment.includes('.');
  const candidates = isClientRoute ? [join(path, 'index.html'), SPA_FALLBACK] : [path];
  for (const candidate of candidates) {
    const file = resolve(base, normalize(`.${sep}${candidate}`));
    if (file !== base && !file.startsWith(base + sep)) continue; // no escaping the web root
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    const immutable = file.includes(`${sep}_app${sep}immutable${sep}`);
    response.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`Not found. Is the web app built? (npm run build:web writes ${root})`);
}
