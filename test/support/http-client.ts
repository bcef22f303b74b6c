/** A small HTTP client for API tests: remembers cookies like a browser and sends Origin on writes. */
export class ApiClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaults: { origin?: string; headers?: Record<string, string> } = { origin: baseUrl },
  ) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...this.defaults.headers, ...options.headers };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method !== 'GET' && this.defaults.origin && !('origin' in headers))
      headers.origin = this.defaults.origin;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', value = ''] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests assert on the shape themselves
    const body: any = text ? JSON.parse(text) : undefined;
    return { status: response.status, body, headers: response.headers };
  }

  get = (path: string, headers?: Record<string, string>) =>
    this.request('GET', path, { ...(headers ? { headers } : {}) });
  post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', path, { body, ...(headers ? { headers } : {}) });
  put = (path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('PUT', path, { body, ...(headers ? { headers } : {}) });
  delete = (path: string, headers?: Record<string, string>) =>
    this.request('DELETE', path, { ...(headers ? { headers } : {}) });
}
