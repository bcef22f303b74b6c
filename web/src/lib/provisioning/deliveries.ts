/**
 * Webhook deliveries for people: statuses as a word and a symbol (never colour alone), webhook
 * types in words, one attempt's outcome, and the filter of the delivery log.
 */
import type { DeliveryAttempt, DeliveryStatus, DeliveryView, WebhookType } from '#lib/api/provisioning.ts';
import type { Badge } from '#lib/billing/words.ts';

export const DELIVERY_STATUS: Record<DeliveryStatus, Badge & { meaning: string }> = {
  pending: {
    word: 'Pending',
    symbol: '…',
    tone: 'warning',
    meaning: 'Being sent; retried until it is delivered.',
  },
  delivered: { word: 'Delivered', symbol: '✓', tone: 'ok', meaning: 'The platform answered with a 2xx.' },
  failed: {
    word: 'Failed',
    symbol: '✕',
    tone: 'danger',
    meaning: 'Gave up after retrying: replay it once the platform is fixed.',
  },
};

export const WEBHOOK_TYPE_WORDS: Record<WebhookType, string> = {
  'service.activate': 'Activate',
  'service.start': 'Start',
  'service.stop': 'Stop',
  'service.resize': 'Resize',
  'service.suspend': 'Suspend',
  'service.resume': 'Resume',
  'service.terminate': 'Terminate',
};

/** "HTTP 503", or what happened when there was no answer. */
export function attemptOutcome(attempt: DeliveryAttempt): string {
  return attempt.statusCode === undefined ? 'No answer' : `HTTP ${attempt.statusCode}`;
}

/** A 2xx delivered; anything else (or no answer) is retried. */
export function attemptSucceeded(attempt: DeliveryAttempt): boolean {
  return attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
}

/** "85 ms", "1.2 s". */
export function formatLatency(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** "1 attempt", "3 attempts (latest 20 shown)". */
export function attemptsPhrase(delivery: Pick<DeliveryView, 'attemptCount' | 'attempts'>): string {
  const count = delivery.attemptCount;
  const base = `${count} ${count === 1 ? 'attempt' : 'attempts'}`;
  return count > delivery.attempts.length ? `${base} (latest ${delivery.attempts.length} shown)` : base;
}

/** The subscription id filter as typed: trimmed; a wrong shape is said before asking. */
export function checkSubscriptionFilter(text: string): { value?: string; error?: string } {
  const value = text.trim();
  if (value === '') return {};
  if (!/^sub_[0-9a-z]{1,60}$/.test(value))
    return { error: 'Service ids look like sub_ followed by letters and digits.' };
  return { value };
}

/** The payload as people read JSON: indented. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
