import { decimal } from '#shared/catalog/money.ts';
/**
 * Per-store payment settings (the Stripe connection, keys sealed) and per-customer billing
 * profiles (may the customer pay by invoice, on what terms). Views never carry a key.
 */
import { NotFoundError, UnavailableError, ValidationError } from '#shared/errors.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import {
  type CustomerBillingProfile,
  DEFAULT_PAYMENT_TERMS_DAYS,
  type PaymentOptionsView,
  type PaymentSettingsView,
  type UpdateBillingProfileRequest,
  type UpdatePaymentSettingsRequest,
} from '#shared/payments/payments.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { PaymentProvider, WebhookVerifier } from './payment-provider.ts';
import type { PaymentStore, StoredStripeConnection } from './payment-store.ts';
import type { SecretBox } from './secret-box.ts';

export type PaymentDeps = {
  store: PaymentStore;
  /** The data keys of this deployment; undefined when none are configured. */
  secrets(): Promise<SecretBox | undefined>;
  /** A provider acting with the store's key (on its connected account, with Connect). */
  providerFor(secretKey: string, accountId?: string): PaymentProvider;
  verifyWebhook: WebhookVerifier;
  clock: Clock;
  customerExists(tenantId: string, customerId: string): Promise<boolean>;
};

export const CARD_OFF_MESSAGE =
  'Card payment is off in this store: no Stripe account is connected. Pay with credits, or by invoice if your account allows it';
/** The same, where credits are what is being bought. */
export const CARD_OFF_FOR_CREDITS_MESSAGE =
  'Card payment is off in this store: no Stripe account is connected. Buy credits on account if your account allows it, or ask the store';
export const INVOICE_OFF_MESSAGE =
  'Paying by invoice is not enabled for your account: ask the store to allow it, or pay with credits or card';

const sealContext = (tenantId: string, field: 'secretKey' | 'webhookSecret') => `${tenantId}/stripe.${field}`;
export const stripeWebhookPath = (tenant: Pick<Tenant, 'slug'>) => `/api/v1/webhooks/stripe/${tenant.slug}`;
const last4 = (secret: string) => secret.slice(-4);

function view(tenant: Tenant, stripe: StoredStripeConnection | undefined): PaymentSettingsView {
  return {
    card: stripe ? { enabled: true } : { enabled: false, message: CARD_OFF_MESSAGE },
    stripe: {
      connected: stripe !== undefined,
      webhookPath: stripeWebhookPath(tenant),
      ...(stripe
        ? {
            mode: stripe.mode,
            secretKeyLast4: stripe.secretKeyLast4,
            webhookSecretLast4: stripe.webhookSecretLast4,
            ...(stripe.accountId ? { accountId: stripe.accountId } : {}),
            ...(stripe.platformFeePercent ? { platformFeePercent: stripe.platformFeePercent } : {}),
            connectedAt: stripe.connectedAt,
          }
        : {}),
    },
  };
}

export async function getPaymentSettings(deps: PaymentDeps, tenant: Tenant): Promise<PaymentSettingsView> {
  return view(tenant, (await deps.store.settings(tenant.id))?.stripe);
}

export async function updatePaymentSettings(
  deps: PaymentDeps,
  tenant: Tenant,
  request: UpdatePaymentSettingsRequest,
): Promise<PaymentSettingsView> {
  const current = (await deps.store.settings(tenant.id))?.stripe;
  if (request.stripe === null) {
    await deps.store.saveSettings(tenant.id, {});
    return view(tenant, undefined);
  }
  const { secretKey, webhookSecret, accountId, platformFeePercent } = request.stripe;
  if (!current && (!secretKey || !webhookSecret)) {
    throw new ValidationError(
      'stripe_keys_required',
      'Connecting Stripe needs both the secret key (sk_…) and the webhook signing secret (whsec_…)',
    );
  }
  if (platformFeePercent && Number(platformFeePercent) > 0 && !accountId) {
    throw new ValidationError(
      'connected_account_required',
      'A platform fee is taken on a connected account: give accountId (acct_…) too',
    );
  }
  const box = await deps.secrets();
  if (!box) {
    throw new UnavailableError(
      'payment_keys_unconfigured',
      'This deployment has no data key to encrypt payment keys with (PAYMENTS_DATA_KEYS or its secret)',
    );
  }
  const now = deps.clock.now().toISOString();
  const stripe: StoredStripeConnection = {
    secretKey: secretKey
      ? box.seal(secretKey, sealContext(tenant.id, 'secretKey'))
      : (current as StoredStripeConnection).secretKey,
    webhookSecret: webhookSecret
      ? box.seal(webhookSecret, sealContext(tenant.id, 'webhookSecret'))
      : (current as StoredStripeConnection).webhookSecret,
    secretKeyLast4: secretKey ? last4(secretKey) : (current as StoredStripeConnection).secretKeyLast4,
    webhookSecretLast4: webhookSecret
      ? last4(webhookSecret)
      : (current as StoredStripeConnection).webhookSecretLast4,
    mode: secretKey ? (/_live_/.test(secretKey) ? 'live' : 'test') : (current as StoredStripeConnection).mode,
    ...(accountId ? { accountId } : {}),
    ...(platformFeePercent && accountId ? { platformFeePercent } : {}),
    connectedAt: current?.connectedAt ?? now,
    updatedAt: now,
  };
  await deps.store.saveSettings(tenant.id, { stripe });
  return view(tenant, stripe);
}

export type CardSetup = { provider: PaymentProvider; platformFeePercent?: string };

/** Stripe Connect: the platform's share of a charge, in minor units, as the fee field of a payment. */
export function applicationFee(setup: CardSetup, amountMinor: number): { applicationFeeMinor?: number } {
  if (!setup.platformFeePercent) return {};
  const fee = decimal(amountMinor)
    .times(setup.platformFeePercent)
    .dividedBy(100)
    .toDecimalPlaces(0)
    .toNumber();
  return fee > 0 ? { applicationFeeMinor: fee } : {};
}

/** The store's card provider, or undefined when card payment is off (no Stripe account). */
export async function cardSetup(deps: PaymentDeps, tenantId: string): Promise<CardSetup | undefined> {
  const stripe = (await deps.store.settings(tenantId))?.stripe;
  if (!stripe) return undefined;
  const box = await deps.secrets();
  if (!box) return undefined;
  const secretKey = box.open(stripe.secretKey, sealContext(tenantId, 'secretKey'));
  return {
    provider: deps.providerFor(secretKey, stripe.accountId),
    ...(stripe.platformFeePercent ? { platformFeePercent: stripe.platformFeePercent } : {}),
  };
}

/** The store's webhook signing secret, or undefined without a Stripe connection. */
export async function webhookSecret(deps: PaymentDeps, tenantId: string): Promise<string | undefined> {
  const stripe = (await deps.store.settings(tenantId))?.stripe;
  const box = stripe && (await deps.secrets());
  return stripe && box ? box.open(stripe.webhookSecret, sealContext(tenantId, 'webhookSecret')) : undefined;
}

/** A customer without a profile pays by credits or card, not by invoice. */
export async function billingProfile(
  deps: Pick<PaymentDeps, 'store'>,
  tenantId: string,
  customerId: string,
): Promise<CustomerBillingProfile> {
  return (
    (await deps.store.billingProfile(tenantId, customerId)) ?? {
      customerId,
      invoiceAllowed: false,
      paymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS,
    }
  );
}

async function existingCustomer(deps: PaymentDeps, tenantId: string, customerId: string) {
  if (!(await deps.customerExists(tenantId, customerId))) {
    throw new NotFoundError('customer_not_found', `There is no customer ${customerId}`);
  }
}

export async function getCustomerBillingProfile(deps: PaymentDeps, tenant: Tenant, customerId: string) {
  await existingCustomer(deps, tenant.id, customerId);
  return billingProfile(deps, tenant.id, customerId);
}

export async function updateCustomerBillingProfile(
  deps: PaymentDeps,
  tenant: Tenant,
  customerId: string,
  request: UpdateBillingProfileRequest,
): Promise<CustomerBillingProfile> {
  await existingCustomer(deps, tenant.id, customerId);
  const profile: CustomerBillingProfile = {
    customerId,
    invoiceAllowed: request.invoiceAllowed,
    paymentTermsDays: request.paymentTermsDays,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.store.saveBillingProfile(tenant.id, profile);
  return profile;
}

/** What the buyer may pay with; the checkout enforces the same rules. */
export async function paymentOptions(
  deps: PaymentDeps,
  tenant: Tenant,
  principal: Principal,
): Promise<PaymentOptionsView> {
  const customerId = customerOf(principal);
  const [settings, profile] = await Promise.all([
    deps.store.settings(tenant.id),
    customerId ? billingProfile(deps, tenant.id, customerId) : undefined,
  ]);
  return {
    credits: { available: true },
    card: settings?.stripe ? { available: true } : { available: false, message: CARD_OFF_MESSAGE },
    invoice: profile?.invoiceAllowed
      ? { available: true, paymentTermsDays: profile.paymentTermsDays }
      : { available: false, message: INVOICE_OFF_MESSAGE },
  };
}
