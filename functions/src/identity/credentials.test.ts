import { describe, expect, it } from 'vitest';
import {
  cookieValue,
  formatApiKey,
  formatSessionToken,
  parseApiKey,
  parseSessionToken,
  sessionCookie,
} from './credentials.ts';
import { newSecret } from './secrets.ts';

const tenantId = 'ten_01jd0000000000000000000000';
const userId = 'usr_01jd0000000000000000000001';
const keyId = 'key_01jd0000000000000000000002';

describe('credential formats', () => {
  it('round-trips session tokens and API keys', () => {
    const secret = newSecret();
    expect(parseSessionToken(formatSessionToken({ scope: tenantId, userId, secret }))).toEqual({
      scope: tenantId,
      userId,
      secret,
    });
    expect(parseApiKey(formatApiKey({ tenantId, keyId, secret }))).toEqual({ tenantId, keyId, secret });
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'x', `${tenantId}.${userId}`, `${tenantId}.${userId}.short`, `a.b.c.d`]) {
      expect(parseSessionToken(bad)).toBeUndefined();
    }
    expect(parseApiKey('nmb_abc')).toBeUndefined();
    expect(parseApiKey(`Bearer ${formatApiKey({ tenantId, keyId, secret: newSecret() })}`)).toBeUndefined();
  });

  it('reads cookies and writes them httpOnly, Secure and SameSite', () => {
    expect(cookieValue(['a=1', 'nimbus_session=abc=def'], 'nimbus_session')).toBe('abc=def');
    expect(cookieValue(['a=1'], 'nimbus_session')).toBeUndefined();
    expect(sessionCookie('nimbus_session', 'v', 60)).toMatch(/HttpOnly; Secure; SameSite=Lax; Max-Age=60/);
  });
});
