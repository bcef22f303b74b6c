/** An incident as the incidents context keeps it, and the pure rules of its scope. */
import type { Product } from '#shared/catalog/catalog.ts';
import type { CurrencyCode } from '#shared/catalog/money.ts';
import type { SlaPolicy } from '#shared/catalog/sla.ts';
import { type CreditUnits, creditsToString } from '#shared/credits/credit-units.ts';
import type { IncidentView } from '#shared/incidents/incident.ts';
import type { Actor } from '#shared/subscriptions/lifecycle.ts';
import type { StoredSubscription } from '../subscriptions/subscription.ts';

export type StoredIncident = {
  id: string;
  title: string;
  products?: string[];
  region?: string;
  /** Products whose `region` attribute is the incident's region, when it has one (at recording). */
  regionProducts?: string[];
  start: string;
  end: string;
  recordedAt: string;
  recordedBy: Actor;
  /** Same scope and times, same fingerprint: recording it again finds the first. */
  fingerprint: string;
  /** Each product's SLA policy and the credit prices when the incident was recorded: a re-run computes the same. */
  policies: Record<string, SlaPolicy>;
  creditPrices: Partial<Record<CurrencyCode, string>>;
  status: 'crediting' | 'done';
  /** Pages of services done, and where the next starts. Progress is written conditional on `pages`. */
  progress: { pages: number; cursor?: string };
  credited: number;
  notCredited: number;
  /** Units granted per currency. */
  totals: Partial<Record<CurrencyCode, CreditUnits>>;
  completedAt?: string;
};

export function incidentView(incident: StoredIncident): IncidentView {
  const totals = Object.entries(incident.totals) as Array<[CurrencyCode, CreditUnits]>;
  return {
    id: incident.id,
    title: incident.title,
    ...(incident.products ? { products: incident.products } : {}),
    ...(incident.region ? { region: incident.region } : {}),
    start: incident.start,
    end: incident.end,
    recordedAt: incident.recordedAt,
    recordedBy: incident.recordedBy,
    status: incident.status,
    services: { credited: incident.credited, notCredited: incident.notCredited },
    credits: {
      total: creditsToString(totals.reduce((sum, [, units]) => sum + units, 0)),
      byCurrency: Object.fromEntries(totals.map(([currency, units]) => [currency, creditsToString(units)])),
    },
    ...(incident.completedAt ? { completedAt: incident.completedAt } : {}),
  };
}

/** A region's products: those whose `region` attribute is it. */
export const productsInRegion = (products: Iterable<Product>, region: string): string[] =>
  [...products].filter((product) => product.attributes.region === region).map((product) => product.id);

/** Whether a product offers the region as a choice of a `region` option. */
export const offersRegion = (product: Product, region: string): boolean =>
  product.options.some(
    (option) => option.key === 'region' && (option.choices ?? []).some((choice) => choice.key === region),
  );

/**
 * Whether the incident's scope covers a service: one of its products (when named) and in its
 * region (when named: the product's region attribute, or the service's `region` option).
 */
export function inScope(
  incident: Pick<StoredIncident, 'products' | 'region' | 'regionProducts'>,
  subscription: Pick<StoredSubscription, 'product' | 'configuration'>,
): boolean {
  if (incident.products && !incident.products.includes(subscription.product.id)) return false;
  if (incident.region === undefined) return true;
  return (
    (incident.regionProducts ?? []).includes(subscription.product.id) ||
    subscription.configuration.options?.region === incident.region
  );
}

/**
 * Whether two incidents could cover one service at one time: their times overlap and their scopes
 * are not provably apart (different regions, or disjoint product lists). Conservative: a region
 * scope and a product scope may meet.
 */
export function overlaps(
  a: Pick<StoredIncident, 'products' | 'region' | 'start' | 'end'>,
  b: Pick<StoredIncident, 'products' | 'region' | 'start' | 'end'>,
): boolean {
  if (!(Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end))) return false;
  if (a.region !== undefined && b.region !== undefined && a.region !== b.region) return false;
  if (a.products && b.products && !a.products.some((id) => b.products?.includes(id))) return false;
  return true;
}
