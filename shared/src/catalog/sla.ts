/**
 * A product's SLA policy: what a service gets back, automatically, when the merchant records an
 * incident that touches it (shared/src/incidents/sla-credit.ts computes it; docs/catalog.md).
 *
 * Modelled on the public cloud credits (AWS, DigitalOcean, Hetzner): a share of what the affected
 * time cost, paid as credits — not a share of the month, so a credit never exceeds what the
 * downtime was worth times the merchant's own factor. One explicit percentage, a floor and a
 * threshold are easy to read on a product page; tiers by outage length can come later.
 */
import * as z from 'zod';
import { CreditAmount } from '../credits/credit-units.ts';

export const SlaPolicy = z
  .object({
    /**
     * Share of what the service cost during the incident, credited back, in percent:
     * 100 refunds the downtime, 200 pays it back twice.
     */
    creditPercent: z.number().int().min(1).max(1000),
    /** At least this many credits for a service the incident touched (e.g. '1.00'). */
    minimumCredits: CreditAmount.optional(),
    /** Incidents shorter than this earn nothing (brief blips the SLA does not cover). */
    minimumOutageMinutes: z.number().int().min(0).max(1440).default(0),
    /**
     * Credit stopped services too, at their stopped rate (storage that was unreachable). Default:
     * only running time counts.
     */
    includeStopped: z.boolean().default(false),
  })
  .strict()
  .meta({
    id: 'SlaPolicy',
    example: { creditPercent: 100, minimumCredits: '1.00', minimumOutageMinutes: 5, includeStopped: false },
  });
export type SlaPolicy = z.infer<typeof SlaPolicy>;
