import { describe, expect, it } from 'vitest';
import { newDataKeyRing, SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('seals with a random IV and opens only in the same context', () => {
    const box = new SecretBox(newDataKeyRing('k1'));
    const first = box.seal('sk_test_abcdefgh1234', 'ten_1/stripe.secretKey');
    const second = box.seal('sk_test_abcdefgh1234', 'ten_1/stripe.secretKey');
    expect(first.iv).not.toBe(second.iv);
    expect(first.data).not.toBe(second.data);
    expect(JSON.stringify(first)).not.toContain('sk_test');
    expect(box.open(first, 'ten_1/stripe.secretKey')).toBe('sk_test_abcdefgh1234');
    // Copied to another store or field, the value does not open.
    expect(() => box.open(first, 'ten_2/stripe.secretKey')).toThrow();
    expect(() => box.open(first, 'ten_1/stripe.webhookSecret')).toThrow();
  });

  it('rejects a tampered value', () => {
    const box = new SecretBox(newDataKeyRing('k1'));
    const sealed = box.seal('whsec_secret', 'ctx');
    const bytes = Buffer.from(sealed.data, 'base64');
    bytes[0] = (bytes[0] as number) ^ 1;
    expect(() => box.open({ ...sealed, data: bytes.toString('base64') }, 'ctx')).toThrow();
  });

  it('rotates: new values use the current key, old ones still open', () => {
    const old = newDataKeyRing('k1');
    const sealedBefore = new SecretBox(old).seal('sk_live_old', 'ctx');
    const rotated = new SecretBox({ ...old, ...newDataKeyRing('k2'), current: 'k2' });
    expect(rotated.seal('sk_live_new', 'ctx').kid).toBe('k2');
    expect(rotated.open(sealedBefore, 'ctx')).toBe('sk_live_old');
    // A ring without the old key cannot open what it sealed.
    expect(() => new SecretBox(newDataKeyRing('k3')).open(sealedBefore, 'ctx')).toThrow(/k1/);
  });

  it('refuses a ring whose current key is missing or too short', () => {
    expect(() => new SecretBox({ current: 'k9', k1: 'x'.repeat(40) })).toThrow();
    expect(() => new SecretBox({ current: 'k1', k1: 'short' })).toThrow();
  });
});
