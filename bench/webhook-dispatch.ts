/**
 * Webhook dispatch on the local runtime: a service's lifecycle step (its subscription event) until
 * the reference platform has received the signed webhook. The event's id is a ULID made when the
 * event was: its time against the platform's receipt time is the latency (one clock, one machine).
 * Buyers stop and start several services at once through the API, as in the demo store.
 */
import { decodeTime } from 'ulid';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../infra/local/seed.ts';
import { ApiClient } from '../test/support/http-client.ts';
import { type Benchmark, type Figure, median } from './harness.ts';

const SERVICES = 8;
const ROUNDS = 12;
const store = '/api/v1/stores/demo';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`webhook bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const webhookDispatchBenchmark: Benchmark = {
  name: 'webhooks',
  run: async (): Promise<Figure[]> => {
    const runtime = await startLocalRuntime({
      port: 0,
      webRoot: null,
      runSchedules: false,
      quiet: true,
      seed: true,
      connectPlatform: true,
    });
    try {
      runtime.platform.setMode('sync');
      const signIn = async (email: string) => {
        const client = new ApiClient(runtime.url, { origin: runtime.url });
        await client.post(`${store}/auth/login`, { email, password: DEMO_PASSWORD });
        return client;
      };
      const merchant = await signIn('merchant@demo.test');
      const buyer = await signIn('buyer@demo.test');
      const customerId = (await buyer.get(`${store}/account`)).body.id as string;
      await merchant.post(
        `${store}/admin/customers/${customerId}/wallet/grants`,
        { currency: 'EUR', amount: '5000.00', reason: 'Bench credits' },
        { 'idempotency-key': `bench-${Date.now()}` },
      );
      const services: string[] = [];
      for (let index = 0; index < SERVICES; index++) {
        await buyer.post(`${store}/basket/items`, { product: 'virtual-server', preset: 's' });
        const order = await buyer.post(
          `${store}/checkout`,
          { paymentMethod: 'credits' },
          { 'idempotency-key': `bench-order-${Date.now()}-${index}` },
        );
        services.push(order.body.items[0].subscriptionIds[0] as string);
      }
      const received = () => runtime.platform.receivedWebhooks().filter((w) => w.status < 300);
      await until(
        async () =>
          Promise.all(
            services.map(async (id) => (await buyer.get(`${store}/subscriptions/${id}`)).body.state),
          ),
        (states) => states.every((state) => state === 'active'),
        'the activations',
      );
      // Each round stops every service at once, waits for the webhooks, then starts them again.
      for (let round = 0; round < ROUNDS; round++) {
        const verb = round % 2 === 0 ? 'stop' : 'start';
        const before = received().length;
        await Promise.all(services.map((id) => buyer.post(`${store}/subscriptions/${id}/${verb}`, {})));
        await until(received, (list) => list.length >= before + SERVICES, `round ${round}`);
      }
      const latencies = received()
        .filter((webhook) => webhook.type === 'service.stop' || webhook.type === 'service.start')
        .map(
          (webhook) =>
            webhook.receivedAt - decodeTime((webhook.webhookId as string).slice('evt_'.length).toUpperCase()),
        );
      const note = `${latencies.length} webhooks, ${SERVICES} services stopped / started at once`;
      return [
        {
          benchmark: 'webhooks',
          metric: 'dispatch p50 (event → platform)',
          value: median(latencies),
          unit: 'ms',
          note,
        },
        {
          benchmark: 'webhooks',
          metric: 'dispatch p95 (event → platform)',
          value: percentile(latencies, 95),
          unit: 'ms',
          target: 1000,
        },
        { benchmark: 'webhooks', metric: 'dispatch max', value: Math.max(...latencies), unit: 'ms' },
      ];
    } finally {
      await runtime.stop();
    }
  },
};
