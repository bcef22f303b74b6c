/**
 * SLA incidents: the merchant records an outage; every service it touched gets its product's
 * outage credit (shared/src/incidents/sla-credit.ts) as one grant in its customer's wallet, keyed
 * `<incident>#<subscription>`, so no re-run, redelivery or retry credits a service twice.
 *
 * Crediting runs in the background through the `incident-credits` queue, not in the request: a
 * store may have many thousands of services, more than an API request may take. The worker goes
 * page by page (100 services) and writes its progress on the incident after each page, conditional
 * on the page count, so a redelivered message or a second worker resumes where the last write
 * left off; a page done twice only meets its own idempotency keys.
 */
import { createHash } from 'node:crypto';
import type { BillingSettings } from '#shared/billing/settings.ts';
import type { Product } from '#shared/catalog/catalog.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import { type CreditUnits, hourlyCredits } from '#shared/credits/credit-units.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '#shared/identity/principal.ts';
import { newId } from '#shared/ids/ids.ts';
import type { IncidentRequest, IncidentView } from '#shared/incidents/incident.ts';
import { outageCredit, type StateChange } from '#shared/incidents/sla-credit.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { Clock } from '#shared/time/clock.ts';
import { creditWallet, type LedgerDeps } from '../credits/ledger-service.ts';
import { logger } from '../observability/logger.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';
import type { SubscriptionStore } from '../subscriptions/subscription-store.ts';
import {
  incidentView,
  inScope,
  offersRegion,
  overlaps,
  productsInRegion,
  type StoredIncident,
} from './incident.ts';
import type { IncidentStore } from './incident-store.ts';

export type IncidentDeps = {
  incidents: IncidentStore;
  subscriptions: Pick<SubscriptionStore, 'pageTouching' | 'history'>;
  ledger: LedgerDeps;
  billingSettings(tenantId: string): Promise<BillingSettings>;
  /** Every product of the store, retired ones too (their services may still run). */
  products(tenant: Tenant): Promise<Product[]>;
  now(tenant: Pick<Tenant, 'id' | 'sandbox'>): Promise<Date>;
  /** Ids only. */
  clock: Clock;
  /** Hands the incident to the background worker (a message on `incident-credits`). */
  startCrediting(tenantId: string, incidentId: string): Promise<void>;
  /** Resumes what running out of credits suspended, once credits are back. */
  afterTopUp(
    tenant: Pick<Tenant, 'id'>,
    customerId: string,
    currency: CurrencyCode,
    at: string,
  ): Promise<void>;
  /** Services per page (default {@link INCIDENT_PAGE_SIZE}); tests use small pages. */
  pageSize?: number;
};

/** Services per page of the background work. */
export const INCIDENT_PAGE_SIZE = 100;
/** Transitions read per service: far more than any service has had during one incident. */
const HISTORY_LIMIT = 1_000;

const invalid = (code: string, message: string, path: string) =>
  new ValidationError(code, message, [{ path, message, code }]);

/** Validates the request against the store's time and catalog and records the incident. */
export async function recordIncident(
  deps: IncidentDeps,
  tenant: Tenant,
  principal: Principal,
  request: IncidentRequest,
): Promise<{ incident: IncidentView; created: boolean }> {
  if (principal.kind !== 'staff')
    throw new ForbiddenError('not_allowed', 'Only merchant staff record incidents');
  if (!request.products && request.region === undefined) {
    throw invalid('scope_required', 'Name the affected products, a region, or both', 'body.products');
  }
  const start = new Date(request.start).toISOString();
  const end = new Date(request.end).toISOString();
  if (end <= start) throw invalid('invalid_period', 'An incident ends after it starts', 'body.end');
  const now = (await deps.now(tenant)).toISOString();
  if (end > now) {
    throw invalid(
      'incident_not_over',
      `Record an incident once it is over: end must not be after ${now}`,
      'body.end',
    );
  }
  const catalog = await deps.products(tenant);
  const known = new Map(catalog.map((product) => [product.id, product]));
  // Paths name the position in the request; the stored list is sorted (one fingerprint per set).
  request.products?.forEach((id, index) => {
    if (!known.has(id))
      throw invalid('unknown_product', `There is no product ${id}`, `body.products[${index}]`);
  });
  const products = request.products ? [...new Set(request.products)].sort() : undefined;
  const region = request.region;
  const regionProducts = region === undefined ? undefined : productsInRegion(catalog, region);
  if (region !== undefined && regionProducts?.length === 0 && !catalog.some((p) => offersRegion(p, region))) {
    throw invalid('unknown_region', `No product of this store is in the region ${region}`, 'body.region');
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ products: products ?? null, region: region ?? null, start, end }))
    .digest('base64url');

  const existing = await findExisting(deps, tenant.id, { products, region, start, end, fingerprint });
  if (existing) return resumed(deps, tenant.id, existing);

  const settings = await deps.billingSettings(tenant.id);
  const incident: StoredIncident = {
    id: newId('inc', deps.clock),
    title: request.title,
    ...(products ? { products } : {}),
    ...(region !== undefined ? { region, regionProducts } : {}),
    start,
    end,
    recordedAt: now,
    recordedBy: { kind: 'merchant', id: principal.userId },
    fingerprint,
    policies: Object.fromEntries(
      catalog.flatMap((product) => (product.sla ? [[product.id, product.sla]] : [])),
    ),
    creditPrices: settings.creditPrices,
    status: 'crediting',
    progress: { pages: 0 },
    credited: 0,
    notCredited: 0,
    totals: {},
  };
  const outcome = await deps.incidents.create(tenant.id, incident);
  if (!outcome.created) {
    // Recorded at the same moment by another request.
    const first = await deps.incidents.get(tenant.id, outcome.id);
    if (first) return resumed(deps, tenant.id, first);
  }
  await deps.startCrediting(tenant.id, incident.id);
  return { incident: incidentView(incident), created: true };
}

/** The same incident recorded before (returned), or a 409 for one that overlaps it. */
async function findExisting(
  deps: IncidentDeps,
  tenantId: string,
  candidate: Pick<StoredIncident, 'products' | 'region' | 'start' | 'end' | 'fingerprint'>,
): Promise<StoredIncident | undefined> {
  // Incidents are few (a handful a month): reading them all is one or two Query pages.
  let cursor: string | undefined;
  do {
    const page = await deps.incidents.list(tenantId, { limit: 200, cursor });
    for (const other of page.items) {
      if (other.fingerprint === candidate.fingerprint) return other;
      if (overlaps(candidate, other)) {
        throw new ConflictError(
          'incident_overlaps',
          `This overlaps incident ${other.id} (“${other.title}”, ${other.start} – ${other.end}): ` +
            'its services were credited for that time already',
          { incidentId: other.id },
        );
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/** Recording an incident again resumes it, should its background work have stopped. */
async function resumed(deps: IncidentDeps, tenantId: string, incident: StoredIncident) {
  if (incident.status === 'crediting') await deps.startCrediting(tenantId, incident.id);
  return { incident: incidentView(incident), created: false };
}

export async function getIncident(deps: IncidentDeps, tenant: Tenant, incidentId: string) {
  const incident = await deps.incidents.get(tenant.id, incidentId);
  if (!incident) throw new NotFoundError('incident_not_found', `There is no incident ${incidentId}`);
  return incidentView(incident);
}

export async function listIncidents(
  deps: IncidentDeps,
  tenant: Tenant,
  page: { limit: number; cursor?: string | undefined },
) {
  const result = await deps.incidents.list(tenant.id, page);
  return { ...result, items: result.items.map(incidentView) };
}

/** A service's states, oldest first. */
async function stateChanges(
  deps: IncidentDeps,
  tenantId: string,
  subscriptionId: string,
): Promise<StateChange[]> {
  const history = await deps.subscriptions.history(tenantId, subscriptionId, HISTORY_LIMIT);
  // Newest first from the store; transition ids are ULIDs, so id order is time order for equal times.
  return history
    .map((transition) => ({ at: transition.at, to: transition.to, id: transition.id }))
    .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at.localeCompare(b.at)))
    .map(({ at, to }) => ({ at, to }));
}

/**
 * The service's rates in credits: a credit service's own, a card or invoice service's money rate
 * at the credit price recorded with the incident.
 */
function creditRates(incident: StoredIncident, subscription: StoredSubscription) {
  if (subscription.paymentMethod === 'credits' && subscription.price.credits) {
    return { active: subscription.price.credits.hourly, stopped: subscription.price.credits.stoppedHourly };
  }
  const creditPrice = incident.creditPrices[subscription.price.currency] ?? '1.00';
  return {
    active: hourlyCredits(subscription.price.hourly, creditPrice),
    stopped: hourlyCredits(subscription.price.stoppedHourly, creditPrice),
  };
}

type ServiceOutcome = { credited: boolean; currency: CurrencyCode; units: CreditUnits };

/** Grants one service its credit (or finds the grant made before). */
async function creditService(
  deps: IncidentDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  incident: StoredIncident,
  subscription: StoredSubscription,
  at: string,
): Promise<ServiceOutcome> {
  const currency = subscription.price.currency;
  const policy = incident.policies[subscription.product.id];
  if (!policy) return { credited: false, currency, units: 0 };
  const { units } = outageCredit({
    start: incident.start,
    end: incident.end,
    changes: await stateChanges(deps, tenant.id, subscription.id),
    rates: creditRates(incident, subscription),
    policy,
  });
  if (units <= 0) return { credited: false, currency, units: 0 };
  const ref = { tenantId: tenant.id, customerId: subscription.customerId, currency };
  const key = `${incident.id}#${subscription.id}`;
  const result = await creditWallet(deps.ledger, ref, {
    type: 'grant',
    amount: units,
    reason: `Outage credit: ${incident.title} (${subscription.product.name})`,
    actor: incident.recordedBy,
    idempotencyKey: key,
    at,
    reference: { kind: 'incident', id: incident.id, subscription: subscription.id },
  });
  if (result.kind === 'written') {
    await deps.afterTopUp(tenant, subscription.customerId, currency, at);
    return { credited: true, currency, units };
  }
  // Granted by an earlier run: count what was granted then.
  const entry = await deps.ledger.wallets.entryByKey(ref, key);
  return { credited: entry !== undefined, currency, units: entry?.amount ?? 0 };
}

/** Runs `work` over the items, `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += limit) {
    results.push(...(await Promise.all(items.slice(index, index + limit).map(work))));
  }
  return results;
}

/**
 * Credits the incident's services page by page until done (true) or `timeLeftMs()` runs low
 * (false: send the message again to go on). Safe to run twice at once or again after a crash.
 */
export async function creditIncident(
  deps: IncidentDeps,
  tenant: Pick<Tenant, 'id' | 'sandbox'>,
  incidentId: string,
  timeLeftMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<boolean> {
  for (;;) {
    const incident = await deps.incidents.get(tenant.id, incidentId);
    if (!incident || incident.status === 'done') return true;
    if (timeLeftMs() < 60_000) return false;
    const page = await deps.subscriptions.pageTouching(
      tenant.id,
      {
        productIds: incident.products ?? incident.regionProducts ?? [],
        // With named products the product filter is the narrower one; inScope checks the region.
        region: incident.products ? undefined : incident.region,
        start: incident.start,
        end: incident.end,
      },
      { limit: deps.pageSize ?? INCIDENT_PAGE_SIZE, cursor: incident.progress.cursor },
    );
    const at = (await deps.now(tenant)).toISOString();
    const touched = page.items.filter((subscription) => inScope(incident, subscription));
    const outcomes = await inBatches(touched, 10, (subscription) =>
      creditService(deps, tenant, incident, subscription, at),
    );
    const totals = { ...incident.totals };
    for (const outcome of outcomes) {
      if (outcome.credited) totals[outcome.currency] = (totals[outcome.currency] ?? 0) + outcome.units;
    }
    const credited = outcomes.filter((outcome) => outcome.credited).length;
    const next: StoredIncident = {
      ...incident,
      progress: {
        pages: incident.progress.pages + 1,
        ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
      },
      credited: incident.credited + credited,
      notCredited: incident.notCredited + outcomes.length - credited,
      totals,
      ...(page.nextCursor ? {} : { status: 'done', completedAt: at }),
    };
    // Lost: another run wrote this page's progress first; read again and go on from there.
    if (!(await deps.incidents.saveProgress(tenant.id, next, incident.progress.pages))) continue;
    if (next.status === 'done') {
      logger.info('incident credited', { incidentId, credited: next.credited, totals: next.totals });
      return true;
    }
  }
}
