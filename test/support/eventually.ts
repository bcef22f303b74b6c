/**
 * Polls `read` until `ok` holds (queues, the bus and platforms answer a moment later), or fails
 * naming what it waited for and the last value it saw.
 *
 * @example const service = await eventually(() => get(id), (s) => s.state === 'active', 'the activation');
 */
export async function eventually<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
