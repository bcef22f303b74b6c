/**
 * What happens to a service: transitions (start, stop, resize, suspend, resume, terminate) with
 * their actor and reason, each written with its history entry and its wallet's burn in one
 * transaction, then published as an event. Billing reads the rate changes from the accrual.
 */
import { changeRate, startAccrual } from '#shared/billing/accrual.ts';
import { startMetering } from '#shared/billing/metering.ts';
import type { BillingSettings } from '#shared/billing/settings.ts';
import { decimal, toDecimalString } from '#shared/catalog/money.ts';
import type { Configuration } from '#shared/catalog/product.ts';
import { quote } from '#shared/catalog/quote.ts';
import { hourlyCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { EventEnvelope, EventPublisher } from '#shared/events/envelope.ts';
import { customerOf, type Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import {
  type Actor,
  nextState,
  SUBSCRIPTION_EVENTS,
  type SubscriptionAction,
} from '#shared/subscriptions/lifecycle.ts';
import type { ResizePreview, SubscriptionView } from '#shared/subscriptions/subscription.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { TenantClock } from '../billing/tenant-clock.ts';
import type { CatalogCache } from '../catalog/catalog-view.ts';
import type { WalletStore } from '../credits/wallet-store.ts';
import { backoff, type TransactItem, type TransactOutcome } from '../data/transactions.ts';
import { logger } from '../observability/logger.ts';
import type { SecretBox } from '../payments/secret-box.ts';
import { rateIn, type StoredSubscription, type StoredTransition, subscriptionView } from './subscription.ts';
import type { Page, SubscriptionStore } from './subscription-store.ts';

export type SubscriptionDeps = {
  subscriptions: SubscriptionStore;
  wallets: Pick<WalletStore, 'rateItem'>;
  commit(items: TransactItem[]): Promise<TransactOutcome>;
  events: EventPublisher;
  /** Ids only; times come from `time`. */
  clock: Clock;
  time: TenantClock;
  billingSettings(tenantId: string): Promise<BillingSettings>;
  cache: Pick<CatalogCache, 'view'>;
  /**
   * The provisioning platform that activates a product's services, if any (an enabled connector
   * taking `activate`): the service then waits in `provisioning` for its confirmation until the
   * connector's timeout. Without it, services are active at once.
   */
  activation?(tenantId: string, productId: string): Promise<{ timeoutSeconds: number } | undefined>;
  /** The deployment's data keys: they open a service's access password for its buyer. */
  secrets?(): Promise<SecretBox | undefined>;
};

/** What a service's access password is sealed with: the tenant and the service are bound in. */
export const accessSealContext = (tenantId: string, subscriptionId: string) =>
  `${tenantId}/subscription.${subscriptionId}.access`;

export const SUBSCRIPTIONS_EVENT_SOURCE = 'nimbus.subscriptions';

/** The actor a principal acts as. */
export function actorFor(principal: Principal): Actor {
  switch (principal.kind) {
    case 'buyer':
      return { kind: 'buyer', id: principal.userId };
    case 'staff':
      return { kind: 'merchant', id: principal.userId };
    case 'apiKey':
      return { kind: principal.owner.kind === 'customer' ? 'buyer' : 'merchant', id: principal.keyId };
    default:
      return { kind: 'system', id: principal.kind };
  }
}

/** A service the principal may see, or 404 (another customer's service does not exist for them). */
export async function visibleSubscription(
  deps: Pick<SubscriptionDeps, 'subscriptions'>,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
): Promise<StoredSubscription> {
  const subscription = await deps.subscriptions.get(tenant.id, subscriptionId);
  const scope = customerOf(principal);
  if (!subscription || (scope !== undefined && subscription.customerId !== scope)) {
    throw new NotFoundError('subscription_not_found', `There is no service ${subscriptionId}`);
  }
  return subscription;
}

export type TransitionRequest = {
  action: SubscriptionAction;
  actor: Actor;
  reason: string;
  /** For resize: the new configuration and its price. */
  resize?: { configuration: Configuration; price: StoredSubscription['price'] };
  /** For suspend: when the suspended service is terminated unless resumed. */
  terminateAt?: string;
  /** Only if the service is still suspended for this reason (credits resuming what credits suspended). */
  onlyIfSuspendedFor?: string;
  /** Only if the service is (still) in this state: nothing happens otherwise. */
  onlyIfState?: StoredSubscription['state'];
  /** For activate: how the buyer reaches the service (the password sealed). */
  access?: StoredSubscription['access'];
};

type ServiceChange = { next: StoredSubscription; transitions: StoredTransition[]; alsoWrite: TransactItem[] };

/**
 * Reads the service, lets `change` decide what it becomes (undefined: nothing to do), and writes
 * that conditional on the revision it read; reads and decides again when another write won.
 */
async function updateService(
  deps: SubscriptionDeps,
  tenantId: string,
  subscriptionId: string,
  change: (current: StoredSubscription) => ServiceChange | undefined,
): Promise<{ current: StoredSubscription; written?: ServiceChange }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.subscriptions.get(tenantId, subscriptionId);
    if (!current) throw new NotFoundError('subscription_not_found', `There is no service ${subscriptionId}`);
    const written = change(current);
    if (!written) return { current };
    const items = [
      ...deps.subscriptions.updateItems(tenantId, written.next, current.revision, written.transitions),
      ...written.alsoWrite,
    ];
    if ((await deps.commit(items)).ok) return { current, written };
    if (attempt >= 20) throw new ConflictError('subscription_busy', 'The service is changing; try again');
    await backoff(attempt);
  }
}

/**
 * Applies one transition at the store's time `at`; decided again when the service changed
 * meanwhile (an hourly posting, say). Illegal transitions are a 409 with the current state.
 */
export async function transition(
  deps: SubscriptionDeps,
  tenant: Pick<Tenant, 'id'>,
  subscriptionId: string,
  request: TransitionRequest,
  at: string,
): Promise<StoredSubscription> {
  const { current, written } = await updateService(deps, tenant.id, subscriptionId, (current) =>
    applyTransition(deps, tenant.id, current, request, at),
  );
  if (!written) return current;
  await publish(deps, [
    eventFor(deps, tenant.id, written.next, request.action, written.transitions[0], current.configuration),
  ]);
  return written.next;
}

/** What one transition makes of the service as read (undefined: nothing to do); written by the caller. */
function applyTransition(
  deps: SubscriptionDeps,
  tenantId: string,
  current: StoredSubscription,
  request: TransitionRequest,
  at: string,
): ServiceChange | undefined {
  if (
    request.onlyIfSuspendedFor &&
    (current.state !== 'suspended' || current.suspendedReason !== request.onlyIfSuspendedFor)
  ) {
    return undefined;
  }
  if (request.onlyIfState && current.state !== request.onlyIfState) return undefined;
  const state = nextState(current.state, request.action, current.resumeTo);
  const price = request.resize?.price ?? current.price;
  const next: StoredSubscription = {
    ...current,
    state,
    stateSince: state === current.state ? current.stateSince : at,
    price,
    ...(request.resize ? { configuration: request.resize.configuration } : {}),
    accrual: changeRate(
      current.accrual,
      maxTime(at, current.accrual.billedThrough),
      rateIn(price, current.paymentMethod, state),
    ),
    revision: current.revision + 1,
  };
  if (request.action === 'suspend') {
    next.resumeTo = current.state === 'stopped' ? 'stopped' : 'active';
    next.suspendedReason = request.reason;
    if (request.terminateAt) next.terminateAt = request.terminateAt;
  }
  if (request.action === 'activate' || request.action === 'fail') delete next.provisioningDeadline;
  if (request.access) next.access = request.access;
  if (request.action === 'resume' || request.action === 'terminate') {
    delete next.resumeTo;
    delete next.suspendedReason;
    delete next.terminateAt;
    delete next.cancelAt;
  }
  const record: StoredTransition = {
    id: newId('trn', deps.clock),
    at,
    action: request.action,
    from: current.state,
    to: state,
    actor: request.actor,
    reason: request.reason,
  };
  return { next, transitions: [record], alsoWrite: rateItems(deps, tenantId, next) };
}

/**
 * A resize the system decides (capacity triggers): made on the service exactly as the caller read
 * it (its revision), in one transaction with the caller's `alsoWrite` items, so the caller's record
 * of it and the resize happen together or not at all. `resize.price` comes from `repriced`.
 * Undefined when the service or the caller's items changed meanwhile: read again, decide again.
 */
export async function resizeBySystem(
  deps: SubscriptionDeps,
  tenant: Pick<Tenant, 'id'>,
  current: StoredSubscription,
  request: { resize: NonNullable<TransitionRequest['resize']>; actor: Actor; reason: string; at: string },
  alsoWrite: TransactItem[],
): Promise<StoredSubscription | undefined> {
  const change = applyTransition(deps, tenant.id, current, { action: 'resize', ...request }, request.at);
  if (!change) return undefined;
  const outcome = await deps.commit([
    ...deps.subscriptions.updateItems(tenant.id, change.next, current.revision, change.transitions),
    ...change.alsoWrite,
    ...alsoWrite,
  ]);
  if (!outcome.ok) return undefined;
  await publish(deps, [
    eventFor(deps, tenant.id, change.next, 'resize', change.transitions[0], current.configuration),
  ]);
  return change.next;
}

const maxTime = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

export type NewService = Pick<
  StoredSubscription,
  'id' | 'customerId' | 'orderId' | 'product' | 'configuration' | 'inputs' | 'paymentMethod' | 'price'
>;

/**
 * Creates a service from an order. With a provisioning platform for its product, the service
 * waits in `provisioning` (accruing nothing) for the platform to confirm it, until the
 * connector's timeout; without one it is active from `at` (pending → provisioning → active in its
 * history), with its burn on the wallet. False when it exists already.
 */
export async function createService(
  deps: SubscriptionDeps,
  tenantId: string,
  service: NewService,
  at: string,
): Promise<boolean> {
  const platform = await deps.activation?.(tenantId, service.product.id);
  const state = platform ? 'provisioning' : 'active';
  const subscription: StoredSubscription = {
    ...service,
    state,
    stateSince: at,
    accrual: startAccrual(at, rateIn(service.price, service.paymentMethod, state)),
    ...(Object.keys(service.price.meters ?? {}).length > 0 ? { metering: startMetering(at) } : {}),
    ...(platform
      ? { provisioningDeadline: new Date(Date.parse(at) + platform.timeoutSeconds * 1000).toISOString() }
      : {}),
    createdAt: at,
    revision: 1,
  };
  const actor = { kind: 'system', id: 'orders' } as const;
  const step = (action: 'provision' | 'activate', reason: string): StoredTransition => ({
    id: newId('trn', deps.clock),
    at,
    action,
    from: action === 'provision' ? 'pending' : 'provisioning',
    to: action === 'provision' ? 'provisioning' : 'active',
    actor,
    reason,
  });
  const transitions = [
    step('provision', `Ordered in ${service.orderId}`),
    ...(platform ? [] : [step('activate', 'No provisioning connector: active at once')]),
  ];
  const outcome = await deps.commit([
    ...deps.subscriptions.createItems(tenantId, subscription, transitions),
    ...rateItems(deps, tenantId, subscription),
  ]);
  if (!outcome.ok) return false;
  await publish(deps, [
    eventFor(deps, tenantId, subscription, 'create', transitions[0]),
    ...(transitions[1] ? [eventFor(deps, tenantId, subscription, 'activate', transitions[1])] : []),
  ]);
  return true;
}

/** A credit service's burn on its wallet follows its rate (a stopped or suspended one burns less or nothing). */
export function rateItems(
  deps: Pick<SubscriptionDeps, 'wallets'>,
  tenantId: string,
  subscription: StoredSubscription,
): TransactItem[] {
  if (subscription.paymentMethod !== 'credits') return [];
  const rate = subscription.accrual.rate;
  const ref = { tenantId, customerId: subscription.customerId, currency: subscription.price.currency };
  return [deps.wallets.rateItem(ref, subscription.id, rate === '0' ? undefined : rate)];
}

/**
 * The event of a change. `revision` orders a service's events (consumers receive them in any
 * order); the provisioning context turns them into webhooks (functions/src/provisioning).
 */
export function eventFor(
  deps: Pick<SubscriptionDeps, 'clock'>,
  tenantId: string,
  subscription: StoredSubscription,
  action: SubscriptionAction | 'create',
  record?: StoredTransition,
  previousConfiguration?: StoredSubscription['configuration'],
): EventEnvelope {
  return {
    id: newId('evt', deps.clock),
    type: action === 'create' ? 'subscription.created' : SUBSCRIPTION_EVENTS[action],
    time: record?.at ?? subscription.createdAt,
    tenant: tenantId,
    subject: subscription.id,
    schemaVersion: 1,
    data: {
      customerId: subscription.customerId,
      orderId: subscription.orderId,
      productId: subscription.product.id,
      product: subscription.product,
      state: subscription.state,
      revision: subscription.revision,
      configuration: subscription.configuration,
      ...(action === 'resize' && previousConfiguration ? { previousConfiguration } : {}),
      ...(record ? { from: record.from, actor: record.actor, reason: record.reason } : {}),
    },
  };
}

export async function publish(deps: Pick<SubscriptionDeps, 'events'>, events: EventEnvelope[]) {
  try {
    await deps.events.publish(SUBSCRIPTIONS_EVENT_SOURCE, events);
  } catch (error) {
    // The service's state and history are the record; a lost event must not undo a transition.
    logger.error('subscription events not published', error as Error);
  }
}

/* ---------- use cases behind the API ---------- */

const REASONS: Record<string, string> = {
  start: 'Started',
  stop: 'Stopped',
  suspend: 'Suspended by the merchant',
  resume: 'Resumed by the merchant',
};

/** Start, stop, suspend, resume — by a buyer or staff, now. */
export async function act(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  action: 'start' | 'stop' | 'suspend' | 'resume',
  reason: string | undefined,
): Promise<SubscriptionView> {
  await visibleSubscription(deps, tenant, principal, subscriptionId);
  const at = (await deps.time.now(tenant)).toISOString();
  const updated = await transition(
    deps,
    tenant,
    subscriptionId,
    { action, actor: actorFor(principal), reason: reason ?? (REASONS[action] as string) },
    at,
  );
  return subscriptionView(updated);
}

export async function getSubscription(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
): Promise<SubscriptionView> {
  const subscription = await visibleSubscription(deps, tenant, principal, subscriptionId);
  const view = subscriptionView(
    subscription,
    await deps.subscriptions.history(tenant.id, subscriptionId, 50),
  );
  const sealed = subscription.access?.password;
  // The buyer's own secret: shown to the buyer's users and keys, never to the merchant's staff.
  if (sealed && view.access && customerOf(principal) !== undefined) {
    const box = await deps.secrets?.();
    if (box) view.access.password = box.open(sealed, accessSealContext(tenant.id, subscriptionId));
  }
  return view;
}

export async function listSubscriptions(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  query: Page & { state?: SubscriptionView['state'] | undefined; customerId?: string | undefined },
) {
  const scope = customerOf(principal);
  const customerId = scope ?? query.customerId;
  const page = await deps.subscriptions.list(tenant.id, { customerId, state: query.state }, query);
  return { ...page, items: page.items.map((subscription) => subscriptionView(subscription)) };
}

/** The new price of a configuration (400 naming each problem when the product does not allow it). */
export async function repriced(
  deps: SubscriptionDeps,
  tenant: Tenant,
  subscription: StoredSubscription,
  configuration: Configuration,
) {
  const view = await deps.cache.view(tenant);
  const product = view.product(subscription.product.id);
  const pricing = product && view.pricing(product);
  if (!product || !pricing) {
    throw new ConflictError('product_unavailable', `${subscription.product.name} can no longer be resized`);
  }
  const proposed = quote(pricing, configuration, {
    currency: subscription.price.currency,
    sellerCountry: view.settings.sellerCountry,
  });
  const stoppedHourly = product.prices[subscription.price.currency]?.stoppedRate ?? '0';
  const price: StoredSubscription['price'] = {
    currency: subscription.price.currency,
    hourly: proposed.hourly,
    stoppedHourly,
    monthlyEstimate: proposed.monthlyEstimate,
    setup: subscription.price.setup,
    // Usage prices stay as ordered: they do not depend on the configuration.
    ...(subscription.price.meters ? { meters: subscription.price.meters } : {}),
  };
  if (subscription.paymentMethod === 'credits') {
    const settings = await deps.billingSettings(tenant.id);
    const creditPrice = settings.creditPrices[subscription.price.currency] ?? '1';
    price.credits = {
      hourly: hourlyCredits(proposed.hourly, creditPrice),
      stoppedHourly: hourlyCredits(stoppedHourly, creditPrice),
    };
  }
  return { price, configuration: proposed.configuration };
}

export async function previewResize(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  configuration: Configuration,
): Promise<ResizePreview> {
  const subscription = await visibleSubscription(deps, tenant, principal, subscriptionId);
  nextState(subscription.state, 'resize');
  const { price, configuration: resolved } = await repriced(deps, tenant, subscription, configuration);
  const now = await deps.time.now(tenant);
  const nextHourMs = Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000;
  const difference = decimal(price.hourly).minus(subscription.price.hourly);
  const prorated = difference.times(nextHourMs - now.getTime()).div(3_600_000);
  return {
    subscriptionId,
    currency: price.currency,
    configuration: resolved,
    current: { hourly: subscription.price.hourly, monthlyEstimate: subscription.price.monthlyEstimate },
    proposed: { hourly: price.hourly, monthlyEstimate: price.monthlyEstimate },
    hourlyDifference: toDecimalString(difference),
    proratedDifference: toDecimalString(prorated.toDecimalPlaces(10)),
    effectiveAt: now.toISOString(),
    ...(price.credits && subscription.price.credits
      ? {
          credits: {
            hourly: price.credits.hourly,
            hourlyDifference: toDecimalString(
              decimal(price.credits.hourly).minus(subscription.price.credits.hourly),
            ),
          },
        }
      : {}),
  };
}

export async function resizeSubscription(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  body: { configuration: Configuration; expectedHourly?: string | undefined },
): Promise<SubscriptionView> {
  const subscription = await visibleSubscription(deps, tenant, principal, subscriptionId);
  nextState(subscription.state, 'resize');
  const { price, configuration } = await repriced(deps, tenant, subscription, body.configuration);
  if (body.expectedHourly !== undefined && !decimal(price.hourly).equals(decimal(body.expectedHourly))) {
    throw new ConflictError(
      'price_changed',
      `The new rate is ${price.hourly} per hour, not ${body.expectedHourly}`,
      {
        hourly: price.hourly,
      },
    );
  }
  const at = (await deps.time.now(tenant)).toISOString();
  const updated = await transition(
    deps,
    tenant,
    subscriptionId,
    {
      action: 'resize',
      actor: actorFor(principal),
      reason: 'Capacity changed',
      resize: { configuration, price },
    },
    at,
  );
  return subscriptionView(updated);
}

export async function cancelSubscription(
  deps: SubscriptionDeps,
  tenant: Tenant,
  principal: Principal,
  subscriptionId: string,
  body: { when: 'now' | 'end_of_term'; reason?: string | undefined },
): Promise<SubscriptionView> {
  const subscription = await visibleSubscription(deps, tenant, principal, subscriptionId);
  const now = (await deps.time.now(tenant)).toISOString();
  const reason = body.reason ?? 'Cancelled';
  if (body.when === 'end_of_term' && subscription.committedUntil && subscription.committedUntil > now) {
    const { written } = await updateService(deps, tenant.id, subscriptionId, (current) => {
      nextState(current.state, 'terminate');
      const next = { ...current, cancelAt: current.committedUntil as string, revision: current.revision + 1 };
      return { next, transitions: [], alsoWrite: [] };
    });
    return subscriptionView(written?.next ?? subscription);
  }
  const updated = await transition(
    deps,
    tenant,
    subscriptionId,
    { action: 'terminate', actor: actorFor(principal), reason },
    now,
  );
  return subscriptionView(updated);
}
