import { describe, expect, it } from 'vitest';
import { assertChromiumInstalled, CHROMIUM_PATH } from './chromium.ts';

describe('chromium helper', () => {
  it('says how to install Chromium when the binary is missing, instead of skipping', () => {
    expect(() => assertChromiumInstalled('/nonexistent/chromium')).toThrow(/apt-get install -y chromium/);
  });

  it('finds Debian chromium on this machine', () => {
    expect(() => assertChromiumInstalled(CHROMIUM_PATH)).not.toThrow();
  });
});
