/** An outage the merchant records; every service it touched gets its product's SLA credit once. */
import * as z from 'zod';
import { ProductId } from '../catalog/catalog.ts';
import { CurrencyCode } from '../catalog/money.ts';
import { CreditAmount } from '../credits/credit-units.ts';
import { ActorView } from '../subscriptions/subscription.ts';

export const IncidentId = z.string().regex(/^inc_[0-9a-z]{26}$/, 'must be an inc_… id');

/** Region keys as products carry them (the `region` attribute, or a `region` option). */
const Region = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'a region key like "eu-central"')
  .meta({ example: 'eu-central' });

export const IncidentRequest = z
  .object({
    /** Shown to buyers in the credit's reason: "Outage credit: Network outage in Frankfurt". */
    title: z.string().trim().min(3).max(200),
    /** Affected products; with `region`, only their services in that region. */
    products: z.array(ProductId).min(1).max(50).optional(),
    /** Affected region: services of products in it (attribute `region`) or configured for it. */
    region: Region.optional(),
    /** When the outage began; ISO 8601. */
    start: z.iso.datetime({ offset: true }),
    /** When it was over; not after the store's time now. */
    end: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'IncidentRequest' });
export type IncidentRequest = z.infer<typeof IncidentRequest>;

export const IncidentView = z
  .object({
    id: IncidentId,
    title: z.string(),
    products: z.array(ProductId).optional(),
    region: z.string().optional(),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
    recordedBy: ActorView,
    /** `crediting` while services are being credited (in the background), then `done`. */
    status: z.enum(['crediting', 'done']),
    services: z
      .object({
        /** Services that got a credit. */
        credited: z.number().int(),
        /** Services the incident touched that earned nothing (no SLA, too short, not running). */
        notCredited: z.number().int(),
      })
      .strict(),
    /** Credits granted in all, and per wallet currency. */
    credits: z
      .object({ total: CreditAmount, byCurrency: z.partialRecord(CurrencyCode, CreditAmount) })
      .strict(),
    completedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof IncidentView>;
