import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox } from '#functions/payments/secret-box.ts';
import { localPaymentDataKeys, PAYMENT_KEYS_FILE } from './payment-keys.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local payment data keys', () => {
  it('are made once per data folder and kept, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-keys-'));
    dirs.push(dir);
    const first = localPaymentDataKeys(dir);
    const sealed = new SecretBox(JSON.parse(first)).seal('sk_test_x', 'ctx');
    // A restart reads the same ring: what was sealed before still opens.
    expect(localPaymentDataKeys(dir)).toBe(first);
    expect(new SecretBox(JSON.parse(localPaymentDataKeys(dir))).open(sealed, 'ctx')).toBe('sk_test_x');
    expect(statSync(join(dir, PAYMENT_KEYS_FILE)).mode & 0o077).toBe(0);
  });

  it('are new for every run without a data folder', () => {
    expect(localPaymentDataKeys(undefined)).not.toBe(localPaymentDataKeys(undefined));
  });
});
