/**
 * What platforms tell Nimbus: an activation confirmed (with the buyer's access details) or
 * failed, a service's state changed on the platform. Authenticated by the connector's signature
 * or a `provisioning` API key; a repeated callback id, or one older than the service's state, is
 * acknowledged and not applied.
 */
import { ConflictError, NotFoundError, UnauthenticatedError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import type {
  AccessDetails,
  ActivationAnswer,
  CallbackReceipt,
  PlatformState,
  ProvisioningCallback,
} from '#shared/provisioning/delivery.ts';
import { IllegalTransitionError, type SubscriptionAction } from '#shared/subscriptions/lifecycle.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionDeps } from '../subscriptions/subscription-service.ts';
import { accessSealContext, transition } from '../subscriptions/subscription-service.ts';
import type { ConnectorStore } from './connector-store.ts';
import { type ConnectorDeps, signingSecrets } from './connectors.ts';
import type { StoredDelivery } from './delivery-store.ts';
import { verifyWebhook } from './webhook-signature.ts';

export type CallbackDeps = {
  services: SubscriptionDeps;
  connectors: Pick<ConnectorStore, 'serving'>;
  secrets: ConnectorDeps['secrets'];
  /** Callback ids seen lately: true the first time an id is remembered. */
  callbackLog: { remember(tenantId: string, callbackId: string): Promise<boolean> };
};

export type CallbackRequest = {
  principal: Principal;
  rawBody: string | Buffer | undefined;
  headers: Record<string, string | undefined>;
  body: ProvisioningCallback;
};

const unauthenticated = () =>
  new UnauthenticatedError(
    'invalid_signature',
    'Sign the callback with the connector’s secret (Standard Webhooks headers) or send an API key with the provisioning scope',
  );

async function authenticate(
  deps: CallbackDeps,
  tenant: Tenant,
  request: CallbackRequest,
  subscription: StoredSubscription | undefined,
): Promise<void> {
  const { principal } = request;
  // The HTTP stack admits keys of this store only; the scope is what makes one a platform's.
  if (principal.kind === 'apiKey' && principal.scopes.includes('provisioning')) return;
  const connector = subscription && (await deps.connectors.serving(tenant.id, subscription.product.id));
  if (!connector || request.rawBody === undefined) throw unauthenticated();
  const verified = verifyWebhook({
    headers: request.headers,
    body: request.rawBody,
    secrets: await signingSecrets({ ...deps, clock: deps.services.clock }, tenant.id, connector),
    now: deps.services.clock.now(),
  });
  if (!verified.ok) throw unauthenticated();
}

/** The action that brings a service from its state to the one the platform reports. */
function actionTowards(current: StoredSubscription, reported: PlatformState): SubscriptionAction | undefined {
  switch (reported) {
    case 'active':
      return current.state === 'stopped' ? 'start' : current.state === 'suspended' ? 'resume' : undefined;
    case 'stopped':
      return current.state === 'active' ? 'stop' : undefined;
    case 'suspended':
      return current.state === 'active' || current.state === 'stopped' ? 'suspend' : undefined;
    case 'terminated':
      return ['active', 'stopped', 'suspended'].includes(current.state) ? 'terminate' : undefined;
  }
}

export async function provisioningCallback(
  deps: CallbackDeps,
  tenant: Tenant,
  request: CallbackRequest,
): Promise<CallbackReceipt> {
  const { body } = request;
  const subscription = await deps.services.subscriptions.get(tenant.id, body.subscriptionId);
  await authenticate(deps, tenant, request, subscription);
  if (!subscription) {
    throw new NotFoundError('subscription_not_found', `There is no service ${body.subscriptionId}`);
  }
  const receipt = await apply(deps, tenant, subscription, body);
  if (receipt.result === 'applied') await deps.callbackLog.remember(tenant.id, body.id);
  else if (!(await deps.callbackLog.remember(tenant.id, body.id))) return { ...receipt, result: 'duplicate' };
  return receipt;
}

async function apply(
  deps: CallbackDeps,
  tenant: Tenant,
  subscription: StoredSubscription,
  body: ProvisioningCallback,
): Promise<CallbackReceipt> {
  const services = deps.services;
  const storeNow = await services.time.now(tenant);
  const at = storeNow.toISOString();
  const actor = { kind: 'platform', id: subscription.product.id } as const;
  const done = (result: CallbackReceipt['result'], next: StoredSubscription): CallbackReceipt => ({
    result,
    state: next.state,
  });

  if (body.type === 'activated' || body.type === 'failed') {
    const wanted = body.type === 'activated' ? 'active' : 'failed';
    if (subscription.state !== 'provisioning') {
      if (subscription.state === wanted || (body.type === 'activated' && subscription.state !== 'failed')) {
        return done('duplicate', subscription);
      }
      throw new IllegalTransitionError(body.type === 'activated' ? 'activate' : 'fail', subscription.state);
    }
    const next = await transition(
      services,
      tenant,
      subscription.id,
      body.type === 'activated'
        ? {
            action: 'activate',
            actor,
            reason: 'Confirmed by the provisioning platform',
            onlyIfState: 'provisioning',
            ...(body.access
              ? { access: await sealAccess(deps, tenant.id, subscription.id, body.access) }
              : {}),
          }
        : { action: 'fail', actor, reason: body.reason, onlyIfState: 'provisioning' },
      at,
    );
    return done(next.state === wanted ? 'applied' : 'duplicate', next);
  }

  // A state change: stale when it happened before the service's current state began. The store's
  // clock may run ahead of the world's (a sandbox's test clock): the platform's time is moved by as much.
  const offset = storeNow.getTime() - services.clock.now().getTime();
  if (Date.parse(body.occurredAt) + offset < Date.parse(subscription.stateSince)) {
    return done('stale', subscription);
  }
  const reported = body.state;
  if (subscription.state === reported) return done('duplicate', subscription);
  const action = actionTowards(subscription, reported);
  if (!action) {
    throw new ConflictError(
      'illegal_transition',
      `A service that is ${subscription.state} in Nimbus cannot become ${reported}`,
      { state: subscription.state, reported },
    );
  }
  const next = await transition(
    services,
    tenant,
    subscription.id,
    {
      action,
      actor,
      reason: body.reason ?? `Reported ${reported} by the provisioning platform`,
      onlyIfState: subscription.state,
    },
    at,
  );
  return done(next.state === reported ? 'applied' : 'stale', next);
}

async function sealAccess(
  deps: CallbackDeps,
  tenantId: string,
  subscriptionId: string,
  access: AccessDetails,
): Promise<StoredSubscription['access']> {
  const { password, ...visible } = access;
  if (password === undefined) return visible;
  const box = await deps.secrets();
  if (!box) throw new ConflictError('data_keys_unconfigured', 'This deployment cannot store secrets');
  return { ...visible, password: box.seal(password, accessSealContext(tenantId, subscriptionId)) };
}

/** The platform answered `service.activate` with a status at once (200 instead of 202 + callback). */
export async function applyActivationAnswer(
  deps: CallbackDeps,
  tenant: Tenant,
  delivery: StoredDelivery,
  answer: ActivationAnswer,
): Promise<void> {
  const subscription = await deps.services.subscriptions.get(tenant.id, delivery.subscriptionId);
  if (subscription?.state !== 'provisioning') return;
  const occurredAt = deps.services.clock.now().toISOString();
  const body: ProvisioningCallback =
    answer.status === 'active'
      ? {
          id: `${delivery.eventId}.answer`,
          subscriptionId: subscription.id,
          occurredAt,
          type: 'activated',
          ...(answer.access ? { access: answer.access } : {}),
        }
      : {
          id: `${delivery.eventId}.answer`,
          subscriptionId: subscription.id,
          occurredAt,
          type: 'failed',
          reason: answer.reason ?? 'Refused by the provisioning platform',
        };
  await apply(deps, tenant, subscription, body);
}
