import { fetchPaymentSettings, type PaymentSettingsView, savePaymentSettings } from '#lib/api/payments.ts';
import { IssueForm } from '#lib/catalog-console/issue-form.svelte.ts';
import type { SummaryItem } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export type StripeField = 'stripe.secretKey' | 'stripe.webhookSecret';
export const STRIPE_FIELDS: readonly StripeField[] = ['stripe.secretKey', 'stripe.webhookSecret'];
export const STRIPE_LABELS: Record<StripeField, string> = {
  'stripe.secretKey': 'Secret key',
  'stripe.webhookSecret': 'Webhook signing secret',
};

const SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$/;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=]{8,250}$/;

/**
 * What to fix before the keys are sent. Both are needed for the first connection; once connected,
 * a key left empty keeps the stored one.
 */
export function checkStripeKeys(
  input: { secretKey: string; webhookSecret: string },
  connected: boolean,
): Map<StripeField, string> {
  const errors = new Map<StripeField, string>();
  const secretKey = input.secretKey.trim();
  const webhookSecret = input.webhookSecret.trim();
  if (secretKey === '' && !connected)
    errors.set('stripe.secretKey', 'Paste the secret key (sk_test_… or sk_live_…).');
  else if (secretKey !== '' && !SECRET_KEY.test(secretKey)) {
    errors.set(
      'stripe.secretKey',
      'A Stripe secret key starts with sk_test_, sk_live_, rk_test_ or rk_live_.',
    );
  }
  if (webhookSecret === '' && !connected) {
    errors.set('stripe.webhookSecret', 'Paste the signing secret of the webhook endpoint (whsec_…).');
  } else if (webhookSecret !== '' && !WEBHOOK_SECRET.test(webhookSecret)) {
    errors.set('stripe.webhookSecret', 'A webhook signing secret starts with whsec_.');
  }
  if (connected && secretKey === '' && webhookSecret === '') {
    errors.set('stripe.secretKey', 'Paste a new key or signing secret to change the connection.');
  }
  return errors;
}

/**
 * The Payments page: the store's Stripe connection (finance:read to see, finance:manage to connect
 * or disconnect). Keys are write-only: the fields are emptied after saving, the page shows the last
 * 4 characters the API reports.
 */
export class PaymentsPage {
  readonly frame: ConsoleFrame;
  readonly settings: Resource<PaymentSettingsView>;
  readonly form = new IssueForm('stripe');
  secretKey = $state('');
  webhookSecret = $state('');
  announcement = $state('');
  disconnecting = $state(false);

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.settings = new Resource((signal) =>
      frame.guard(fetchPaymentSettings(frame.store, { signal, fetch: frame.fetch })),
    );
  }

  readonly canRead: boolean = $derived.by(() => this.frame.can('finance:read'));
  readonly canManage: boolean = $derived.by(() => this.frame.can('finance:manage'));
  readonly connected: boolean = $derived.by(() => this.settings.data?.stripe.connected ?? false);

  summary(): SummaryItem[] {
    return this.form.summary(STRIPE_FIELDS).map((item) => ({
      ...item,
      text: `${STRIPE_LABELS[item.field as StripeField] ?? item.field}: ${this.form.error(item.field)?.join(' ')}`,
    }));
  }

  load(): Promise<void> {
    return this.settings.refresh();
  }

  dispose(): void {
    this.settings.dispose();
  }

  async connect(): Promise<boolean> {
    const connected = this.connected;
    const errors = checkStripeKeys(
      { secretKey: this.secretKey, webhookSecret: this.webhookSecret },
      connected,
    );
    if (errors.size > 0) {
      this.form.reject(errors);
      return false;
    }
    const secretKey = this.secretKey.trim();
    const webhookSecret = this.webhookSecret.trim();
    const stripe = { ...(secretKey ? { secretKey } : {}), ...(webhookSecret ? { webhookSecret } : {}) };
    const result = await this.#save({ stripe });
    if (!result) return false;
    this.secretKey = '';
    this.webhookSecret = '';
    this.announcement = connected ? 'Stripe keys changed.' : 'Stripe connected: buyers can pay by card.';
    return true;
  }

  async disconnect(): Promise<boolean> {
    this.disconnecting = true;
    try {
      const result = await this.#save({ stripe: null });
      if (result) this.announcement = 'Stripe disconnected: card payment is off.';
      return result;
    } finally {
      this.disconnecting = false;
    }
  }

  async #save(request: Parameters<typeof savePaymentSettings>[1]): Promise<boolean> {
    if (this.form.submitting) return false;
    this.form.clear();
    this.form.submitting = true;
    try {
      const result = await this.frame.guard(
        savePaymentSettings(this.frame.store, request, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        this.form.fail(result.problem, new Set(STRIPE_FIELDS));
        return false;
      }
      this.settings.data = result.data;
      return true;
    } finally {
      this.form.submitting = false;
    }
  }
}
