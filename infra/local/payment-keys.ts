/**
 * The local stand-in for the stack's payment data-key secret: a key ring made once per data
 * folder (kept in <dataDir>/payment-data-keys.json, readable by this user only), so Stripe keys a
 * merchant saved still open after a restart; without a data folder, a new ring per run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataKeyRing, newDataKeyRing } from '#functions/payments/secret-box.ts';

export const PAYMENT_KEYS_FILE = 'payment-data-keys.json';

/** The key ring as the PAYMENTS_DATA_KEYS value (JSON). */
export function localPaymentDataKeys(dataDir: string | undefined): string {
  if (!dataDir) return JSON.stringify(newDataKeyRing('local'));
  const file = join(dataDir, PAYMENT_KEYS_FILE);
  if (existsSync(file)) return JSON.stringify(DataKeyRing.parse(JSON.parse(readFileSync(file, 'utf8'))));
  mkdirSync(dataDir, { recursive: true });
  const ring = JSON.stringify(newDataKeyRing('local'));
  writeFileSync(file, ring, { mode: 0o600, flag: 'wx' });
  return ring;
}
