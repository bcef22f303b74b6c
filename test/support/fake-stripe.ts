/**
 * A small stand-in for the Stripe API (tests cannot reach api.stripe.com): answers the calls the
 * payments context makes (Checkout Sessions: create, retrieve, expire; refunds), honours
 * Idempotency-Key as Stripe does, records every request, and builds signed webhook events.
 *
 * @example
 * const stripe = await startFakeStripe(); process.env.STRIPE_API_BASE = stripe.url;
 * const { body, signature } = stripe.event('checkout.session.completed', session, WEBHOOK_SECRET);
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  /** The form body, nested (`line_items[0][quantity]` → `{ line_items: [{ quantity }] }`). */
  body: Record<string, unknown>;
};

export type FakeSession = {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  url: string;
  metadata: Record<string, string>;
  payment_intent: string | null;
  customer: string | null;
  client_reference_id: string | null;
  account?: string;
};

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/** Stripe's form encoding back to objects; numeric keys make arrays. */
function parseForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] as string);
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return root;
}

const sum = (lines: Array<{ quantity: string; price_data: { unit_amount: string } }>) =>
  lines.reduce((total, line) => total + Number(line.quantity) * Number(line.price_data.unit_amount), 0);

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

export async function startFakeStripe() {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, FakeSession>();
  const refunds = new Map<string, { id: string; payment_intent: string; amount: number; status: string }>();
  /** Idempotency-Key → the first answer (Stripe replays it for 24 h). */
  const replies = new Map<string, { status: number; body: unknown }>();
  /** Off-session payment intents created (auto top-ups, usage invoices). */
  const intents = new Map<string, Record<string, unknown>>();
  let declining = false;
  /** Calls answer with this Stripe error while set (to test failures). */
  let failing: { status: number; message: string } | undefined;

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
    response.end(JSON.stringify(body));
  };

  function route(request: RecordedRequest): { status: number; body: unknown } {
    if (failing)
      return { status: failing.status, body: { error: { type: 'api_error', message: failing.message } } };
    const { method, path, body } = request;
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const lines = (body.line_items ?? []) as Array<{
        quantity: string;
        price_data: { unit_amount: string };
      }>;
      const session: FakeSession = {
        id: id('cs'),
        object: 'checkout.session',
        mode: String(body.mode),
        status: 'open',
        payment_status: 'unpaid',
        amount_total: sum(lines),
        currency: String(
          body.currency ?? (lines[0] as { price_data?: { currency?: string } })?.price_data?.currency ?? '',
        ),
        url: '',
        metadata: (body.metadata ?? {}) as Record<string, string>,
        payment_intent: null,
        customer: null,
        client_reference_id: (body.client_reference_id as string) ?? null,
        ...(request.headers['stripe-account'] ? { account: request.headers['stripe-account'] } : {}),
      };
      session.url = `https://checkout.stripe.test/c/pay/${session.id}`;
      sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    const sessionPath = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
    if (sessionPath) {
      const session = sessions.get(sessionPath[1] as string);
      if (!session)
        return {
          status: 404,
          body: { error: { type: 'invalid_request_error', message: 'No such session' } },
        };
      if (sessionPath[2] && method === 'POST') {
        if (session.status === 'open') session.status = 'expired';
      }
      return { status: 200, body: session };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      // Off-session charges of saved cards; `declineCards()` makes them fail as a bank would.
      const intent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(body.amount),
        amount_received: declining ? 0 : Number(body.amount),
        currency: String(body.currency),
        customer: body.customer,
        payment_method: body.payment_method,
        metadata: (body.metadata ?? {}) as Record<string, string>,
        status: declining ? 'requires_payment_method' : 'succeeded',
      };
      intents.set(intent.id, intent);
      if (declining) {
        return {
          status: 402,
          body: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              message: 'Your card was declined.',
              payment_intent: intent,
            },
          },
        };
      }
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const paymentIntent = String(body.payment_intent);
      const session = [...sessions.values()].find((candidate) => candidate.payment_intent === paymentIntent);
      if (!session)
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', message: 'No such payment_intent' } },
        };
      const refund = {
        id: id('re'),
        object: 'refund',
        payment_intent: paymentIntent,
        amount: body.amount ? Number(body.amount) : session.amount_total,
        status: 'succeeded',
      };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    return {
      status: 404,
      body: {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` },
      },
    };
  }

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://stripe.test');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        headers: Object.fromEntries(
          Object.entries(incoming.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(',') : value,
          ]),
        ),
        body: parseForm(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      const key = request.headers['idempotency-key'];
      const replayKey =
        key && `${request.headers.authorization}|${request.headers['stripe-account'] ?? ''}|${key}`;
      const answer = (replayKey && replies.get(replayKey)) || route(request);
      if (replayKey && answer.status < 500) replies.set(replayKey, answer);
      reply(response, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Stripe's own signing, so the handler's real verification runs. */
  function signed(payload: unknown, secret: string) {
    const body = JSON.stringify(payload);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
  }

  return {
    url,
    requests,
    sessions,
    refunds,
    intents,
    /** Saved cards are declined (true) or accepted again (false). */
    declineCards(decline: boolean) {
      declining = decline;
    },
    fail(status: number, message: string) {
      failing = { status, message };
    },
    recover() {
      failing = undefined;
    },
    /** The buyer pays the session on the Stripe page: the session completes with a payment intent. */
    pay(sessionId: string): FakeSession {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      session.status = 'complete';
      session.payment_status = session.mode === 'setup' ? 'no_payment_required' : 'paid';
      session.payment_intent = session.mode === 'setup' ? null : id('pi');
      session.customer = id('cus');
      return session;
    },
    /** A signed event about a session, as Stripe would deliver it. */
    sessionEvent(type: string, session: FakeSession, secret: string, eventId = id('evt')) {
      return signed(
        { id: eventId, object: 'event', type, api_version: Stripe.API_VERSION, data: { object: session } },
        secret,
      );
    },
    /** A signed payment_intent.* event for a paid session (its metadata is the session's). */
    paymentIntentEvent(
      type: string,
      session: FakeSession,
      secret: string,
      eventId = id('evt'),
      extra: Record<string, unknown> = {},
    ) {
      const intent = {
        id: session.payment_intent ?? id('pi'),
        object: 'payment_intent',
        amount: session.amount_total,
        amount_received: type === 'payment_intent.succeeded' ? session.amount_total : 0,
        currency: session.currency,
        customer: session.customer,
        // The card the Checkout saved on the customer (setup_future_usage).
        payment_method: session.payment_intent ? `pm_for_${session.payment_intent}` : null,
        metadata: session.metadata,
        ...extra,
      };
      return signed(
        { id: eventId, object: 'event', type, api_version: Stripe.API_VERSION, data: { object: intent } },
        secret,
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
