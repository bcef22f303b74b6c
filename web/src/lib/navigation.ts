/**
 * Where to go after signing in: the `?next=` the sign-in page was given, if it is a path on this
 * site, else the fallback. Anything that could leave the site (`//evil.example`, `https://…`,
 * `/\evil.example`, `javascript:`) or loop back to an API URL is refused.
 */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (!next || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  // Control characters and spaces could be trimmed by a browser into a protocol-relative URL.
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f) || /\s/.test(next)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(next, 'https://nimbus.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'https://nimbus.invalid') return fallback;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/') || url.pathname.startsWith('/_'))
    return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/stores/demo/login?next=%2Fstores%2Fdemo%2Faccount`: `login` is the resolved sign-in path. */
export function withNext(login: string, next: string | undefined): string {
  return next ? `${login}?next=${encodeURIComponent(next)}` : login;
}
