/**
 * A provisioning platform's webhook endpoint for tests: a real HTTP server on a random port that
 * verifies each request with the `standardwebhooks` package (as a platform in any language would)
 * and answers as the test says.
 *
 * @example const receiver = await startWebhookReceiver(); receiver.secrets = [secret]; receiver.answer = () => ({ status: 503 });
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceivedWebhook = {
  id: string;
  type: string;
  subscriptionId: string;
  sequence: number;
  /** True when one of `secrets` verified it. */
  verified: boolean;
  status: number;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  receivedAt: number;
};

export type WebhookReceiver = {
  url: string;
  secrets: string[];
  answer: (webhook: Omit<ReceivedWebhook, 'status'>) => { status: number; body?: unknown };
  received: ReceivedWebhook[];
  stop(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    secrets: [],
    answer: () => ({ status: 202, body: { status: 'provisioning' } }),
    received: [],
    stop: async () => {},
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = request.headers as Record<string, string>;
      const verified = receiver.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
      const body = JSON.parse(raw) as Record<string, unknown> & {
        data?: { subscriptionId?: string; sequence?: number };
      };
      const webhook = {
        id: headers['webhook-id'] ?? '',
        type: String(body.type),
        subscriptionId: body.data?.subscriptionId ?? '',
        sequence: body.data?.sequence ?? 0,
        verified,
        body,
        headers: request.headers,
        receivedAt: Date.now(),
      };
      const answer = verified ? receiver.answer(webhook) : { status: 401, body: { error: 'bad signature' } };
      receiver.received.push({ ...webhook, status: answer.status });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  receiver.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
