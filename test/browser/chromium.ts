import { accessSync, constants } from 'node:fs';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

/** Debian's chromium package; playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep headless Chromium quiet and offline on a CI machine or a container. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumMissingMessage(path: string = CHROMIUM_PATH): string {
  return (
    `Chromium is not installed: ${path} is missing. The browser tests need Debian's chromium package; ` +
    'install it with `apt-get install -y chromium` (as root, about 25 s), then run the tests again.'
  );
}

/** Throws, with the install command in the message, when Debian's chromium is not there. */
export function assertChromiumInstalled(path: string = CHROMIUM_PATH): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(chromiumMissingMessage(path));
  }
}

/**
 * Launches Debian's headless Chromium through playwright-core. Never skips: a missing browser is an
 * error that says how to install it.
 */
export async function launchChromium(options: Omit<LaunchOptions, 'executablePath'> = {}): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
