/** "Chrome on Linux" from a User-Agent header, for the list of a user's sessions. */
export function describeUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const ua = userAgent;
  const browser = /\bEdg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /\bOPR\//.test(ua)
      ? 'Opera'
      : /\bFirefox\/|\bFxiOS\//.test(ua)
        ? 'Firefox'
        : /\b(Headless)?Chrome\/|\bCriOS\//.test(ua)
          ? 'Chrome'
          : /\bVersion\/[\d.]+.*Safari\//.test(ua)
            ? 'Safari'
            : undefined;
  const system = /\b(iPhone|iPad|iPod)\b/.test(ua)
    ? 'iOS'
    : /\bAndroid\b/.test(ua)
      ? 'Android'
      : /\bWindows\b/.test(ua)
        ? 'Windows'
        : /\bMac OS X\b|\bMacintosh\b/.test(ua)
          ? 'macOS'
          : /\bCrOS\b/.test(ua)
            ? 'ChromeOS'
            : /\bLinux\b/.test(ua)
              ? 'Linux'
              : undefined;
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  // Command-line clients and libraries: "curl/8.5.0" → "curl".
  const tool = /^([A-Za-z][\w.-]*)\/[\d.]+/.exec(ua)?.[1];
  return tool ?? 'Unknown device';
}
