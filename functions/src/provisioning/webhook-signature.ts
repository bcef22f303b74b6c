/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): what lets a provisioning platform
 * check, with an off-the-shelf library in its own language, that a webhook came from Nimbus and
 * was not changed or replayed. Pure: node:crypto only, time passed in.
 *
 * - secret: `whsec_` + base64 of random bytes; the HMAC key is the decoded bytes;
 * - signed content: `${webhook-id}.${webhook-timestamp}.${body}` (the raw body bytes);
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256>`, space-separated, one per valid secret (during
 *   a rotation the new and the previous secret both sign, so either verifies).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Bytes of a new secret: the spec asks for 24 to 64. */
export const SECRET_BYTES = 32;
/** How far a timestamp may be from now, either way (the spec's and the libraries' default). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new signing secret in the Standard Webhooks format. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key of a `whsec_…` secret; throws on anything else. */
export function secretKeyBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const encoded = secret.slice(SECRET_PREFIX.length);
  const bytes = Buffer.from(encoded, 'base64');
  // Buffer.from ignores stray characters; a secret must round-trip exactly.
  if (bytes.length < 24 || bytes.toString('base64') !== encoded) {
    throw new Error('a webhook secret is whsec_ + base64 of at least 24 bytes');
  }
  return bytes;
}

const toBuffer = (body: string | Uint8Array) =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);

/** `v1,<base64>` for one secret. */
function signatureWith(secret: string, id: string, timestamp: number, body: Buffer): string {
  const hmac = createHmac('sha256', secretKeyBytes(secret));
  hmac.update(`${id}.${timestamp}.`, 'utf8');
  hmac.update(body);
  return `v1,${hmac.digest('base64')}`;
}

/**
 * The three headers of a webhook, signed with every secret given (current first).
 *
 * @example signWebhook({ id: 'msg_1', body: '{"type":"activate"}', secrets: [current, previous], now })
 */
export function signWebhook(input: {
  id: string;
  body: string | Uint8Array;
  secrets: readonly string[];
  now: Date;
}): WebhookHeaders {
  if (input.secrets.length === 0) throw new Error('a webhook is signed with at least one secret');
  if (input.id.includes('.')) throw new Error('a webhook id must not contain "."');
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const body = toBuffer(input.body);
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': input.secrets
      .map((secret) => signatureWith(secret, input.id, timestamp, body))
      .join(' '),
  };
}

export type VerifyFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'no_matching_signature';
export type VerifyResult = { ok: true; id: string; timestamp: Date } | { ok: false; reason: VerifyFailure };

const header = (headers: Record<string, string | undefined>, name: string): string | undefined => {
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
};

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a signed request against any of `secrets` (the connector's valid ones), as a receiver
 * would: headers present, timestamp within the tolerance, one `v1` signature matching.
 *
 * @example verifyWebhook({ headers: event.headers, body: rawBody, secrets, now: clock.now() })
 */
export function verifyWebhook(input: {
  headers: Record<string, string | undefined>;
  body: string | Uint8Array;
  secrets: readonly string[];
  now: Date;
  toleranceSeconds?: number;
}): VerifyResult {
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(Math.floor(input.now.getTime() / 1000) - timestamp) > tolerance) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const body = toBuffer(input.body);
  const offered = signatures.split(' ').filter((candidate) => candidate.startsWith('v1,'));
  for (const secret of input.secrets) {
    const expected = signatureWith(secret, id, timestamp, body);
    if (offered.some((candidate) => sameSignature(candidate, expected))) {
      return { ok: true, id, timestamp: new Date(timestamp * 1000) };
    }
  }
  return { ok: false, reason: 'no_matching_signature' };
}
