/**
 * Our signer checked the way a provisioning platform would check it: with the `standardwebhooks`
 * library (the spec's reference implementation for JavaScript), not with our own verifier.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, secretKeyBytes, signWebhook, verifyWebhook } from './webhook-signature.ts';

const body = JSON.stringify({ id: 'evt_1', type: 'subscription.activate', data: { plan: 's' } });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('newWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes, different every time', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('refuses secrets that are not whsec_ + base64 of enough bytes', () => {
    expect(() => secretKeyBytes('sk_abc')).toThrow(/whsec_/);
    expect(() => secretKeyBytes('whsec_c2hvcnQ=')).toThrow(/24 bytes/);
    expect(() => secretKeyBytes(`whsec_${'!'.repeat(44)}`)).toThrow();
  });
});

describe('signWebhook, verified by the standardwebhooks library', () => {
  it('verifies a signed webhook and hands back its payload', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', body, secrets: [secret], now: new Date() });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // The same bytes the library signs: one signature, identical.
    const timestamp = new Date(Number(headers['webhook-timestamp']) * 1000);
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', timestamp, body));
  });

  it('signs the raw bytes: a Buffer body verifies like the string', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'msg_2', body: Buffer.from(body), secrets: [secret], now: new Date() });
    expect(new Webhook(secret).verify(Buffer.from(body), headers)).toEqual(JSON.parse(body));
  });

  it('rejects a tampered body, id or timestamp, and another secret', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'msg_3', body, secrets: [secret], now: new Date() });
    const receiver = new Webhook(secret);
    expect(() => receiver.verify(body.replace('"s"', '"xl"'), headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(`${body} `, headers)).toThrow(/No matching signature/);
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow(/No matching/);
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => receiver.verify(body, { ...headers, 'webhook-timestamp': later })).toThrow(/No matching/);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching/);
  });

  it('rejects a stale timestamp (a replay), and one from the future', () => {
    const secret = newWebhookSecret();
    const receiver = new Webhook(secret);
    const old = signWebhook({ id: 'msg_5', body, secrets: [secret], now: minutesAgo(6) });
    expect(() => receiver.verify(body, old)).toThrow(/too old/);
    const future = signWebhook({ id: 'msg_6', body, secrets: [secret], now: minutesAgo(-6) });
    expect(() => receiver.verify(body, future)).toThrow(/too new/);
    const recent = signWebhook({ id: 'msg_7', body, secrets: [secret], now: minutesAgo(4) });
    expect(receiver.verify(body, recent)).toEqual(JSON.parse(body));
  });

  it('during a rotation, a receiver holding only the old or only the new secret verifies', () => {
    const previous = newWebhookSecret();
    const current = newWebhookSecret();
    const headers = signWebhook({ id: 'msg_8', body, secrets: [current, previous], now: new Date() });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching/);
    // After the window only the new secret signs: the old one no longer verifies.
    const after = signWebhook({ id: 'msg_9', body, secrets: [current], now: new Date() });
    expect(() => new Webhook(previous).verify(body, after)).toThrow(/No matching/);
    expect(new Webhook(current).verify(body, after)).toEqual(JSON.parse(body));
  });

  it('needs a secret and an id without dots (the separator of the signed content)', () => {
    expect(() => signWebhook({ id: 'msg', body, secrets: [], now: new Date() })).toThrow();
    expect(() => signWebhook({ id: 'msg.1', body, secrets: [newWebhookSecret()], now: new Date() })).toThrow(
      /"\."/,
    );
  });
});

describe('verifyWebhook (ours, for platform callbacks)', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('accepts what the standardwebhooks library signs, with any of the valid secrets', () => {
    const previous = newWebhookSecret();
    const current = newWebhookSecret();
    const signature = new Webhook(previous).sign('cb_1', now, body);
    const headers = {
      'Webhook-Id': 'cb_1',
      'Webhook-Timestamp': String(now.getTime() / 1000),
      'Webhook-Signature': `v1a,ignored ${signature}`,
    };
    expect(verifyWebhook({ headers, body, secrets: [current, previous], now })).toEqual({
      ok: true,
      id: 'cb_1',
      timestamp: now,
    });
    expect(verifyWebhook({ headers, body, secrets: [current], now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('says why it refuses', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'cb_2', body, secrets: [secret], now });
    const verify = (changes: Record<string, string | undefined>, at = now, text = body) =>
      verifyWebhook({ headers: { ...headers, ...changes }, body: text, secrets: [secret], now: at });
    expect(verify({})).toMatchObject({ ok: true });
    expect(verify({}, now, `${body}x`)).toEqual({ ok: false, reason: 'no_matching_signature' });
    expect(verify({ 'webhook-signature': undefined })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verify({ 'webhook-timestamp': '12e3' })).toEqual({ ok: false, reason: 'invalid_timestamp' });
    expect(verify({}, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({}, new Date(now.getTime() - 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({}, new Date(now.getTime() + 300_000))).toMatchObject({ ok: true });
  });
});
