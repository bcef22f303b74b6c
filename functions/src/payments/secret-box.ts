/**
 * Encryption of the merchants' payment keys at rest: AES-256-GCM (node:crypto), a random 96-bit IV
 * per value, the key id stored beside each value so keys can rotate (new values use the current
 * key; older values still open with theirs). The context (tenant and field) is bound in as
 * additional authenticated data, so a value copied to another store or field does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as z from 'zod';

export const SealedValue = z
  .object({
    v: z.literal(1),
    /** Which data key sealed it. */
    kid: z.string(),
    iv: z.string(),
    tag: z.string(),
    data: z.string(),
  })
  .strict();
export type SealedValue = z.infer<typeof SealedValue>;

/**
 * The data keys: `{ "current": "<key id>", "<key id>": "<secret material>", … }`. Material is any
 * random string of 32+ characters (a generated Secrets Manager password, 32 random bytes in
 * base64); the 256-bit key is derived from it with HKDF-SHA256. Rotate by adding a key id and
 * pointing `current` at it; keep the old ids while values sealed with them exist.
 */
export const DataKeyRing = z
  .object({ current: z.string().min(1) })
  .catchall(z.string().min(32, 'key material must be at least 32 characters'))
  .refine((ring) => typeof ring[ring.current] === 'string' && ring.current !== 'current', {
    message: '`current` must name one of the keys',
  });
export type DataKeyRing = z.infer<typeof DataKeyRing>;

const ALGORITHM = 'aes-256-gcm';

export class SecretBox {
  readonly #keys = new Map<string, Buffer>();
  readonly #current: string;

  constructor(ring: DataKeyRing) {
    const parsed = DataKeyRing.parse(ring);
    for (const [id, material] of Object.entries(parsed)) {
      if (id === 'current') continue;
      this.#keys.set(id, Buffer.from(hkdfSync('sha256', material, 'nimbus-payments', `data-key:${id}`, 32)));
    }
    this.#current = parsed.current;
  }

  /** The id new values are sealed with. */
  get currentKeyId(): string {
    return this.#current;
  }

  /**
   * @example box.seal('sk_test_…', 'ten_1/stripe.secretKey')
   */
  seal(plaintext: string, context: string): SealedValue {
    const key = this.#keys.get(this.#current) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid: this.#current,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** The plaintext; throws when the key is unknown or the value (or its context) was altered. */
  open(sealed: SealedValue, context: string): string {
    const key = this.#keys.get(sealed.kid);
    if (!key) throw new Error(`payment data key ${sealed.kid} is not configured`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** A fresh key ring with one random key (the local runtime makes one per data folder). */
export function newDataKeyRing(keyId = `k${Date.now().toString(36)}`): DataKeyRing {
  return { current: keyId, [keyId]: randomBytes(32).toString('base64') } as DataKeyRing;
}
