/**
 * The one way webhooks leave Nimbus: a POST that refuses to connect to private, loopback,
 * link-local and other internal addresses (a merchant's URL must not reach our own network or
 * the cloud's metadata service). The check runs on the address actually connected to, inside the
 * socket's DNS lookup, so a name that resolves differently on the second look cannot slip past.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, the instance metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

/** Why an address may not be called, or undefined. */
export function blockedAddress(address: string, allowLoopback: boolean): string | undefined {
  if (allowLoopback && LOOPBACK.has(address)) return undefined;
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blockedAddress(mapped, allowLoopback);
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? `${address} is a private or internal address`
    : undefined;
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
}

export type OutboundAnswer = { statusCode: number; body: string; latencyMs: number };

/** Bytes of an answer kept: enough for the merchant to see what the platform said. */
export const ANSWER_BYTES = 1_024;

/**
 * POSTs `body` and resolves with the status and the first ANSWER_BYTES of the answer; rejects on
 * a refused or blocked address, a network error or the timeout.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowLoopback: boolean },
): Promise<OutboundAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Nimbus-Webhooks/1',
        },
        timeout: options.timeoutMs,
        // A new connection each time: a kept-alive socket would skip the address check below.
        agent: false,
        lookup: (hostname, lookupOptions, callback) => {
          dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 0);
            const list = addresses as LookupAddress[];
            const problem = list.map((a) => blockedAddress(a.address, options.allowLoopback)).find(Boolean);
            if (problem || list.length === 0) {
              return callback(new BlockedAddressError(`refused: ${problem ?? 'no address'}`), '', 0);
            }
            if (lookupOptions.all) return callback(null, list as unknown as string, 0);
            const first = list[0] as LookupAddress;
            callback(null, first.address, first.family);
          });
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < ANSWER_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8'),
            latencyMs: Math.round(performance.now() - started),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
